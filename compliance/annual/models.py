"""One reporting unit's annual report for one year, and where its filing stands.

No row means not started. Files live under MEDIA_ROOT/annual/ and are never
served by URL: only the scoped download view hands them out. Nothing is ever
deleted: a returned report keeps the files it was submitted with (its history
rows name them) and a new preparation stores new files beside them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from compliance.annual.rules import FilingStatus
from registry.models import Unit

# Kept at hand: actions write the history row themselves after a conditional UPDATE.
FILING_HISTORY = HistoricalRecords()


def file_path(report, filename):
    extension = filename.rsplit(".", 1)[-1]
    return f"annual/{report.year}/{report.unit_id}/{uuid.uuid4().hex}.{extension}"


def _person(label):
    """Who took a step of the filing; each history row names its user as well."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class AnnualReport(models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("reporting unit"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=[(s.value, s.label) for s in FilingStatus if s != FilingStatus.LATE],
        default=FilingStatus.NOT_STARTED,
    )
    systems = models.PositiveIntegerField(_("systems reported"), default=0)
    pdf = models.FileField(_("PDF"), upload_to=file_path, blank=True)
    pdf_checksum = models.CharField(_("PDF SHA-256 checksum"), max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=file_path, blank=True)
    xlsx_checksum = models.CharField(_("XLSX SHA-256 checksum"), max_length=64, blank=True)
    prepared_by = _person(_("prepared by"))
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    submitted_by = _person(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submissions = models.PositiveSmallIntegerField(_("submissions"), default=0)
    decided_by = _person(_("received or returned by"))
    decided_at = models.DateTimeField(_("received or returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    history = FILING_HISTORY

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_annual_report_per_year"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.year}"

    def download_name(self, extension):
        return f"bao-cao-nam-{self.year}-{self.unit.code}.{extension}"
