"""Deadlines as data, and one row per e-mail the reminders may send.

A deadline campaign says what must be done by when, for which units and
levels, and when to remind (`reminder_days`, then every `overdue_interval_days`
while overdue). Dossier time limits are data too (DossierTimeLimit), so a new
decree is an edit in the admin, not a code change.

Delivery rows are the exactly-once ledger and the queue: the planner creates
them (unique per campaign, step, role, recipient and unit; per day, week or
month for digests), a worker claims one with a conditional UPDATE before it
talks to the SMTP server, and marks it sent, deferred (a transient refusal,
with its next attempt time), failed (with the reason) or skipped. See
notifications/sending.py for the guarantee when a worker dies.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import LEVEL_VALIDATORS, InformationSystem, Unit

ALL_LEVELS = [1, 2, 3, 4, 5]
DEFAULT_REMINDER_DAYS = "30,14,7,1"


class Requirement(models.TextChoices):
    APPROVAL = "approval", _("Dossier approved")
    DEPLOYMENT = "deployment", _("Protection plan fully deployed")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    INSPECTION = "inspection", _("Periodic inspection")


def parse_days(text):
    """'30, 14,7' -> [30, 14, 7]; ValueError unless positive whole numbers."""
    days = [int(part) for part in str(text).replace(" ", "").split(",") if part]
    if any(day < 1 for day in days):
        raise ValueError(text)
    return sorted(set(days), reverse=True)


def validate_reminder_days(text):
    try:
        parse_days(text)
    except ValueError as error:
        raise ValidationError(
            _("Give whole numbers of days before the due date, separated by commas.")
        ) from error


def validate_levels(levels):
    if not isinstance(levels, list) or any(level not in ALL_LEVELS for level in levels):
        raise ValidationError(_("Levels must be a list of numbers from 1 to 5."))


def default_levels():
    return list(ALL_LEVELS)


class CampaignQuerySet(models.QuerySet):
    def in_force(self, as_of):
        """Active campaigns already issued on `as_of`. Before its issue date a campaign does
        not exist for any page, PDF, forecast or e-mail: every reader selects through here."""
        return self.filter(is_active=True, issued_on__lte=as_of)


class DeadlineCampaign(models.Model):
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        help_text=_("The document that sets the deadline, e.g. Directive 09/CT-TTg of 23/02/2024."),
    )
    issued_on = models.DateField(
        _("issued on"),
        help_text=_("The date the legal basis was issued: before it, the deadline does not exist."),
    )
    requirement = models.CharField(_("requirement"), max_length=20, choices=Requirement.choices)
    due_date = models.DateField(_("due date"))
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        blank=True,
        related_name="+",
        help_text=_("Units (with their subordinate units) it applies to; none: every unit."),
    )
    levels = models.JSONField(
        _("levels"),
        default=default_levels,
        validators=[validate_levels],
        help_text=_("Security levels it applies to."),
    )
    reminder_days = models.CharField(
        _("reminders (days before)"),
        max_length=100,
        default=DEFAULT_REMINDER_DAYS,
        validators=[validate_reminder_days],
        help_text=_("Days before the due date on which to remind, separated by commas."),
    )
    overdue_interval_days = models.PositiveSmallIntegerField(
        _("overdue reminder every (days)"), default=7, validators=[MinValueValidator(1)]
    )
    escalate_when_overdue = models.BooleanField(
        _("escalate to the parent unit when overdue"), default=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline campaign")
        verbose_name_plural = _("deadline campaigns")
        ordering = ["due_date", "name"]

    def __str__(self):
        return f"{self.name} ({self.due_date:%d/%m/%Y})"

    def clean(self):
        if self.issued_on and self.due_date and self.issued_on > self.due_date:
            raise ValidationError(
                {"issued_on": _("A deadline cannot be issued after its own due date.")}
            )

    @property
    def days_before(self):
        return parse_days(self.reminder_days)


class CampaignStep(models.Model):
    """What the planner did with one step of a campaign: planned it, or skipped it (and why)."""

    class Outcome(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SKIPPED = "skipped", _("Skipped")

    campaign = models.ForeignKey(DeadlineCampaign, on_delete=models.CASCADE, related_name="steps")
    offset = models.SmallIntegerField(
        _("step (days from the due date)"), help_text=_("Negative: before the due date.")
    )
    step_date = models.DateField(_("step date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    run_date = models.DateField(_("planner run date"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("campaign step")
        verbose_name_plural = _("campaign steps")
        ordering = ["campaign", "offset"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "offset"], name="one_record_per_step"),
        ]

    def __str__(self):
        return f"{self.campaign} {self.offset:+d}"


class Stage(models.TextChoices):
    APPRAISAL = "appraisal", _("Appraisal")
    APPROVAL = "approval", _("Approval")


class DossierTimeLimit(models.Model):
    """How long the appraising or approving unit has, per level (DOMAIN.md §4)."""

    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])
    working_days = models.BooleanField(
        _("working days"),
        default=False,
        help_text=_("Count only working days (no weekends, no Vietnamese public holidays)."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dossier time limit")
        verbose_name_plural = _("dossier time limits")
        ordering = ["stage", "level"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "level"], name="one_limit_per_stage_level"),
        ]

    def __str__(self):
        unit = _("working days") if self.working_days else _("days")
        return f"{self.get_stage_display()} L{self.level}: {self.days} {unit}"


class RecipientPreference(models.Model):
    """The language a user reads reminders in (Vietnamese unless set)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return f"{self.user} — {self.language}"


