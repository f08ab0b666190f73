"""The monthly snapshot through Redis and a real worker (CI sets REDIS_URL)."""

import datetime

import pytest
from celery.contrib.testing.worker import start_worker

from compliance.celery import app
from compliance.models import ComplianceSnapshot, SnapshotSource
from compliance.tasks import record_monthly_snapshot
from tests.factories import SystemFactory, UnitFactory

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "the broker test needs REDIS_URL"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def test_snapshot_task_runs_on_the_worker_and_is_idempotent(worker):
    unit = UnitFactory()
    SystemFactory(owner=unit, approved=True)
    SystemFactory(owner=unit)
    first = record_monthly_snapshot.delay("2024-07-31").get(timeout=60)
    second = record_monthly_snapshot.delay("2024-07-31").get(timeout=60)
    assert first == second == {"as_of": "2024-07-31", "snapshots": 4}
    row = ComplianceSnapshot.objects.get(as_of=datetime.date(2024, 7, 31), unit=unit)
    assert (row.total, row.approved, row.source) == (2, 1, SnapshotSource.RECORDED)
