"""The inspection ledger: each periodic inspection or assessment of a system, and each
whole-organisation assessment of a unit (Decree 85/2016 Art. 20, DOMAIN.md §6).

Report files live under MEDIA_ROOT/inspections/ and are never served by URL: only the
scoped download view (registry/inspections/views.py) hands them out. Rows are never
deleted: `InformationSystem.last_inspection_on` and the reports are derived from them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import InformationSystem, Unit


class InspectionKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    INDEPENDENT = "independent", _("Independent assessment")
    AUTHORITY = "authority", _("Inspection by the authority")
    # A date carried by an import (the "last inspection" column): kind and result unknown.
    IMPORTED = "imported", _("Date from an import (kind not stated)")


class InspectionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FINDINGS = "findings", _("Findings to fix")
    FAILED = "failed", _("Failed")
    NOT_STATED = "not_stated", _("Not stated")


def inspection_report_path(record, filename):
    return f"inspections/{record.inspected_on:%Y/%m}/{filename}"


class LedgerEntry(models.Model):
    """What an inspection of a system and an assessment of an organisation both record."""

    inspected_on = models.DateField(_("inspected on"))
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    result = models.CharField(_("result"), max_length=12, choices=InspectionResult.choices)
    findings = models.PositiveIntegerField(_("number of findings"), default=0)
    report = models.FileField(
        _("report file"),
        upload_to=inspection_report_path,
        blank=True,
        max_length=255,
        help_text=_("PDF, Word, Excel or an image, at most 10 MB."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True


class Inspection(LedgerEntry):
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("information system"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["system", "inspected_on"])]

    def __str__(self):
        return f"{self.system.code} · {self.inspected_on:%d/%m/%Y}"


class OrganisationAssessment(LedgerEntry):
    """The assessment of a whole organisation (a unit and its systems), every 2 years."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="organisation_assessments",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation assessment")
        verbose_name_plural = _("organisation assessments")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["unit", "inspected_on"])]

    def __str__(self):
        return f"{self.unit.code} · {self.inspected_on:%d/%m/%Y}"
