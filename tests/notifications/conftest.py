"""Fixtures for the reminder tests: staffed units, a real SMTP server, a real Celery worker."""

import datetime
import importlib
import socket
from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from compliance.celery import app as celery_app
from notifications.models import DeadlineCampaign
from registry.models import Membership, Role, Unit
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory

APPROVAL_DUE = datetime.date(2024, 9, 30)
DEPLOYMENT_DUE = datetime.date(2024, 12, 31)


@pytest.fixture(autouse=True)
def in_process_tasks(request):
    """Tests run tasks in-process unless they need the real broker (marked `broker`); with
    REDIS_URL set, the app would otherwise queue them for a worker that is not there."""
    if "broker" in request.keywords:
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def staff_units(units, with_email=True, prefix=""):
    """A manager and an officer named on each unit, in two bulk inserts (no password hashing);
    their logins are "<prefix><role>-<unit code>"."""
    User = get_user_model()
    users = []
    for unit in units:
        for role in (Role.MANAGER, Role.OFFICER):
            name = f"{prefix}{role}-{unit.code}".lower()
            email = f"{name}@example.invalid" if with_email else ""
            users.append(User(username=name, email=email, password="!"))
    User.objects.bulk_create(users)
    by_name = {
        user.username: user
        for user in User.objects.filter(username__in=[u.username for u in users])
    }
    Membership.objects.bulk_create(
        Membership(user=by_name[f"{prefix}{role}-{unit.code}".lower()], unit=unit, role=role)
        for unit in units
        for role in (Role.MANAGER, Role.OFFICER)
    )
    return {
        (unit.code, role): by_name[f"{prefix}{role}-{unit.code}".lower()]
        for unit in units
        for role in (Role.MANAGER, Role.OFFICER)
    }


def seed_deadlines():
    """The seeded campaigns and time limits (again: a transactional test flushes the tables)."""
    seeded = importlib.import_module("notifications.migrations.0002_seed_deadlines")
    dated = importlib.import_module("notifications.migrations.0004_campaign_issued_on")
    for campaign in seeded.CAMPAIGNS:  # with the issue date a later migration gave them
        DeadlineCampaign.objects.get_or_create(
            requirement=campaign["requirement"],
            due_date=campaign["due_date"],
            defaults={**campaign, "issued_on": dated.DIRECTIVE_09_ISSUED},
        )
    seeded.seed(django_apps, None)  # the time limits


@pytest.fixture
def approval_campaign(db):
    seed_deadlines()
    return DeadlineCampaign.objects.get(requirement="approval", due_date=APPROVAL_DUE)


@pytest.fixture
def deployment_campaign(db):
    seed_deadlines()
    return DeadlineCampaign.objects.get(requirement="deployment", due_date=DEPLOYMENT_DUE)


@pytest.fixture
def only_approval(db, approval_campaign):
    """The approval campaign alone (the seeded deployment one switched off)."""
    DeadlineCampaign.objects.exclude(pk=approval_campaign.pk).update(is_active=False)
    return approval_campaign


@pytest.fixture
def province(db):
    """A province with a department under it; each with a manager and an officer, and two
    unapproved systems in the province, one in the department, one approved and deployed."""
    province = UnitFactory(code="P99", name="Tỉnh Thử")
    department = SubUnitFactory(code="P99-IT", parent=province, name="Sở TT&TT Tỉnh Thử")
    people = staff_units([province, department])
    systems = {
        "high": SystemFactory(owner=province, proposed_level=4, code="P99-001"),
        "low": SystemFactory(owner=province, proposed_level=1, code="P99-002"),
        "dept": SystemFactory(owner=department, proposed_level=3, submitted=True, code="P99-003"),
        "done": SystemFactory(owner=province, deployed=True, code="P99-004"),
    }
    return {"province": province, "department": department, "people": people, **systems}


def units_named(*codes):
    return list(Unit.objects.filter(code__in=codes))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """An SMTP server's DATA step: records what it accepts, or answers with a refusal
    (`refuse_always`, or the next of `refusals` until they run out)."""

    def __init__(self):
        self.received = []
        self.raw = []
        self.attempts = 0
        self.refusals = []
        self.always = None
        self.peers = set()  # one client address per SMTP connection

    @property
    def sessions(self):
        return len(self.peers)

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        self.peers.add(session.peer)
        if self.always:
            return self.always
        if self.refusals:
            return self.refusals.pop(0)
        self.raw.append(envelope.content)
        self.received.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def recipients(self):
        return sorted(message["To"] for message in self.received)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port, and Django set to talk to it."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield handler
    controller.stop()


def on(day, hour=7, minute=0):
    """An aware moment on a date, Vietnam time: tests move time by passing it, not sleeping."""
    naive = datetime.datetime.combine(day, datetime.time(hour, minute))
    return timezone.make_aware(naive)


def no_mail_server(settings):
    """Django pointed at a local port where nothing listens: connections are refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()


def statuses():
    """{status: number of deliveries}."""
    from notifications.models import Delivery

    return dict(Counter(Delivery.objects.values_list("status", flat=True)))


def delivery_of(message):
    """The delivery row an e-mail was sent for (its Message-ID names it)."""
    from notifications.models import Delivery

    header = (
        message.extra_headers["Message-ID"]
        if hasattr(message, "extra_headers")
        else message["Message-ID"]
    )
    return Delivery.objects.get(pk=int(header.split("-")[1].split("@")[0]))


def mails_of(outbox, kind):
    return [message for message in outbox if delivery_of(message).kind == kind]
