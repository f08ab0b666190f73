"""The Celery path for real: Redis broker, a worker thread, a report asked for on the page."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from compliance.celery import app
from compliance.reports.models import GeneratedReport, ReportStatus
from registry.models import Role
from tests.factories import SystemFactory, UnitFactory
from tests.reports.conftest import pdf_text

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "the broker test needs REDIS_URL"
    app.control.purge()  # messages left by other runs would name rows this database lacks
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def _wait_until_finished(report, polls=600):
    """Poll the row like the page does (no timing assertion: a bounded number of polls)."""
    for _ in range(polls):
        report.refresh_from_db()
        if report.is_finished:
            return report
        time.sleep(0.1)
    raise AssertionError(f"report still {report.status} at {report.progress}%")


def test_report_asked_on_the_page_is_built_by_the_worker(
    client, worker, role_user, directive_09, media_root
):
    unit = UnitFactory(name="Tỉnh Hàng Đợi")
    SystemFactory(owner=unit, submitted=True, name="Hệ thống một cửa điện tử")
    client.force_login(role_user(Role.OFFICER, unit))
    response = client.post(
        reverse("reports:list"), {"unit": unit.pk, "as_of": "2024-06-30", "format": "pdf"}
    )
    assert response.status_code == 302
    report = _wait_until_finished(GeneratedReport.objects.get())
    assert report.status == ReportStatus.DONE, report.error
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert "Hệ thống một cửa điện tử" in pdf_text(b"".join(download.streaming_content))
