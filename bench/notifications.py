"""Reminder benchmarks: planning one day for the whole baseline, and the fan-out.

Planning is timed against the bare GROUP BY it is built on (unapproved systems
per owning unit) and its query count printed; the fan-out (claim, build, send
to a local-memory mail backend) is timed per task against a no-op task on the
same broker: Redis and a worker thread when REDIS_URL is set, in-process
otherwise. Every unit gets a manager and an officer first; all of it is removed
afterwards.
"""

import datetime
import logging
import time
from importlib import import_module

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from bench.common import count_queries
from compliance.celery import app
from notifications.dispatch import dispatch
from notifications.models import CampaignStep, Delivery
from notifications.planner import plan_day
from registry.models import Membership, Role, Unit

AS_OF = datetime.date(2024, 9, 23)
FAN_OUT = 200  # deliveries timed through the workers
BARE_PLAN_SQL = """
SELECT s.owner_id, COUNT(*) FROM registry_informationsystem s
WHERE s.declared_on <= %(d)s AND (s.retired_on IS NULL OR s.retired_on > %(d)s)
  AND NOT (s.decision_date IS NOT NULL AND s.decision_date <= %(d)s)
GROUP BY s.owner_id
"""
BENCH_USER_PREFIX = "bench-reminders-"


@app.task(name="bench.noop", ignore_result=True)
def noop(delivery_id):
    return delivery_id


def run(ctx):
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per task otherwise
    _seed()
    _staff_every_unit()
    try:
        _planning(ctx)
        _fan_out(ctx)
    finally:
        _clean_up()


def _seed():
    """The seeded campaigns and time limits (the registry section flushes the database)."""
    import_module("notifications.migrations.0002_seed_deadlines").seed(apps, None)


def _staff_every_unit():
    User = get_user_model()
    units = list(Unit.objects.all())
    users = [
        User(
            username=f"{BENCH_USER_PREFIX}{role}-{unit.pk}", email=f"{role}-{unit.pk}@bench.invalid"
        )
        for unit in units
        for role in (Role.MANAGER, Role.OFFICER)
    ]
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.filter(username__startswith=BENCH_USER_PREFIX)}
    Membership.objects.bulk_create(
        Membership(user=by_name[f"{BENCH_USER_PREFIX}{role}-{unit.pk}"], unit=unit, role=role)
        for unit in units
        for role in (Role.MANAGER, Role.OFFICER)
    )


def _planning(ctx):
    def bare():
        with connection.cursor() as cursor:
            cursor.execute(BARE_PLAN_SQL, {"d": AS_OF})
            cursor.fetchall()

    ctx.compare(
        "plan one day (dry run), whole baseline", lambda: plan_day(AS_OF, dry_run=True), bare
    )
    ctx.report("planning queries (dry run)", count_queries(lambda: plan_day(AS_OF, dry_run=True)))
    ctx.report("planned deliveries", len(plan_day(AS_OF, dry_run=True).new))


def _fan_out(ctx):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ids = plan_day(AS_OF).to_send[:FAN_OUT]
    with _broker():
        start = time.perf_counter()
        dispatch(ids)
        _wait_until_done(ids)
        seconds = time.perf_counter() - start
        start = time.perf_counter()
        results = [noop.delay(delivery_id) for delivery_id in ids]
        if not app.conf.task_always_eager:
            _wait_for_noops(len(results))
        bare = time.perf_counter() - start
    where = "in-process" if app.conf.task_always_eager else "Redis + worker"
    ctx.ratio(f"fan-out {len(ids)} e-mails vs no-op tasks ({where})", seconds, bare)
    ctx.report("fan-out throughput", f"{len(ids) / seconds:,.0f}", "e-mails/s")


class _broker:
    """A worker thread on the Redis broker when there is one; nothing to start otherwise."""

    def __enter__(self):
        self.worker = None
        if not app.conf.task_always_eager:
            app.control.purge()
            _NoopCounter.reset()
            self.worker = start_worker(app, pool="solo", perform_ping_check=False, loglevel="ERROR")
            self.worker.__enter__()

    def __exit__(self, *exc):
        if self.worker is not None:
            self.worker.__exit__(*exc)


class _NoopCounter:
    done = 0

    @classmethod
    def reset(cls):
        cls.done = 0


@task_postrun.connect
def _on_noop_done(sender=None, **kwargs):
    if sender is not None and sender.name == "bench.noop":
        _NoopCounter.done += 1


def _wait_until_done(ids, timeout=600):
    deadline = time.monotonic() + timeout
    while Delivery.objects.filter(pk__in=ids, status__in=["pending", "claimed"]).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not finish the fan-out")
        time.sleep(0.05)


def _wait_for_noops(count, timeout=600):
    deadline = time.monotonic() + timeout
    while _NoopCounter.done < count:
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not finish the no-op tasks")
        time.sleep(0.01)


def _clean_up():
    Delivery.objects.all().delete()
    CampaignStep.objects.all().delete()
    Membership.objects.filter(user__username__startswith=BENCH_USER_PREFIX).delete()
    get_user_model().objects.filter(username__startswith=BENCH_USER_PREFIX).delete()
