"""Against the real parts: a Redis broker, a Celery worker, an SMTP server (CI sets REDIS_URL)."""

import datetime
import logging
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from compliance.celery import app as celery_app
from notifications.dispatch import dispatch
from notifications.models import Delivery, Status
from notifications.tasks import plan_reminders, sweep_deliveries

from .conftest import free_port, on, seed_deadlines

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


def test_a_re_queue_storm_during_an_outage_fails_nothing_and_recovery_sends_each_once(
    province, smtp_server, worker
):
    smtp_server.always = "421 4.3.2 System not accepting network messages"
    plan_reminders.delay("2024-09-23").get(timeout=60)
    wait_for(settled(Status.DEFERRED))
    ids = list(Delivery.objects.values_list("pk", flat=True))
    for _ in range(5):  # an operator re-queues the day, again and again, during the outage
        dispatch(ids)
        plan_reminders.delay("2024-09-23").get(timeout=60)
    # The solo worker takes tasks in order: once this sweep answers, the storm has been run.
    assert sweep_deliveries.delay().get(timeout=60)["queued"] == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.DEFERRED}
    assert smtp_server.attempts == EXPECTED  # not yet due: re-queued tasks try nothing early
    smtp_server.always = None  # the server is back
    due = (timezone.now() + timedelta(minutes=1, seconds=1)).isoformat()
    sweep_deliveries.delay(now=due).get(timeout=60)
    wait_for(settled(Status.SENT))
    assert len(smtp_server.received) == EXPECTED
    assert len({m["Message-ID"] for m in smtp_server.received}) == EXPECTED


def test_redis_down_when_the_planner_runs_is_logged_and_the_sweeper_catches_up(
    province, smtp_server, caplog, settings
):
    celery_app.conf.broker_write_url = f"redis://127.0.0.1:{free_port()}/4"  # nothing listens
    try:
        with caplog.at_level(logging.ERROR, logger="notifications.dispatch"):
            outcome = plan_reminders.apply(("2024-09-23",)).get()
    finally:
        celery_app.conf.broker_write_url = None
    assert outcome == {"planned": EXPECTED, "queued": 0, "left_pending": EXPECTED}
    assert "message broker is unavailable" in caplog.text
    assert "the sweeper will queue them again" in caplog.text
    assert Delivery.objects.filter(status=Status.PENDING).count() == EXPECTED
    assert smtp_server.received == []
    celery_app.control.purge()
    # The next sweep once the pending rows are older than a lease, still on the planned day.
    tick = on(datetime.date(2024, 9, 23), hour=23)
    Delivery.objects.update(created_at=tick - timedelta(hours=1))
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        assert sweep_deliveries.delay(now=tick.isoformat()).get(timeout=60)["queued"] == EXPECTED
        wait_for(settled(Status.SENT))
    assert len(smtp_server.received) == EXPECTED
