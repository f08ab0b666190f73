"""When an inspection falls due, and what an inspection record may say.

Intervals are data (settings): levels 3 and 4 every 12 months, level 5 every 6, the
whole organisation every 24 (Decree 85/2016 Art. 20, DOMAIN.md §6). Levels without an
interval (1 and 2) have no periodic inspection. A system never inspected is due at once.
"""

import datetime
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.selectors import months_before
from registry.inspections.models import InspectionKind, InspectionResult

# What a report file may be: the documents an inspection report comes as.
REPORT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".jpg", ".jpeg", ".png"}
# Kinds and results only an import writes (its date column says nothing else).
IMPORT_ONLY_KINDS = {InspectionKind.IMPORTED}
IMPORT_ONLY_RESULTS = {InspectionResult.NOT_STATED}


def interval_months(level):
    """Months between periodic inspections of a system at `level`, or None (none required)."""
    return settings.INSPECTION_INTERVAL_MONTHS.get(level)


def organisation_interval_months():
    return settings.ORGANISATION_ASSESSMENT_INTERVAL_MONTHS


def add_months(day, months):
    """The same day `months` later (the month's last day when it is shorter)."""
    return months_before(day, -months)


def next_due(level, last_inspected_on):
    """The date the next inspection of a system at `level` is due.

    None when the level has no periodic inspection; the day itself when it was never
    inspected (due at once: `is_overdue` tells)."""
    months = interval_months(level)
    if months is None:
        return None
    if last_inspected_on is None:
        return datetime.date.min
    return add_months(last_inspected_on, months)


def next_organisation_assessment(last_assessed_on):
    if last_assessed_on is None:
        return datetime.date.min
    return add_months(last_assessed_on, organisation_interval_months())


def is_overdue(due_on, as_of):
    return due_on is not None and due_on < as_of


def is_due_soon(due_on, as_of, horizon_days):
    """Due from `as_of` to `horizon_days` later, not yet overdue."""
    if due_on is None or is_overdue(due_on, as_of):
        return False
    return due_on <= as_of + datetime.timedelta(days=horizon_days)


def validate_entry(entry, *, subject_since=None, subject_until=None, by_import=False, today=None):
    """ValidationError by field unless the inspection or assessment record is consistent.

    `subject_since`/`subject_until`: the days the system was on the registry (declared,
    retired), when known; an inspection outside them inspected nothing."""
    today = today or timezone.localdate()
    errors = {}
    day = entry.inspected_on
    if day is not None and day > today:
        errors["inspected_on"] = _("This date is in the future.")
    elif day is not None and subject_since is not None and day < subject_since:
        errors["inspected_on"] = _("The system was not yet on the registry on this date.")
    elif day is not None and subject_until is not None and day > subject_until:
        errors["inspected_on"] = _("The system was already retired on this date.")
    if not by_import and entry.kind in IMPORT_ONLY_KINDS:
        errors["kind"] = _("Choose the kind of inspection.")
    if not by_import and entry.result in IMPORT_ONLY_RESULTS:
        errors["result"] = _("Choose the result of the inspection.")
    if entry.result == InspectionResult.FINDINGS and not entry.findings:
        errors["findings"] = _("A result with findings to fix needs the number of findings.")
    if entry.result == InspectionResult.PASSED and entry.findings:
        errors["findings"] = _("A passed inspection has no findings to fix.")
    report_error = report_file_error(entry.report)
    if report_error:
        errors["report"] = report_error
    if errors:
        raise ValidationError(errors)


def report_file_error(report):
    """Why a newly uploaded report file is refused, or None. A stored file is not re-read."""
    if not report or getattr(report, "_committed", True):
        return None
    extension = os.path.splitext(report.name or "")[1].lower()
    if extension not in REPORT_EXTENSIONS:
        return _("A report file must be one of: %(types)s.") % {
            "types": ", ".join(sorted(REPORT_EXTENSIONS))
        }
    if report.size > settings.IMPORT_MAX_BYTES:
        return _("A report file may be at most %(size)s.") % {
            "size": filesizeformat(settings.IMPORT_MAX_BYTES)
        }
    return None
