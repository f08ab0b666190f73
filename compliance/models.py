"""Compliance snapshots: the figures of a date, kept so that trends can be drawn.

A snapshot is national (no unit, scope "national"), for a reporting group
(scope "ministry" or "province") or for one reporting unit (scope "unit").
Figures published in national reports are loaded as history (source
"published"); the monthly task and `snapshot_compliance` record the rest.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from compliance.rates import RecordedRates


class SnapshotScope(models.TextChoices):
    NATIONAL = "national", _("National")
    MINISTRY = "ministry", _("Ministries and agencies")
    PROVINCE = "province", _("Provinces")
    UNIT = "unit", _("Unit")


class SnapshotSource(models.TextChoices):
    PUBLISHED = "published", _("Published report")
    RECORDED = "recorded", _("Recorded by the tracker")


class ComplianceSnapshot(RecordedRates, models.Model):
    as_of = models.DateField(_("as of"), db_index=True)
    scope = models.CharField(_("scope"), max_length=16, choices=SnapshotScope.choices)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="compliance_snapshots",
    )
    total = models.PositiveIntegerField(_("total systems"))
    # Published reports do not always give every figure: unknown stays NULL, never 0.
    approved = models.PositiveIntegerField(_("approved"), null=True, blank=True)
    fully_deployed = models.PositiveIntegerField(_("fully deployed"), null=True, blank=True)
    level_1 = models.PositiveIntegerField(null=True, blank=True)
    level_2 = models.PositiveIntegerField(null=True, blank=True)
    level_3 = models.PositiveIntegerField(null=True, blank=True)
    level_4 = models.PositiveIntegerField(null=True, blank=True)
    level_5 = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=SnapshotSource.choices, default=SnapshotSource.RECORDED
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        ordering = ["as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "unit"],
                condition=Q(unit__isnull=False),
                name="one_snapshot_per_unit_and_date",
            ),
            models.UniqueConstraint(
                fields=["as_of", "scope"],
                condition=Q(unit__isnull=True),
                name="one_snapshot_per_scope_and_date",
            ),
            models.CheckConstraint(
                condition=(Q(scope="unit") & Q(unit__isnull=False))
                | (~Q(scope="unit") & Q(unit__isnull=True)),
                name="unit_iff_unit_scope",
            ),
        ]

    def __str__(self):
        return f"{self.as_of} {self.unit or self.get_scope_display()}"
