"""Generating a stored report: checksum, progress, idempotence, retries, the monthly schedule."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import translation

from compliance.celery import app
from compliance.reports import generation, tasks
from compliance.reports.models import GeneratedReport, ReportStatus
from tests.factories import SystemFactory, UnitFactory
from tests.reports.conftest import pdf_text

PUBLISHED = datetime.date(2024, 6, 30)


@pytest.fixture
def unit_report(db, directive_09, national_admin):
    unit = UnitFactory(name="Tỉnh Lưu Trữ")
    SystemFactory(owner=unit, submitted=True)
    return GeneratedReport.objects.create(
        unit=unit, as_of=PUBLISHED, format="pdf", language="en", created_by=national_admin
    )


def test_task_stores_file_with_checksum_and_parameters(unit_report, media_root):
    tasks.generate_report.delay(unit_report.pk)
    unit_report.refresh_from_db()
    assert unit_report.status == ReportStatus.DONE
    assert unit_report.progress == 100
    data = unit_report.file.read()
    assert unit_report.checksum == hashlib.sha256(data).hexdigest()
    assert unit_report.size == len(data)
    assert (media_root / unit_report.file.name).is_file()
    assert unit_report.file.name.startswith("reports/")
    assert "Compliance report Tỉnh Lưu Trữ As of 30/06/2024" in pdf_text(data)  # language: en
    assert unit_report.parameters == {
        "unit": unit_report.unit.code,
        "as_of": "2024-06-30",
        "format": "pdf",
        "language": "en",
    }


def test_report_language_is_the_requesters(unit_report):
    unit_report.language = "vi"
    unit_report.save()
    with translation.override("en"):
        generation.generate(unit_report.pk)
    unit_report.refresh_from_db()
    assert "Tính đến ngày 30/06/2024" in pdf_text(unit_report.file.read())


def test_generate_twice_keeps_the_first_file(unit_report):
    generation.generate(unit_report.pk)
    unit_report.refresh_from_db()
    first = (unit_report.file.name, unit_report.checksum, unit_report.finished_at)
    generation.generate(unit_report.pk)
    unit_report.refresh_from_db()
    assert (unit_report.file.name, unit_report.checksum, unit_report.finished_at) == first


def test_a_lost_file_is_built_again(unit_report, media_root):
    generation.generate(unit_report.pk)
    unit_report.refresh_from_db()
    checksum = unit_report.checksum
    (media_root / unit_report.file.name).unlink()
    generation.generate(unit_report.pk)
    unit_report.refresh_from_db()
    assert unit_report.file.storage.exists(unit_report.file.name)
    assert unit_report.checksum == checksum  # invariant output: same bytes


def test_progress_is_recorded_while_rendering(unit_report, monkeypatch):
    seen = []
    original = GeneratedReport.objects.filter

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        update = queryset.update

        def recording_update(**fields):
            if "progress" in fields:
                seen.append(fields["progress"])
            return update(**fields)

        queryset.update = recording_update
        return queryset

    monkeypatch.setattr(GeneratedReport.objects, "filter", spy)
    generation.generate(unit_report.pk)
    assert seen[0] == 0
    assert any(generation.DATA_LOADED <= value < 100 for value in seen[1:]), seen


def test_transient_database_error_is_retried(unit_report, monkeypatch):
    calls = []
    build = generation.build

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return build(*args, **kwargs)

    monkeypatch.setattr(generation, "build", flaky)
    # Eager tasks re-raise Retry when they propagate errors; apply() without throwing retries.
    result = tasks.generate_report.apply(args=[unit_report.pk], throw=False)
    assert result.successful()
    unit_report.refresh_from_db()
    assert len(calls) == 2
    assert unit_report.status == ReportStatus.DONE


def test_a_bug_fails_the_report_without_retrying(unit_report, monkeypatch):
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise ValueError("no such renderer")

    monkeypatch.setattr(generation, "build", broken)
    tasks.generate_report.delay(unit_report.pk)
    unit_report.refresh_from_db()
    assert calls == [1]
    assert unit_report.status == ReportStatus.FAILED
    assert "no such renderer" in unit_report.error


def test_gives_up_after_the_last_retry(unit_report, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(generation, "build", down)
    # The delivery that follows the last retry.
    result = tasks.generate_report.apply(
        args=[unit_report.pk], retries=tasks.MAX_RETRIES, throw=False
    )
    unit_report.refresh_from_db()
    assert result.failed()
    assert unit_report.status == ReportStatus.FAILED
    assert "the database is down" in unit_report.error


def test_retry_backoff_grows():
    assert [tasks.backoff(n) for n in range(3)] == [10, 20, 40]


def test_deleted_report_is_nothing_to_do(db):
    assert generation.generate(123456) is None


def test_monthly_national_report_once_per_month(db, directive_09, monkeypatch):
    monkeypatch.setattr(generation.timezone, "localdate", lambda: datetime.date(2024, 10, 1))
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2024, 10, 1))
    SystemFactory(approved=True)
    first = tasks.monthly_national_report.delay().get()
    again = tasks.monthly_national_report.delay().get()
    assert first == again
    report = GeneratedReport.objects.get()
    assert report.is_national and report.scheduled and report.created_by is None
    assert report.as_of == datetime.date(2024, 9, 30)
    assert report.status == ReportStatus.DONE
    assert report.language == settings.LANGUAGE_CODE


def test_beat_schedules_the_monthly_report():
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-national-report"]
    assert entry["task"] == "reports.monthly_national_report"
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1}
    assert schedule.hour == {6}


def test_last_month_end():
    assert generation.last_month_end(datetime.date(2024, 3, 1)) == datetime.date(2024, 2, 29)
    assert generation.last_month_end(datetime.date(2025, 1, 15)) == datetime.date(2024, 12, 31)
