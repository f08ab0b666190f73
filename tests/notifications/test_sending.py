"""Exactly once through a real SMTP conversation (aiosmtpd): refusals, retries, dead workers."""

import datetime
import threading

import pytest
from django.db import connection

from notifications.models import Delivery, Kind, Status
from notifications.planner import plan_day
from notifications.sending import NOT_CLAIMED, SENT, claim, deliver
from notifications.tasks import plan_reminders, send_delivery

pytestmark = pytest.mark.usefixtures("only_approval")
AS_OF = datetime.date(2024, 9, 23)


def run(as_of=AS_OF):
    plan_reminders.delay(as_of.isoformat()).get()


def by_status():
    rows = Delivery.objects.values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


def test_end_to_end_through_a_real_smtp_server(province, smtp_server):
    run()
    sent = Delivery.objects.filter(status=Status.SENT).select_related("recipient")
    assert sent.count() == 7  # 4 campaign digests, 1 dossier notice, 2 inspection digests
    assert smtp_server.recipients() == sorted(row.recipient.email for row in sent)
    message = smtp_server.received[0]
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    ids = [m["Message-ID"] for m in smtp_server.received]
    assert len(set(ids)) == len(ids)
    run()  # the second beat tick of the day
    assert len(smtp_server.received) == 7 and smtp_server.attempts == 7


def test_a_server_answering_451_is_retried_then_recorded_as_failed(province, smtp_server, settings):
    settings.REMINDER_MAX_ATTEMPTS = 3
    smtp_server.always = "451 4.3.0 Mailbox temporarily unavailable"
    run()
    rows = Delivery.objects.all()
    assert by_status() == {Status.FAILED: 7}  # every one tried: one failure stops nothing else
    assert {row.attempts for row in rows} == {3}
    assert all("451" in row.reason and "3" in row.reason for row in rows)
    assert smtp_server.attempts == 7 * 3 and smtp_server.received == []
    run()
    assert smtp_server.attempts == 7 * 3  # failed is final until someone resends it


def test_a_permanent_refusal_is_not_retried(province, smtp_server):
    smtp_server.always = "550 5.1.1 No such user"
    run()
    assert by_status() == {Status.FAILED: 7}
    assert {row.attempts for row in Delivery.objects.all()} == {1}
    assert "550" in Delivery.objects.first().reason


def test_a_transient_refusal_then_acceptance_sends_each_once(province, smtp_server):
    smtp_server.refusals = ["451 4.3.0 Try later", "421 4.7.0 Busy"]
    run()
    assert by_status() == {Status.SENT: 7}
    assert len(smtp_server.received) == 7 and smtp_server.attempts == 9
    assert len({m["Message-ID"] for m in smtp_server.received}) == 7


def test_no_mail_server_at_all_fails_after_the_retries(province, settings):
    from .conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    settings.REMINDER_RETRY_BACKOFF_SECONDS = 0
    settings.REMINDER_MAX_ATTEMPTS = 2
    run()
    assert by_status() == {Status.FAILED: 7}
    assert "ConnectionRefusedError" in Delivery.objects.first().reason


def test_a_claim_is_exclusive(province, smtp_server):
    plan = plan_day(AS_OF)
    delivery_id = plan.to_send[0]
    assert claim(delivery_id) is not None
    assert claim(delivery_id) is None
    assert deliver(delivery_id).status == NOT_CLAIMED
    assert smtp_server.attempts == 0


def test_a_worker_dying_between_claim_and_send_loses_nothing_and_sends_once(
    province, smtp_server, settings
):
    plan = plan_day(AS_OF)
    victim = plan.to_send[0]
    claim(victim)  # ... and the worker process dies here, before any SMTP traffic
    # The broker redelivers the unacknowledged task at once (acks_late): the claim holds.
    assert send_delivery.apply((victim,)).get() == NOT_CLAIMED
    for other in plan.to_send[1:]:
        deliver(other)
    assert victim not in plan_day(AS_OF).to_send  # the claim is not stale yet
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1
    )
    retry = plan_day(AS_OF, now=later)  # the next planner run, once the lease has expired
    assert retry.to_send == [victim]
    assert deliver(victim, now=later).status == SENT
    assert Delivery.objects.get(pk=victim).status == Status.SENT
    mine = Delivery.objects.get(pk=victim).recipient.email
    assert [m["To"] for m in smtp_server.received].count(mine) == 1
    assert plan_day(AS_OF, now=later).to_send == []


def test_a_worker_dying_while_transmitting_is_flagged_never_resent(province, smtp_server, settings):
    plan = plan_day(AS_OF)
    victim = plan.to_send[0]
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(
        seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1
    )
    Delivery.objects.filter(pk=victim).update(status=Status.TRANSMITTING, claimed_at=long_ago)
    again = plan_day(AS_OF)
    assert victim not in again.to_send and again.abandoned == 1
    row = Delivery.objects.get(pk=victim)
    assert row.status == Status.FAILED and "may or may not" in row.reason.replace(
        "có thể", "may or may not"
    )
    assert smtp_server.attempts == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_each_reminder_once(province, smtp_server):
    ids = plan_day(AS_OF).to_send
    outcomes = []

    def worker():
        try:
            outcomes.extend(deliver(delivery_id).status for delivery_id in ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(SENT) == len(ids)
    assert outcomes.count(NOT_CLAIMED) == len(ids)
    assert len(smtp_server.received) == len(ids)
    assert Delivery.objects.filter(kind=Kind.CAMPAIGN, status=Status.SENT).count() == 4