class Kind(models.TextChoices):
    CAMPAIGN = "campaign", _("Deadline reminder")
    DOSSIER = "dossier", _("Dossier time limits digest")
    INSPECTION = "inspection", _("Inspection digest")
    NATIONAL = "national", _("Weekly national digest of overdue units")


class RecipientRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    OFFICER = "officer", _("Security officer")
    ESCALATION = "escalation", _("Manager of the parent unit (escalation)")
    NATIONAL = "national", _("National authority")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Claimed by a worker")
    TRANSMITTING = "transmitting", _("Being handed to the mail server")
    SENT = "sent", _("Sent")
    DEFERRED = "deferred", _("Deferred: will be tried again")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    UNKNOWN = "unknown", _("Outcome unknown: check the mail server's log")


class Delivery(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    campaign = models.ForeignKey(
        DeadlineCampaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    step = models.SmallIntegerField(_("step (days from the due date)"), null=True, blank=True)
    # Digests: the period they cover, "2024-09-17" (dossiers, daily), "2024-W41" (national,
    # weekly) or "2024-10" (inspections, monthly).
    subject = models.CharField(_("subject"), max_length=64, blank=True, default="")
    # A dossier digest's notices, "<system id>:<stage>:<clock start>:<step>": each one is
    # sent once, in the first digest that holds it.
    items = models.JSONField(_("notices"), default=list, blank=True)
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("system"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,  # national administrators' digests cover every unit
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    role = models.CharField(_("sent as"), max_length=12, choices=RecipientRole.choices)
    planned_for = models.DateField(_("as of"))
    valid_until = models.DateField(
        _("valid until"), help_text=_("Not sent by then: superseded by the next step, skipped.")
    )
    outstanding = models.PositiveIntegerField(_("outstanding systems when planned"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    first_attempt_at = models.DateTimeField(_("first attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-planned_for", "unit_id", "recipient_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "step", "role", "recipient", "unit"],
                condition=Q(kind="campaign"),
                name="one_campaign_delivery",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject", "recipient", "unit"],
                condition=~Q(kind="campaign") & Q(unit__isnull=False),
                name="one_digest_per_period",
            ),
            # NULLs are distinct in a unique index: national digests need their own.
            models.UniqueConstraint(
                fields=["kind", "subject", "recipient"],
                condition=~Q(kind="campaign") & Q(unit__isnull=True),
                name="one_national_digest_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(kind="campaign") | Q(campaign__isnull=False, step__isnull=False),
                name="campaign_delivery_has_step",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"]),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="deferred"),
                name="deferred_by_next_attempt",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.unit or '*'})"


class UnknownOutcomeDelivery(Delivery):
    """Deliveries whose worker stopped while handing them to the mail server (admin list)."""

    class Meta:
        proxy = True
        verbose_name = _("delivery with unknown outcome")
        verbose_name_plural = _("deliveries with unknown outcome")
