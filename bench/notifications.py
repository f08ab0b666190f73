"""Reminder benchmarks: planning one day for the whole baseline, and the fan-out.

Planning is timed against the bare GROUP BY it is built on (unapproved systems
per owning unit) and its query count printed. The fan-out of FAN_OUT e-mails
(claim, build, send over SMTP to a local aiosmtpd server, record) is timed
against as many no-op tasks on the same broker and worker: with REDIS_URL, a
`celery worker` process (prefork, one child per CPU) on this run's PostgreSQL
database; in-process without a broker. The target is 3x (issue 11). The same
e-mails go out REPEAT times, each run followed by its no-op tasks, so a busy spell
of a shared machine weighs on both sides of a ratio; the median ratio is kept, and
the worker's CPU time per e-mail and per no-op task is printed beside it.
Every unit gets a manager and OFFICERS_PER_UNIT officers first, so the day has
more than FAN_OUT e-mails; all of it is removed afterwards.
"""

import datetime
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from bench.common import count_queries
from compliance.celery import app
from notifications.dispatch import dispatch
from notifications.models import CampaignStep, Delivery, Status
from notifications.planner import plan_day
from registry.models import Membership, Role, Unit
from tests.notifications.conftest import seed_deadlines

AS_OF = datetime.date(2024, 9, 23)
FAN_OUT = 1000  # e-mails timed through the workers
REPEAT = 3  # fan-out and no-op runs, alternated; the run with the median ratio is kept
OFFICERS_PER_UNIT = 6
BARE_PLAN_SQL = """
SELECT s.owner_id, COUNT(*) FROM registry_informationsystem s
WHERE s.declared_on <= %(d)s AND (s.retired_on IS NULL OR s.retired_on > %(d)s)
  AND NOT (s.decision_date IS NOT NULL AND s.decision_date <= %(d)s)
GROUP BY s.owner_id
"""
BENCH_USER_PREFIX = "bench-reminders-"
ROOT = Path(__file__).resolve().parent.parent


@app.task(name="bench.noop", ignore_result=True)
def noop(delivery_id):
    return delivery_id


def run(ctx):
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per task otherwise
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: one per SMTP command
    _seed()
    _staff_every_unit()
    try:
        _planning(ctx)
        _fan_out(ctx)
    finally:
        _clean_up()


def _seed():
    """The seeded campaigns, with their issue date, and time limits (the registry section
    flushes the database), as the notification tests seed them."""
    seed_deadlines()


