"""A generated Appendix IX report: its parameters, its progress and the stored file.

Files live under MEDIA_ROOT/reports/ and are never served by URL: only the
scoped download view (compliance/reports/views.py) hands them out.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from compliance.reports.enclosure import Enclosure
from registry.models import Unit


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", _("Excel workbook (XLSX)")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


CONTENT_TYPES = {
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_path(report, filename):
    return f"reports/{report.created_at:%Y/%m}/{report.pk}/{filename}"


class GeneratedReport(models.Model):
    """One requested report. Without a unit it is the national Appendix IX summary."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the national summary."),
    )
    as_of = models.DateField(_("as of"))
    format = models.CharField(
        _("format"), max_length=8, choices=ReportFormat.choices, default=ReportFormat.PDF
    )
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    scheduled = models.BooleanField(
        _("scheduled"), default=False, help_text=_("Made by the monthly schedule.")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    # The covering report the PDF is attached to ("Kèm theo Báo cáo số … ngày …"), optional.
    enclosure_number = models.CharField(_("attached to report no."), max_length=40, blank=True)
    enclosure_date = models.DateField(_("attached to report of"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One scheduled national report per month-end and format: beat may fire twice.
            models.UniqueConstraint(
                fields=["as_of", "format"],
                condition=models.Q(scheduled=True, unit__isnull=True),
                name="one_scheduled_national_report",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.as_of:%d/%m/%Y}, {self.get_format_display()})"

    @property
    def is_national(self):
        return self.unit_id is None

    @property
    def title(self):
        return str(_("National summary")) if self.is_national else self.unit.name

    @property
    def is_finished(self):
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)

    @property
    def enclosure(self):
        if not self.enclosure_number:
            return None
        return Enclosure(self.enclosure_number, self.enclosure_date)

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]

    @property
    def parameters(self):
        return {
            "unit": self.unit.code if self.unit_id else None,
            "as_of": self.as_of.isoformat(),
            "format": self.format,
            "language": self.language,
        }

    def download_name(self):
        scope = "national" if self.is_national else self.unit.code
        return f"appendix-ix-{scope}-{self.as_of.isoformat()}.{self.format}"
