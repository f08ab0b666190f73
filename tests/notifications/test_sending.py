"""Exactly once through a real SMTP conversation (aiosmtpd): refusals, retries, dead workers."""

import datetime
import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from notifications import sending
from notifications.models import Delivery, Kind, Status
from notifications.planner import plan_day
from notifications.sending import DEFERRED, NOT_CLAIMED, SENT, claim, deliver, send_batch
from notifications.tasks import plan_reminders, sweep_deliveries

from .conftest import no_mail_server, on, statuses

pytestmark = pytest.mark.usefixtures("only_approval")
AS_OF = datetime.date(2024, 9, 23)


def run(as_of=AS_OF):
    plan_reminders.delay(as_of.isoformat()).get()


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


def test_a_server_answering_451_defers_each_until_the_schedule_runs_out(province, smtp_server):
    smtp_server.always = "451 4.3.0 Mailbox temporarily unavailable"
    run()
    assert statuses() == {Status.DEFERRED: 7}  # every one tried: one refusal stops nothing else
    row = Delivery.objects.first()
    assert row.attempts == 1 and "451" in row.reason
    assert row.next_attempt_at == row.first_attempt_at + timedelta(minutes=1)
    run()  # a second planner tick: nothing is due yet, so nothing is tried early
    assert smtp_server.attempts == 7
    moment = Delivery.objects.aggregate(last=Max("first_attempt_at"))["last"]
    for minutes in (1, 5, 15, *[60] * 47):  # the schedule, then hourly, up to 48 hours
        moment += timedelta(minutes=minutes)
        sweep_deliveries(now=moment.isoformat())
        assert statuses() == {Status.DEFERRED: 7}, moment
    moment += timedelta(minutes=60)
    sweep_deliveries(now=moment.isoformat())
    assert statuses() == {Status.FAILED: 7}  # only the schedule's time ends the retries
    row.refresh_from_db()
    assert row.attempts == 52 and "48" in row.reason and "451" in row.reason
    assert smtp_server.received == []


def test_a_permanent_refusal_fails_at_once(province, smtp_server):
    smtp_server.always = "550 5.1.1 No such user"
    run()
    assert statuses() == {Status.FAILED: 7}
    assert {row.attempts for row in Delivery.objects.all()} == {1}
    assert "550" in Delivery.objects.first().reason


def test_a_transient_refusal_then_acceptance_sends_each_once(province, smtp_server):
    smtp_server.refusals = ["451 4.3.0 Try later", "421 4.7.0 Busy"]
    run()
    assert statuses() == {Status.SENT: 5, Status.DEFERRED: 2}
    sweep_deliveries(now=(timezone.now() + timedelta(minutes=1, seconds=1)).isoformat())
    assert statuses() == {Status.SENT: 7}
    assert len(smtp_server.received) == 7 and smtp_server.attempts == 9
    assert len({m["Message-ID"] for m in smtp_server.received}) == 7


def test_no_mail_server_at_all_defers_with_the_connection_error(province, settings):
    no_mail_server(settings)
    run()
    assert statuses() == {Status.DEFERRED: 7}
    assert "ConnectionRefusedError" in Delivery.objects.first().reason


def test_one_batch_uses_one_smtp_connection(province, smtp_server):
    ids = plan_day(AS_OF).to_send
    assert dict(send_batch(ids)) == {SENT: 7}
    assert smtp_server.sessions == 1


