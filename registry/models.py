"""The registry: units (a tree), information systems and who may do what where.

Rules about what a system may look like and how it may change live in
`registry/transitions.py`; who may see what lives in `registry/scope.py`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry import transitions
from registry.choices import Authority, Deployment, DossierStatus, Lifecycle
from registry.levels import choices as levels
from registry.names import fold_ascii
from registry.text import clean_text_fields

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class ReportingGroup(models.TextChoices):
    MINISTRY = "ministry", _("Ministries and agencies")
    PROVINCE = "province", _("Provinces")


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    MINISTRY_LEVEL_AGENCY = "ministry_level_agency", _("Ministry-level agency")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    PROVINCE = "province", _("Province / centrally-run city")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")


def _normalized_texts(instance):
    """Every text field cleaned and the code in its one spelling; ValidationError by field.

    Called by save() as well as clean(), so that no write path through the model stores a
    control character or a look-alike code (the database refuses bad codes on its own too)."""
    clean_text_fields(instance)
    instance.code = transitions.normalize_code(instance.code)
    try:
        transitions.validate_code(instance.code)
    except ValidationError as error:
        raise ValidationError({"code": error.error_list}) from None


def code_constraint(name):
    return models.CheckConstraint(
        condition=models.Q(code__regex=transitions.CODE_PATTERN), name=name
    )


class Unit(models.Model):
    """A reporting unit (ministry, agency, province) or one of its subordinate units.

    `path` (ids from the root, e.g. "/3/17/") and `reporting_unit` (the
    top-level ancestor) are kept by save() so that a subtree or a unit's
    figures come from one query, whatever the depth.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_ascii = models.CharField(max_length=255, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    group = models.CharField(_("reporting group"), max_length=16, choices=ReportingGroup.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    reporting_unit = models.ForeignKey(
        "self",
        verbose_name=_("reporting unit"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    sort_order = models.PositiveIntegerField(_("order in reports"), default=0)
    established_on = models.DateField(
        _("established on"),
        null=True,
        blank=True,
        help_text=_(
            "Empty for units that existed before the registry's records begin. Units end "
            "only through a dated unit change (merger, split, dissolution)."
        ),
    )
    # The unit's internal security rules (quy chế ATTT), listed in its annual report.
    security_rules_number = models.CharField(
        _("internal security rules: number"), max_length=64, blank=True
    )
    security_rules_issued_on = models.DateField(
        _("internal security rules: issued on"), null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["group", "sort_order", "name"]
        constraints = [code_constraint("unit_code_charset")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        _normalized_texts(self)
        self.name_ascii = fold_ascii(self.name)
        with transaction.atomic():
            # Read before saving: this instance may carry a stale path (a past version, a form).
            stored = Unit.objects.select_for_update().filter(pk=self.pk)
            old_path = stored.values_list("path", flat=True).first() or ""
            super().save(*args, **kwargs)
            self._refresh_tree_fields(old_path)

    def clean(self):
        _normalized_texts(self)
        if self.pk and self.parent_id:
            stored = dict(
                Unit.objects.filter(pk__in=[self.pk, self.parent_id]).values_list("pk", "path")
            )
            transitions.validate_unit_parent(stored.get(self.pk), stored.get(self.parent_id))

    @property
    def is_reporting_unit(self):
        return self.parent_id is None

    def _refresh_tree_fields(self, old_path):
        """Path, reporting unit and group of this unit and its whole subtree, in one UPDATE.

        `old_path` is the stored path before this save; the parent's is read from its locked
        row, not from this instance, which may carry stale values. A move under its own
        subtree is refused."""
        locked = Unit.objects.select_for_update().filter(pk=self.parent_id)
        stored = {
            row[0]: row[1:]
            for row in locked.values_list("pk", "path", "reporting_unit_id", "group")
        }
        if self.parent_id:
            parent_path, reporting_unit_id, group = stored[self.parent_id]
            transitions.validate_unit_parent(old_path, parent_path)
        else:
            parent_path, reporting_unit_id, group = "/", self.pk, self.group
        path = f"{parent_path}{self.pk}/"
        subtree = (
            Unit.objects.filter(path__startswith=old_path)
            if old_path
            else Unit.objects.filter(pk=self.pk)
        )
        subtree.update(
            path=Concat(
                Value(path), Substr("path", len(old_path) + 1), output_field=models.CharField()
            ),
            reporting_unit_id=reporting_unit_id,
            group=group,
        )
        self.path, self.reporting_unit_id, self.group = path, reporting_unit_id, group


class SystemType(models.TextChoices):
    INTERNAL = "internal", _("Internal system")
    PUBLIC_SERVICE = "public_service", _("Online public service")
    ONLINE_SERVICE = "online_service", _("Online service")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    INDUSTRIAL_CONTROL = "industrial_control", _("Industrial control")
    OTHER = "other", _("Other")


class ImportedHistory(models.Model):
    """Extra fields on a system's history rows: the import or API token that wrote the change."""

    import_batch = models.ForeignKey(
        "registry.ImportBatch",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="historical_systems",
    )
    # Issue 16: the personal API token that wrote the change, if any (registry/api/).
    api_token = models.ForeignKey(
        "api.ApiToken",
        verbose_name=_("API token"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="historical_systems",
    )

    class Meta:
        abstract = True


class InformationSystem(models.Model):
    code = models.CharField(_("system code"), max_length=64, unique=True)
    name = models.CharField(_("system name"), max_length=255)
    name_ascii = models.CharField(max_length=255, editable=False)
    owner = models.ForeignKey(
        Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="systems"
    )
    # A system reassigned on a date (after a split: registry/reorganisation/changes.py)
    # belonged to `previous_owner` before `owner_since`: figures of earlier dates count it there.
    previous_owner = models.ForeignKey(
        Unit,
        verbose_name=_("previous owner unit"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_since = models.DateField(_("owner since"), null=True, blank=True, editable=False)
    operator = models.ForeignKey(
        Unit,
        verbose_name=_("operator unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_systems",
    )
    system_type = models.CharField(
        _("system type"), max_length=32, choices=SystemType.choices, default=SystemType.INTERNAL
    )
    handles_private_data = models.BooleanField(_("private information"), default=False)
    handles_personal_data = models.BooleanField(_("personal data"), default=False)
    handles_state_secrets = models.BooleanField(_("state secrets"), default=False)
    # Issue 14: the other criteria of Decree 85/2016 Arts. 7-11 (registry/levels/rules.py).
    online_service_level = models.PositiveSmallIntegerField(
        levels.LABELS["online_service_level"],
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=levels.HELP["online_service_level"],
    )
    user_count_band = models.CharField(
        levels.LABELS["user_count_band"],
        max_length=16,
        choices=levels.UserBand.choices,
        blank=True,
    )
    conditional_business = models.BooleanField(levels.LABELS["conditional_business"], default=False)
    infrastructure_reach = models.CharField(
        levels.LABELS["infrastructure_reach"],
        max_length=16,
        choices=levels.InfrastructureReach.choices,
        blank=True,
    )
    security_harm = models.CharField(
        levels.LABELS["security_harm"],
        max_length=20,
        choices=levels.SecurityHarm.choices,
        blank=True,
    )
    industrial_works_grade = models.CharField(
        levels.LABELS["industrial_works_grade"],
        max_length=12,
        choices=levels.IndustrialWorksGrade.choices,
        blank=True,
    )
    national_role = models.CharField(
        levels.LABELS["national_role"],
        max_length=16,
        choices=levels.NationalRole.choices,
        blank=True,
    )

    lifecycle = models.CharField(
        _("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.OPERATING
    )
    declared_on = models.DateField(_("declared to the registry on"))
    go_live_on = models.DateField(_("go-live date"), null=True, blank=True)
    retired_on = models.DateField(_("retirement date"), null=True, blank=True)

    proposed_level = models.PositiveSmallIntegerField(
        _("proposed level"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )
    approved_level = models.PositiveSmallIntegerField(
        _("approved level"), null=True, blank=True, validators=LEVEL_VALIDATORS
    )

    dossier_status = models.CharField(
        _("dossier status"),
        max_length=16,
        choices=DossierStatus.choices,
        default=DossierStatus.DRAFTING,
    )
    submitted_on = models.DateField(_("sent for appraisal on"), null=True, blank=True)
    appraised_on = models.DateField(_("appraised on"), null=True, blank=True)
    returned_on = models.DateField(_("returned for revision on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_authority = models.CharField(
        _("signing authority"), max_length=32, choices=Authority.choices, blank=True
    )

    deployment = models.CharField(
        _("protection plan deployment"),
        max_length=16,
        choices=Deployment.choices,
        default=Deployment.NOT_STARTED,
    )
    deployed_full_on = models.DateField(_("fully deployed on"), null=True, blank=True)
    last_inspection_on = models.DateField(_("last inspection"), null=True, blank=True)
    responsible_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(bases=[ImportedHistory])

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposed_level__isnull=True)
                | models.Q(proposed_level__gte=1, proposed_level__lte=5),
                name="proposed_level_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_level__isnull=True)
                | models.Q(approved_level__gte=1, approved_level__lte=5),
                name="approved_level_1_to_5",
            ),
            code_constraint("system_code_charset"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        _normalized_texts(self)
        self.name_ascii = fold_ascii(self.name)
        self._date_owner_change()
        super().save(*args, **kwargs)

    def _date_owner_change(self):
        """A new owner owns the system from today: figures of earlier dates keep counting it
        with the owner it had (`previous_owner`, `owner_since`; compliance/selectors.py). A
        caller that dates the change itself (a split's reassignment) has set them already."""
        if self.pk is None:
            return
        stored = InformationSystem.objects.filter(pk=self.pk).values_list("owner_id", flat=True)
        stored = stored.first()
        if stored is not None and stored != self.owner_id and self.previous_owner_id != stored:
            self.previous_owner_id, self.owner_since = stored, timezone.localdate()

    @property
    def level(self):
        """The level that counts: the approved one once there is one."""
        return self.approved_level or self.proposed_level

    def clean(self):
        _normalized_texts(self)
        previous = None
        if self.pk:
            previous = InformationSystem.objects.filter(pk=self.pk).first()
        transitions.validate_system(self, previous)


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    OFFICER = "officer", _("Security officer")
    VIEWER = "viewer", _("Viewer")
    MANAGER = "manager", _("Manager")
    ACCOUNT_ADMIN = "account_admin", _("Account administrator")


class Membership(models.Model):
    """A user's role, for one unit and its subordinate units (none for national admins)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    carried_over_from = models.ForeignKey(
        Unit,
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The merged unit this role was held in, before the unit change."),
    )
    pending = models.BooleanField(
        _("awaiting confirmation"),
        default=False,
        help_text=_(
            "A role carried over from a merged unit gives no access until the unit's account "
            "administrator or a national administrator confirms it."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership"),
            models.CheckConstraint(
                condition=(models.Q(role="national_admin") & models.Q(unit__isnull=True))
                | (~models.Q(role="national_admin") & models.Q(unit__isnull=False)),
                name="unit_iff_not_national",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit or '*'}"


class ImportStatus(models.TextChoices):
    DRY_RUN = "dry_run", _("Dry run")
    CONFIRMED = "confirmed", _("Dry run, confirmed")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected, nothing written")
    FAILED = "failed", _("Failed on an error, nothing written")


class ImportBatch(models.Model):
    """One run of the system import (registry/imports.py): who, when, which file, the outcome."""

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    source = models.FileField(_("file as received"), upload_to="imports/", blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    default_unit = models.ForeignKey(
        Unit,
        verbose_name=_("default owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("outcome"), max_length=16, choices=ImportStatus.choices)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    message = models.TextField(_("message"), blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"
