"""The filing workflow's verbs: frozen files with their checksums, audit, history, claims."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance.annual import actions
from compliance.annual.models import AnnualReport
from compliance.annual.rules import FilingStatus
from registry.audit.models import AuditEvent
from tests.annual.conftest import AFTER_PERIOD, YEAR
from tests.factories import SystemFactory


def prepared(world):
    return actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)


def test_prepare_stores_both_files_with_their_checksums(world):
    report = prepared(world)
    assert report.status == FilingStatus.PREPARED and report.systems == 3
    for fmt in ("pdf", "xlsx"):
        data = getattr(report, fmt).read()
        assert hashlib.sha256(data).hexdigest() == getattr(report, f"{fmt}_checksum")
    assert report.prepared_by == world["officer"]


def test_submitting_freezes_the_prepared_files(world):
    report = prepared(world)
    checksum, name = report.pdf_checksum, report.pdf.name
    SystemFactory(owner=world["province"], code="P91-NEW")  # the registry moves on
    report = actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    assert report.status == FilingStatus.SUBMITTED and report.submissions == 1
    assert (report.pdf_checksum, report.pdf.name) == (checksum, name)
    assert report.submitted_by == world["officer"] and report.submitted_at
    with pytest.raises(ValidationError):
        prepared(world)  # frozen: not prepared again while submitted
    report.refresh_from_db()
    assert report.pdf.name == name


def test_returned_then_prepared_and_submitted_again_keeps_the_first_files(world):
    report = actions.submit(prepared(world), actor=world["officer"], today=AFTER_PERIOD)
    first = report.pdf.name
    report = actions.return_report(report, "  Thiếu quy chế  ", actor=world["national"])
    assert report.status == FilingStatus.RETURNED and report.return_reason == "Thiếu quy chế"
    report = prepared(world)
    assert report.pdf.name != first and report.pdf.storage.exists(first)
    report = actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    assert report.submissions == 2 and report.return_reason == ""
    report = actions.receive(report, actor=world["national"])
    assert report.status == FilingStatus.RECEIVED and report.decided_by == world["national"]
    statuses = list(report.history.order_by("history_date").values_list("status", flat=True))
    moves = ["prepared", "submitted", "returned", "prepared", "submitted", "received"]
    assert statuses == ["not_started", *moves]
    events = AuditEvent.objects.filter(target_type="annual.annualreport").order_by("pk")
    assert [e.action for e in events] == [
        "annual_report.prepared",
        "annual_report.submitted",
        "annual_report.returned",
        "annual_report.prepared",
        "annual_report.submitted",
        "annual_report.received",
    ]
    assert events[1].data["sha256"]["pdf"] == events[0].data["sha256"]["pdf"]


def test_submitting_before_the_period_ends_is_refused(world):
    report = prepared(world)
    with pytest.raises(ValidationError, match="15/12/2024"):
        actions.submit(report, actor=world["officer"], today=AFTER_PERIOD.replace(day=14))
    report.refresh_from_db()
    assert report.status == FilingStatus.PREPARED


def test_a_stale_copy_cannot_move_the_report_twice(world):
    """Two administrators act on the same submitted report: the second one is refused."""
    report = actions.submit(prepared(world), actor=world["officer"], today=AFTER_PERIOD)
    first, second = AnnualReport.objects.get(pk=report.pk), AnnualReport.objects.get(pk=report.pk)
    actions.receive(first, actor=world["national"])
    with pytest.raises(ValidationError, match="reload|tải lại"):
        actions.return_report(second, "Sai số liệu", actor=world["national"])
    report.refresh_from_db()
    assert report.status == FilingStatus.RECEIVED and report.return_reason == ""
    assert AuditEvent.objects.filter(action="annual_report.returned").count() == 0


@pytest.mark.parametrize("reason", ["", "a\u0000b", "x" * 2001])
def test_a_bad_return_reason_changes_nothing(world, reason):
    report = actions.submit(prepared(world), actor=world["officer"], today=AFTER_PERIOD)
    with pytest.raises(ValidationError):
        actions.return_report(report, reason, actor=world["national"])
    report.refresh_from_db()
    assert report.status == FilingStatus.SUBMITTED


def test_a_draft_prepared_before_14_12_must_be_prepared_again_before_submitting(world):
    report = prepared(world)
    early = timezone.make_aware(datetime.datetime(2024, 12, 10, 9, 0))
    AnnualReport.objects.filter(pk=report.pk).update(prepared_at=early)
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="prepare it again|lập lại"):
        actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    report.refresh_from_db()
    assert report.status == FilingStatus.PREPARED and report.submitted_at is None
