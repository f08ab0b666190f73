"""A worker killed (SIGKILL) in the middle of the SMTP conversation: the row becomes an unknown
outcome for a person to check, and nothing sends it again on its own."""

import asyncio
import datetime
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from notifications.models import Delivery, Status
from notifications.planner import plan_day
from notifications.tasks import sweep_deliveries

from .conftest import RecordingHandler, free_port, on

ROOT = Path(__file__).resolve().parents[2]
AS_OF = datetime.date(2024, 9, 23)
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process needs it"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("only_approval"),
]


class StallingHandler(RecordingHandler):
    """Takes the message's data, then never answers: the sender waits in mid-conversation."""

    def __init__(self):
        super().__init__()
        self.release = None

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        self.release = asyncio.Event()
        await self.release.wait()
        return "451 4.3.0 Gave up"


@pytest.fixture
def stalling_server(settings):
    handler = StallingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_TIMEOUT = 5
    yield handler
    if handler.release is not None:
        controller.loop.call_soon_threadsafe(handler.release.set)
    controller.stop()


def worker_process(delivery_id, port):
    """Another process sending one delivery, as a Celery worker child would."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT']}/{db['NAME']}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "compliance.settings",
        "DJANGO_DEBUG": "on",  # no SECRET_KEY needed for this helper process
    }
    code = (
        "import django; django.setup(); from notifications.sending import send_batch; "
        f"send_batch([{delivery_id}])"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)


def wait_for_status(delivery_id, status, timeout=30):
    deadline = time.monotonic() + timeout
    while Delivery.objects.get(pk=delivery_id).status != status:
        assert time.monotonic() < deadline, Delivery.objects.get(pk=delivery_id).status
        time.sleep(0.05)


def test_a_worker_killed_while_transmitting_leaves_an_unknown_outcome_and_no_resend(
    province, stalling_server, settings
):
    victim = plan_day(AS_OF).to_send[0]
    Delivery.objects.exclude(pk=victim).update(status=Status.SKIPPED)  # one e-mail at stake
    process = worker_process(victim, settings.EMAIL_PORT)
    try:
        wait_for_status(victim, Status.TRANSMITTING)
        while stalling_server.attempts == 0:  # the message is with the server, unanswered
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    lease = timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1)
    sweep_deliveries(now=(timezone.now() + lease).isoformat())
    row = Delivery.objects.get(pk=victim)
    assert row.status == Status.UNKNOWN and row.attempts == 1
    for hours in (1, 24, 72):  # the sweeper never sends it again by itself
        sweep_deliveries(now=(timezone.now() + timedelta(hours=hours)).isoformat())
    assert Delivery.objects.get(pk=victim).status == Status.UNKNOWN
    assert stalling_server.attempts == 1
    assert victim not in plan_day(AS_OF, now=on(AS_OF) + lease, rerun=True).to_send
