"""Building a report's file and storing it with its checksum: what the task, the beat
schedule and the management command call.

Idempotent: a report that is done keeps its file; one that is pending, running
(a worker died) or failed is built again. The output is byte-for-byte the same
for the same parameters and data (invariant PDFs), so a repeated build changes
nothing a user could see.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from compliance.reports import content, pdf, xlsx
from compliance.reports.models import GeneratedReport, ReportFormat, ReportStatus
from registry.reorganisation.structure import structures_cached

RENDERERS = {
    # format: (national renderer, unit renderer)
    ReportFormat.PDF: (pdf.national_pdf, pdf.unit_pdf),
    ReportFormat.XLSX: (xlsx.national_xlsx, xlsx.unit_xlsx),
}
DATA_LOADED = 10  # percent of the work once the figures are read
RENDERED = 95
PROGRESS_STEP = 5  # write progress to the database at most every 5 points


def build(unit, as_of, report_format, progress=None, enclosure=None):
    """The file's bytes: the national summary when `unit` is None, else the unit's report.
    The PDF names the report it is attached to (`enclosure`) under its title."""
    national_renderer, unit_renderer = RENDERERS[report_format]
    extra = {"enclosure": enclosure} if enclosure is not None else {}
    with structures_cached():  # the summary, the lists and the deadlines share one structure
        if unit is None:
            return national_renderer(content.national_report(as_of), progress, **extra)
        return unit_renderer(content.unit_report(unit, as_of), progress, **extra)


class ProgressRecorder:
    """Maps the renderer's 0..1 onto DATA_LOADED..RENDERED percent, throttled."""

    def __init__(self, report_id):
        self.report_id = report_id
        self.written = 0

    def set(self, percent):
        percent = int(percent)
        if percent >= self.written + PROGRESS_STEP or percent == 100:
            GeneratedReport.objects.filter(pk=self.report_id).update(progress=percent)
            self.written = percent

    def __call__(self, fraction):
        self.set(DATA_LOADED + (RENDERED - DATA_LOADED) * fraction)


def generate(report_id):
    """Build and store the report's file; returns the report (None if it was deleted)."""
    report = GeneratedReport.objects.select_related("unit").filter(pk=report_id).first()
    if report is None or _already_built(report):
        return report
    GeneratedReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.RUNNING, progress=0, error=""
    )
    recorder = ProgressRecorder(report.pk)
    with translation.override(report.language):
        data = build(report.unit, report.as_of, report.format, recorder, report.enclosure)
    _store(report, data)
    return report


def _already_built(report):
    return (
        report.status == ReportStatus.DONE
        and bool(report.file)
        and report.file.storage.exists(report.file.name)
    )


def _store(report, data):
    if report.file:
        report.file.delete(save=False)
    report.file.save(report.download_name(), ContentFile(data), save=False)
    report.size = len(data)
    report.checksum = hashlib.sha256(data).hexdigest()
    report.status = ReportStatus.DONE
    report.progress = 100
    report.error = ""
    report.finished_at = timezone.now()
    report.save()


def mark_failed(report_id, error):
    GeneratedReport.objects.filter(pk=report_id).update(
        status=ReportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )


def last_month_end(today):
    return today.replace(day=1) - datetime.timedelta(days=1)


def scheduled_national_report(today):
    """The national PDF for the month just ended, created once however often beat fires."""
    report, _created = GeneratedReport.objects.get_or_create(
        unit=None,
        as_of=last_month_end(today),
        format=ReportFormat.PDF,
        scheduled=True,
        defaults={"language": settings.LANGUAGE_CODE},
    )
    return report
