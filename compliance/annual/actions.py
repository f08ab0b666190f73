"""The filing's verbs: prepare, submit, receive, return. Views and commands call these.

Each one is atomic, checked by compliance/annual/rules.py, claims its move with a
conditional UPDATE (the row must still be in a status the move starts from, or
nothing changes and the user is told someone else was quicker), writes the
history row, and records an audit event in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.annual import rules
from compliance.annual.generation import build_all
from compliance.annual.models import FILING_HISTORY, AnnualReport
from compliance.annual.rules import Action
from registry.audit.actions import record
from registry.text import clean_text

CHANGED_MEANWHILE = _("The report was changed by someone else meanwhile: reload the page.")


def _row(unit, year):
    """The report's row, created as not started the first time (two at once: one row)."""
    try:
        with transaction.atomic():
            report, _created = AnnualReport.objects.get_or_create(unit=unit, year=year)
    except IntegrityError:
        report = AnnualReport.objects.get(unit=unit, year=year)
    return report


def _claim(report, action, changes):
    """Move the row from the status it was read in, if it is still in it; else refuse."""
    rules.next_status(action, report.status)
    sources, target = rules.TRANSITIONS[action]
    moved = AnnualReport.objects.filter(pk=report.pk, status=report.status).update(
        status=target, **changes
    )
    if not moved:
        raise ValidationError(CHANGED_MEANWHILE, code="conflict")
    report.refresh_from_db()
    return report


def _recorded(report, action, *, actor, request, data=None):
    report._history_user = actor
    FILING_HISTORY.create_historical_record(report, "~")
    record(
        f"annual_report.{report.status}",
        actor=actor,
        unit=report.unit,
        target=report,
        request=request,
        data={"year": report.year, "action": action.value, **(data or {})},
    )
    return report


@transaction.atomic
def prepare(unit, year, *, actor, request=None, today=None):
    """Build the report's PDF and XLSX from the registry as of 14/12 and store them."""
    today = today or timezone.localdate()
    rules.check_year_open(year, today)
    report = _row(unit, year)
    rules.next_status(Action.PREPARE, report.status)
    content, files = build_all(unit, year)
    changes = {"systems": content.totals.total, "prepared_by": actor, "prepared_at": timezone.now()}
    stored = []
    try:
        for fmt, (data, checksum) in files.items():
            field = report._meta.get_field(fmt)
            name = field.generate_filename(report, report.download_name(fmt))
            changes[fmt] = field.storage.save(name, ContentFile(data))
            changes[f"{fmt}_checksum"] = checksum
            stored.append((field.storage, changes[fmt]))
        _claim(report, Action.PREPARE, changes)
    except Exception:
        for storage, name in stored:  # a draft nobody will see: no file left behind
            storage.delete(name)
        raise
    checksums = {fmt: checksum for fmt, (_data, checksum) in files.items()}
    return _recorded(
        report,
        Action.PREPARE,
        actor=actor,
        request=request,
        data={"systems": report.systems, "sha256": checksums},
    )


@transaction.atomic
def submit(report, *, actor, request=None, today=None):
    """Freeze the prepared files: from now on they are what the unit filed."""
    today = today or timezone.localdate()
    prepared_on = timezone.localdate(report.prepared_at) if report.prepared_at else None
    rules.check_submittable(report.year, today, prepared_on)
    changes = {
        "submitted_by": actor,
        "submitted_at": timezone.now(),
        "submissions": F("submissions") + 1,
        "return_reason": "",
    }
    _claim(report, Action.SUBMIT, changes)
    sha = {"pdf": report.pdf_checksum, "xlsx": report.xlsx_checksum}
    return _recorded(report, Action.SUBMIT, actor=actor, request=request, data={"sha256": sha})


@transaction.atomic
def receive(report, *, actor, request=None):
    _claim(report, Action.RECEIVE, {"decided_by": actor, "decided_at": timezone.now()})
    return _recorded(report, Action.RECEIVE, actor=actor, request=request)


@transaction.atomic
def return_report(report, reason, *, actor, request=None):
    rules.next_status(Action.RETURN, report.status)  # before the reason: the first thing wrong
    reason = rules.clean_return_reason(clean_text(reason or "", multiline=True))
    changes = {"decided_by": actor, "decided_at": timezone.now(), "return_reason": reason}
    _claim(report, Action.RETURN, changes)
    return _recorded(report, Action.RETURN, actor=actor, request=request, data={"reason": reason})
