"""Mail-server outages: nothing is lost, nothing is sent twice, the command's exit status tells
the truth, and one bad e-mail never stops the others (aiosmtpd; time is moved, not slept)."""

import datetime
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications.models import Delivery, Status
from notifications.tasks import sweep_deliveries
from registry.models import Unit

from .conftest import no_mail_server, statuses

pytestmark = pytest.mark.usefixtures("only_approval")
AS_OF = datetime.date(2024, 9, 23)
EXPECTED = 7  # 4 campaign digests, 1 dossier digest, 2 inspection digests (see `province`)


def send_reminders():
    """The command as cron runs it: (output, exit status)."""
    out = StringIO()
    try:
        call_command("send_reminders", "--as-of", AS_OF.isoformat(), stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def test_an_outage_for_the_whole_first_run_then_recovery_delivers_each_once(province, smtp_server):
    smtp_server.always = "421 4.3.2 Service not available, closing transmission channel"
    output, status = send_reminders()
    assert status != 0
    assert f"sent: 0, deferred: {EXPECTED}, failed: 0" in output
    assert statuses() == {Status.DEFERRED: EXPECTED}
    output, status = send_reminders()  # still down: the re-run tries at once, fails nothing
    assert status != 0 and statuses() == {Status.DEFERRED: EXPECTED}
    assert smtp_server.attempts == 2 * EXPECTED
    smtp_server.always = None
    output, status = send_reminders()  # back: the operator's re-run overrides the backoff
    assert status == 0
    assert f"sent: {EXPECTED}, deferred: 0, failed: 0" in output
    assert len(smtp_server.received) == EXPECTED
    assert len({m["To"] + m["Message-ID"] for m in smtp_server.received}) == EXPECTED
    output, status = send_reminders()
    assert status == 0 and len(smtp_server.received) == EXPECTED  # nothing twice


def test_with_no_server_listening_the_command_defers_and_exits_non_zero(province, settings):
    no_mail_server(settings)
    output, status = send_reminders()
    assert status != 0 and f"deferred: {EXPECTED}" in output
    assert "ConnectionRefusedError" in Delivery.objects.first().reason


def test_an_outage_across_sweeper_ticks_then_recovery_sends_each_once(province, smtp_server):
    smtp_server.always = "451 4.3.0 Temporary local problem"
    send_reminders()
    first = timezone.now()
    tick = first
    for _ in range(12 * 20):  # every 5 minutes for 20 hours, the server down all along
        tick += timedelta(minutes=5)
        sweep_deliveries(now=tick.isoformat())
    assert statuses() == {Status.DEFERRED: EXPECTED}
    # 1, 5, 15 minutes, then hourly: 4 tries in the first hour, one an hour after that
    assert 20 * EXPECTED <= smtp_server.attempts <= 25 * EXPECTED
    smtp_server.always = None
    for _ in range(12):  # the next hour's ticks, the server back
        tick += timedelta(minutes=5)
        sweep_deliveries(now=tick.isoformat())
    assert statuses() == {Status.SENT: EXPECTED}
    assert len(smtp_server.received) == EXPECTED


def test_e_mails_the_library_refuses_fail_alone_and_the_run_goes_on(province, smtp_server):
    """Issue 9: a CR/LF written past the rules (a bare UPDATE; system codes are now refused by
    the database itself, unit names are not) makes the e-mail library refuse the subject of
    each e-mail about that unit. Those deliveries fail with the reason, the others are sent,
    none is left claimed or transmitting."""
    department = province["department"]
    Unit.objects.filter(pk=department.pk).update(name="Sở TT&TT\r\nBcc: everyone@example.invalid")
    output, status = send_reminders()
    assert status != 0 and "failed: 3" in output
    bad = Delivery.objects.filter(unit=department)
    assert set(bad.values_list("status", flat=True)) == {Status.FAILED}
    assert all("BadHeaderError" in row.reason for row in bad)
    assert statuses() == {Status.SENT: EXPECTED - 3, Status.FAILED: 3}
    assert len(smtp_server.received) == EXPECTED - 3
    assert all(message["Bcc"] is None for message in smtp_server.received)  # no header injected


def test_time_running_out_while_a_worker_was_down_still_tries_once_more(province, smtp_server):
    smtp_server.always = "451 4.3.0 Try later"
    send_reminders()
    smtp_server.always = None
    much_later = timezone.now() + timedelta(hours=72)  # no sweeper ran for three days
    sweep_deliveries(now=much_later.isoformat())
    assert statuses() == {Status.SENT: EXPECTED}


def test_a_new_day_is_not_reported_for_yesterdays_deferred_mail(province, smtp_server):
    smtp_server.always = "451 4.3.0 Try later"
    assert send_reminders()[1] != 0
    smtp_server.always = None
    out = StringIO()
    call_command("send_reminders", "--as-of", "2024-09-24", stdout=out)  # exits 0
    assert "Deliveries of 24/09/2024: sent: 0, deferred: 0, failed: 0" in out.getvalue()
    sweep_deliveries(now=(timezone.now() + timedelta(minutes=2)).isoformat())
    assert statuses() == {Status.SENT: EXPECTED}