def _staff_every_unit():
    User = get_user_model()
    units = list(Unit.objects.all())
    roles = [("manager", Role.MANAGER)]
    roles += [(f"officer{n}", Role.OFFICER) for n in range(OFFICERS_PER_UNIT)]
    users = [
        User(
            username=f"{BENCH_USER_PREFIX}{name}-{unit.pk}", email=f"{name}-{unit.pk}@bench.invalid"
        )
        for unit in units
        for name, _role in roles
    ]
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.filter(username__startswith=BENCH_USER_PREFIX)}
    Membership.objects.bulk_create(
        Membership(user=by_name[f"{BENCH_USER_PREFIX}{name}-{unit.pk}"], unit=unit, role=role)
        for unit in units
        for name, role in roles
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
    if not app.conf.task_always_eager and connection.vendor != "postgresql":
        # A worker process cannot open this run's SQLite database (in memory).
        ctx.report("fan-out", "skipped: with a broker it needs PostgreSQL (DATABASE_URL)")
        return
    ids = plan_day(AS_OF).to_send[:FAN_OUT]
    runs = []  # per run: ((seconds, worker CPU seconds) of the fan-out, the same of the no-ops)
    with _smtp_server() as server, _broker(server.port) as where:
        for _run in range(REPEAT):  # alternated, so a busy spell of the machine hits both
            _make_sendable_again(ids)
            start, cpu = time.perf_counter(), where.cpu()
            dispatch(ids)
            _wait_until_done(ids)
            sending = (time.perf_counter() - start, where.cpu_since(cpu))
            start, cpu = time.perf_counter(), where.cpu()
            for delivery_id in ids[1:]:
                noop.delay(delivery_id)
            # The last one keeps its result: the worker has run them all once it is there.
            noop.apply_async((ids[0],), ignore_result=False).get(timeout=600)
            bare = (time.perf_counter() - start, where.cpu_since(cpu))
            runs.append((sending, bare))
    if server.accepted != REPEAT * len(ids):
        raise RuntimeError(f"{server.accepted} of {REPEAT * len(ids)} e-mails reached the server")
    # Each run's fan-out against the no-op tasks timed right after it; the median run.
    runs.sort(key=lambda run: run[0][0] / run[1][0])
    (seconds, _cpu), (bare, _bare_cpu) = runs[len(runs) // 2]
    label = f"fan-out {len(ids)} e-mails (SMTP) vs no-op tasks ({where}), median of {REPEAT}"
    ctx.ratio(label, seconds, bare, 3)
    ratios = ", ".join(f"{sending[0] / noops[0]:.2f}" for sending, noops in runs)
    ctx.report("fan-out ratios of the runs", ratios)
    ctx.report("fan-out throughput", f"{len(ids) / seconds:,.0f}", "e-mails/s")
    if runs[0][0][1] is not None:
        per_mail = statistics.median(sending[1] for sending, _noops in runs) / len(ids) * 1000
        per_task = statistics.median(noops[1] for _sending, noops in runs) / len(ids) * 1000
        cpu = f"{per_mail:.2f} / {per_task:.2f}"
        ctx.report("worker CPU per e-mail / per no-op task", cpu, "ms")


def _make_sendable_again(ids):
    """The same e-mails sent again in the next run: back to pending, as planned."""
    Delivery.objects.filter(pk__in=ids).update(
        status=Status.PENDING,
        claim_token=None,
        claimed_at=None,
        attempts=0,
        first_attempt_at=None,
        sent_at=None,
        reason="",
    )


class _Counter:
    """An SMTP server's DATA step that accepts and counts (what a relay does, minus the disk)."""

    accepted = 0

    async def handle_DATA(self, server, session, envelope):
        self.accepted += 1
        return "250 OK"


class _smtp_server:
    """aiosmtpd on a free local port, and Django's SMTP backend pointed at it."""

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.handler = _Counter()
        self.handler.port = port
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)
        self.controller.start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        return self.handler

    def __exit__(self, *exc):
        self.controller.stop()


class _broker:
    """What the e-mails and the no-op tasks both run on: in production shape, a worker
    process (`celery worker`, prefork, one child per CPU) on the Redis broker, against this
    run's PostgreSQL database; in-process without a broker."""

    def __init__(self, smtp_port):
        self.smtp_port = smtp_port
        self.process = None

    def __enter__(self):
        if not app.conf.task_always_eager:
            app.control.purge()
            self.process = subprocess.Popen(_worker_command(), cwd=ROOT, env=self._environment())
            _wait_for_worker(self.process)
        return self

    def __str__(self):
        if self.process is None:
            return "in-process"
        return f"Redis + worker process, {os.cpu_count()} children"

    def cpu(self):
        """CPU seconds used so far by the worker process and its children (Linux /proc), or
        None where they cannot be read."""
        if self.process is None:
            return None
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            ticks = sum(_cpu_ticks(process) for process in [pid, *children])
        except OSError:
            return None
        return ticks / os.sysconf("SC_CLK_TCK")

    def cpu_since(self, before):
        now = self.cpu()
        return None if before is None or now is None else now - before

    def _environment(self):
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
        return {
            **os.environ,
            "DATABASE_URL": url,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "LOG_LEVEL": "WARNING",
            # As in production: no DEBUG query log, no template debugging.
            "DJANGO_DEBUG": "off",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        }

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)


def _cpu_ticks(pid):
    """User and system time of a running process, in clock ticks (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat


def _worker_command():
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "compliance",
        "worker",
        "--pool=prefork",
        f"--concurrency={os.cpu_count()}",
        "--loglevel=WARNING",
        "--include=bench.notifications",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def _wait_for_worker(process, timeout=60):
    deadline = time.monotonic() + timeout
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the benchmark's worker process did not start")


def _wait_until_done(ids, timeout=600):
    deadline = time.monotonic() + timeout
    waiting = ["pending", "claimed", "transmitting"]
    while Delivery.objects.filter(pk__in=ids, status__in=waiting).exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not finish the fan-out")
        time.sleep(0.05)


def _clean_up():
    Delivery.objects.all().delete()
    CampaignStep.objects.all().delete()
    Membership.objects.filter(user__username__startswith=BENCH_USER_PREFIX).delete()
    get_user_model().objects.filter(username__startswith=BENCH_USER_PREFIX).delete()