def test_a_refused_message_does_not_poison_the_connection_for_the_next(province, smtp_server):
    ids = plan_day(AS_OF).to_send
    smtp_server.refusals = ["421 4.7.0 Closing"]  # a 421 drops the connection
    assert dict(send_batch(ids)) == {SENT: 6, DEFERRED: 1}
    assert smtp_server.sessions == 2  # reconnected once


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
    claim(victim, now=on(AS_OF))  # ... and the worker process dies here, before any SMTP
    # The broker redelivers the unacknowledged task at once (acks_late): the claim holds.
    assert deliver(victim, now=on(AS_OF, minute=1)).status == NOT_CLAIMED
    assert send_batch(plan.to_send[1:]) == {SENT: 6}
    sweep_deliveries(now=on(AS_OF, minute=5).isoformat())
    assert Delivery.objects.get(pk=victim).status == Status.CLAIMED  # the claim is not stale yet
    later = on(AS_OF) + timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1)
    sweep_deliveries(now=later.isoformat())  # the sweeper, once the lease has expired
    assert Delivery.objects.get(pk=victim).status == Status.SENT
    mine = Delivery.objects.get(pk=victim).recipient.email
    assert [m["To"] for m in smtp_server.received].count(mine) == 1
    assert len(smtp_server.received) == 7


def test_a_worker_dying_while_transmitting_leaves_an_unknown_outcome_never_resent(
    province, smtp_server, settings
):
    plan = plan_day(AS_OF)
    victim = plan.to_send[0]
    token = claim(victim, now=on(AS_OF))
    # What a worker killed in the middle of the SMTP conversation leaves behind.
    Delivery.objects.filter(pk=victim, claim_token=token).update(status=Status.TRANSMITTING)
    send_batch(plan.to_send[1:])
    later = on(AS_OF) + timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1)
    assert sweep_deliveries(now=later.isoformat())["unknown"] == 1
    row = Delivery.objects.get(pk=victim)
    assert row.status == Status.UNKNOWN and "Message-ID" in row.reason
    assert victim not in plan_day(AS_OF, now=later, rerun=True).to_send
    sweep_deliveries(now=(later + timedelta(hours=1)).isoformat())
    assert Delivery.objects.get(pk=victim).status == Status.UNKNOWN
    sent_to = [m["To"] for m in smtp_server.received]
    assert row.recipient.email not in sent_to and len(sent_to) == 6


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


def test_a_delivery_taken_over_mid_chunk_is_left_alone_and_the_one_before_it_recorded(
    province, smtp_server, monkeypatch
):
    ids = plan_day(AS_OF).to_send
    victim = ids[1]
    build = sending.build_email

    def build_then_lose_the_claim(delivery, drafts):
        if delivery.pk == victim:  # another worker takes it over (its lease ran out)
            Delivery.objects.filter(pk=victim).update(claim_token=uuid.uuid4())
        return build(delivery, drafts)

    monkeypatch.setattr(sending, "build_email", build_then_lose_the_claim)
    assert send_batch(ids) == {SENT: 6, NOT_CLAIMED: 1}
    first = Delivery.objects.get(pk=ids[0])
    assert first.status == Status.SENT and first.claim_token is None  # in the same UPDATE
    assert Delivery.objects.get(pk=victim).status == Status.CLAIMED  # the other worker's
    assert len(smtp_server.received) == 6 and statuses() == {Status.SENT: 6, Status.CLAIMED: 1}


def test_a_chunk_is_built_before_its_first_e_mail_goes_out(province, smtp_server, monkeypatch):
    """So a worker dying while building leaves claims only, and an accepted e-mail's record
    never waits for the next one to be built."""
    events = []
    build, send = sending.build_email, sending.Mailer.send

    def recorded_build(delivery, drafts):
        events.append("build")
        return build(delivery, drafts)

    def recorded_send(mailer, message):
        events.append(("sent before", Delivery.objects.filter(status=Status.SENT).count()))
        return send(mailer, message)

    monkeypatch.setattr(sending, "build_email", recorded_build)
    monkeypatch.setattr(sending.Mailer, "send", recorded_send)
    assert send_batch(plan_day(AS_OF).to_send) == {SENT: 7}
    assert events[:7] == ["build"] * 7
    # Each e-mail is recorded sent by the UPDATE that starts the next one.
    assert events[7:] == [("sent before", n) for n in range(7)]
