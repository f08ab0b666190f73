"""Unit changes as dated records: mergers, renames, splits, dissolutions and moves.

A change never rewrites the past. The structure of any date is computed from
these rows (registry/reorganisation/structure.py); applying a change that has
come into force only carries people over and mirrors today's name and parent
on the unit row, for the admin's lists.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.text import clean_text_fields


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("Merged into another unit")
    RENAME = "rename", _("Renamed")
    SPLIT = "split", _("Split")
    DISSOLVE = "dissolve", _("Dissolved")
    MOVE = "move", _("Moved under another unit")


# The kinds after which the unit no longer exists: its systems go to `successor`.
ENDING_KINDS = (ChangeKind.MERGE, ChangeKind.SPLIT, ChangeKind.DISSOLVE)


class UnitChangeQuerySet(models.QuerySet):
    def in_force(self):
        """Changes not cancelled (future ones included: the date decides)."""
        return self.filter(cancelled_at__isnull=True)


class UnitChange(models.Model):
    kind = models.CharField(_("kind of change"), max_length=16, choices=ChangeKind.choices)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    successor = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("successor unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="absorbed_by_changes",
        help_text=_("Merger, split or dissolution: the unit that takes over the systems."),
    )
    other_successors = models.ManyToManyField(
        "registry.Unit",
        verbose_name=_("other receiving units"),
        blank=True,
        related_name="+",
        help_text=_(
            "Split: units that take over some functions. Systems stay with the successor "
            "until a national administrator reassigns them."
        ),
    )
    old_parent = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("previous parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_parent = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("new parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Move: the unit it reports to from the date (empty: a reporting unit)."),
    )
    old_name = models.CharField(_("previous name"), max_length=255, blank=True)
    new_name = models.CharField(_("new name"), max_length=255, blank=True)
    effective_on = models.DateField(_("effective date"), db_index=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(
        _("took effect at"),
        null=True,
        blank=True,
        help_text=_("When people were carried over and the unit's name and parent updated."),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = UnitChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        ordering = ["effective_on", "pk"]
        constraints = [
            # One ending per unit: a unit cannot be merged twice (cancel the first change).
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(kind__in=ENDING_KINDS, cancelled_at__isnull=True),
                name="one_ending_per_unit",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=ENDING_KINDS) | Q(successor__isnull=False),
                name="ending_has_successor",
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_kind_display()} — {self.effective_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def ends_unit(self):
        return self.kind in ENDING_KINDS
