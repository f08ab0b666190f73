"""Against the real parts: a Redis broker, a Celery worker, an SMTP server (CI sets REDIS_URL)."""

import datetime
import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker

from compliance.celery import app as celery_app
from notifications.models import Delivery, Status
from notifications.tasks import plan_reminders

from .conftest import free_port, seed_deadlines

pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("only_approval"),
]
EXPECTED = 7  # 4 campaign digests, 1 dossier notice, 2 inspection digests (see `province`)


@pytest.fixture(autouse=True)
def seeded(transactional_db):
    seed_deadlines()


@pytest.fixture
def worker():
    """A real worker thread consuming from the Redis broker (queue emptied first)."""
    celery_app.control.purge()
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
    ) as controller:
        yield controller


def wait_for(condition, timeout=60):
    """Poll until the workers have caught up (a wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"still waiting: {Delivery.objects.values_list('status', flat=True)}"
            )
        time.sleep(0.1)


def settled(status, count=EXPECTED):
    return lambda: Delivery.objects.filter(status=status).count() == count


def test_beat_task_fans_out_through_redis_and_a_worker_sends_each_once(
    province, smtp_server, worker
):
    result = plan_reminders.delay("2024-09-23")  # what beat sends at REMINDER_HOUR
    assert result.get(timeout=60)["queued"] == EXPECTED
    wait_for(settled(Status.SENT))
    wait_for(lambda: len(smtp_server.received) == EXPECTED)
    again = plan_reminders.delay("2024-09-23").get(timeout=60)  # a second tick the same day
    assert again == {"planned": 0, "queued": 0, "left_pending": 0}
    assert len(smtp_server.received) == EXPECTED and smtp_server.attempts == EXPECTED


def test_a_refusing_server_is_retried_by_the_worker_then_failed(
    province, smtp_server, worker, settings
):
    settings.REMINDER_MAX_ATTEMPTS = 2
    smtp_server.always = "451 4.3.0 Try again later"
    plan_reminders.delay("2024-09-23").get(timeout=60)
    wait_for(settled(Status.FAILED))
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {2}
    assert smtp_server.attempts == 2 * EXPECTED and smtp_server.received == []


def test_redis_down_when_the_planner_runs_is_logged_and_the_next_run_catches_up(
    province, smtp_server, caplog
):
    celery_app.conf.broker_write_url = f"redis://127.0.0.1:{free_port()}/4"  # nothing listens
    try:
        with caplog.at_level(logging.ERROR, logger="notifications.dispatch"):
            outcome = plan_reminders.apply(("2024-09-23",)).get()
    finally:
        celery_app.conf.broker_write_url = None
    assert outcome == {"planned": EXPECTED, "queued": 0, "left_pending": EXPECTED}
    assert "message broker is unavailable" in caplog.text
    assert "the next planner run will send them" in caplog.text
    assert Delivery.objects.filter(status=Status.PENDING).count() == EXPECTED
    assert smtp_server.received == []
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        next_day = plan_reminders.delay(datetime.date(2024, 9, 24).isoformat()).get(timeout=60)
        assert next_day["queued"] == EXPECTED
        wait_for(settled(Status.SENT))
    assert len(smtp_server.received) == EXPECTED
