"""Sending deliveries exactly once: claim each in the database, then talk to the SMTP server.

The states, each change a conditional UPDATE that only one worker can win:

    pending --claim--> claimed --transmit--> transmitting --> sent
       ^                  |  \\                     |  \\--> deferred (4xx, connection error,
       |                  |   \\--> failed         |        time-out): claimed again when its
       |                  |   (the e-mail cannot   |        next attempt is due
       |                  |    be built)           \\--> failed (5xx, or still refused when the
       |                  |                             schedule's time ran out)
    claimed/pending --> skipped (nothing outstanding any more, superseded, no address)
    transmitting, worker gone past the lease --> unknown (a person checks; never resent blindly)

* Two workers, a re-queued task, a second beat tick: only one UPDATE ... WHERE
  status IN (...) matches; the others change no row and send nothing. A deferred
  row is claimable only once its next attempt is due, so re-queueing it during an
  outage neither sends it early nor uses up anything: failure comes from time
  (REMINDER_GIVE_UP_AFTER_HOURS after the first attempt), never from a count.
* A worker that dies after claiming and before transmitting has talked to no
  SMTP server. Its row stays `claimed`; once the claim is older than the lease
  (REMINDER_CLAIM_LEASE_SECONDS, far longer than EMAIL_TIMEOUT) the sweeper hands
  it out again and it is sent once: neither lost nor doubled.
* A worker that dies while `transmitting` may or may not have had the message
  accepted: SMTP and the database cannot commit together. We choose AT MOST
  ONCE for that window: the stale row becomes `unknown`, listed for national
  administrators with its Message-ID to look up in the mail server's log. The
  Message-ID is fixed per delivery, so even a deliberate resend is dropped as a
  duplicate by mail clients that dedupe.
* One bad delivery never stops the others: any error while building one e-mail
  (say a header the e-mail library refuses) fails that delivery with the reason.
"""

import logging
import smtplib
import uuid
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import connections, router
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from registry.reorganisation.structure import structures_cached

from .ledger import claimable, gives_up, next_attempt_at
from .messages import Drafts, build_email, check_headers
from .models import Delivery, Status

logger = logging.getLogger(__name__)

SENT, SKIPPED, FAILED, DEFERRED = "sent", "skipped", "failed", "deferred"
NOT_CLAIMED = "not_claimed"


@dataclass
class Outcome:
    status: str
    reason: str = ""
    attempts: int = 0


class Mailer:
    """One SMTP connection for a batch of deliveries, opened on the first send and opened
    again after an error (a refused or dropped connection must not poison the next one)."""

    def __init__(self):
        self.connection = get_connection()

    def send(self, message):
        message.connection = self.connection
        try:
            # Opened here, not by send_messages(), which would close what it opened itself.
            self.connection.open()
            message.send()
        except Exception:
            self.reset()
            raise

    def reset(self):
        try:
            self.connection.close()
        except (smtplib.SMTPException, OSError):
            logger.info("Reminders: closing a broken SMTP connection failed", exc_info=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.reset()


def send_batch(delivery_ids, now=None, force=False):
    """Send a chunk over one SMTP connection: {outcome: count}. The chunk is claimed in one
    conditional UPDATE (each row only if it is still claimable) and loaded in one query;
    each delivery then moves through its own states and is recorded on its own."""
    outcomes = Counter()
    token = _claim(delivery_ids, now or timezone.now(), force)
    claimed = _claimed(delivery_ids, token)
    outcomes[NOT_CLAIMED] += len(set(delivery_ids)) - len(claimed)
    with structures_cached(), Mailer() as mailer, Ledger(token) as ledger:
        for outcome in _deliver_claimed(claimed, ledger, mailer, now):
            outcomes[outcome.status] += 1
    return +outcomes  # without the zero counts


def claim(delivery_id, now=None, force=False):
    """Take the delivery for this worker: a token, or None if another worker has it, it is
    done, or it is deferred and not yet due (unless `force`)."""
    token = _claim([delivery_id], now or timezone.now(), force)
    return token if Delivery.objects.filter(pk=delivery_id, claim_token=token).exists() else None


def _claim(delivery_ids, now, force):
    token = uuid.uuid4()
    Delivery.objects.filter(claimable(now, force), pk__in=delivery_ids).update(
        status=Status.CLAIMED, claim_token=token, claimed_at=now
    )
    return token


def _claimed(delivery_ids, token):
    rows = Delivery.objects.filter(pk__in=delivery_ids, claim_token=token, status=Status.CLAIMED)
    related = ("recipient__reminder_preference", "unit", "campaign")
    return list(rows.select_related(*related).order_by("pk"))


class Ledger:
    """The state changes of the deliveries one worker holds under one claim token.

    Each change is a conditional UPDATE of rows still held (token and expected status),
    its count checked. One e-mail after another, the UPDATE that marks the next delivery
    `transmitting` also records the previous one `sent`: one statement per e-mail instead
    of two, and still each row marked transmitting before its message goes out and sent
    only after the server accepted it. An accepted message waits for its record until the
    next one starts, another change, or the end of the chunk, with no e-mail built in
    between (a chunk's e-mails are all built first); a worker dying in that moment leaves it
    `transmitting`, which becomes an unknown outcome, never a resend.
    """

    def __init__(self, token):
        self.token = token
        self.accepted = None  # (delivery id, when) sent and not recorded yet

    def move(self, delivery_id, from_status, **changes):
        """Change a delivery this worker holds; False if it was taken from it meanwhile."""
        self.record_accepted()
        return self._update(delivery_id, from_status, changes)

    def start_transmitting(self, delivery, now):
        """claimed -> transmitting (and the previous accepted e-mail -> sent, in the same
        UPDATE); False if the delivery was taken from this worker meanwhile."""
        changes = {
            "status": Status.TRANSMITTING,
            "attempts": delivery.attempts + 1,
            "first_attempt_at": delivery.first_attempt_at or now,
            "claimed_at": now,  # a transmission's lease runs from its start, not the chunk's
        }
        if self.accepted is None:
            return self._update(delivery.pk, Status.CLAIMED, changes)
        previous, sent_at = self.accepted
        self.accepted = None
        if _record_and_start(previous, sent_at, delivery.pk, changes, self.token) == 2:
            return True
        # Rare: one of the two was taken over meanwhile (a lease ran out). Was this one?
        return Delivery.objects.filter(
            pk=delivery.pk, claim_token=self.token, status=Status.TRANSMITTING
        ).exists()

    def accepted_by_server(self, delivery_id):
        self.accepted = (delivery_id, timezone.now())

    def record_accepted(self):
        if self.accepted is not None:
            delivery_id, sent_at = self.accepted
            self.accepted = None
            self._update(delivery_id, Status.TRANSMITTING, _sent_changes(sent_at))

    def _update(self, delivery_id, from_status, changes):
        rows = Delivery.objects.filter(pk=delivery_id, claim_token=self.token, status=from_status)
        return bool(rows.update(**changes))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.record_accepted()


def _sent_changes(sent_at):
    return {
        "status": Status.SENT,
        "sent_at": sent_at,
        "claim_token": None,
        "next_attempt_at": None,
        "reason": "",
    }


# previous: transmitting -> sent, next: claimed -> transmitting, both only while held (token).
# Written out because the ORM's CASE expressions for it cost more Python than the e-mail's
# rendering; what it sets is what _sent_changes and start_transmitting's changes say.
RECORD_AND_START = """
UPDATE {table} SET
  status = CASE WHEN id = %s THEN %s ELSE %s END,
  sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END,
  claim_token = CASE WHEN id = %s THEN NULL ELSE claim_token END,
  next_attempt_at = CASE WHEN id = %s THEN NULL ELSE next_attempt_at END,
  reason = CASE WHEN id = %s THEN '' ELSE reason END,
  attempts = CASE WHEN id = %s THEN attempts ELSE %s END,
  first_attempt_at = CASE WHEN id = %s THEN first_attempt_at ELSE %s END,
  claimed_at = CASE WHEN id = %s THEN claimed_at ELSE %s END
WHERE claim_token = %s AND ((id = %s AND status = %s) OR (id = %s AND status = %s))
"""


def _record_and_start(previous, sent_at, delivery_id, changes, token):
    """One UPDATE: the previous e-mail recorded sent, the next one marked transmitting with
    `changes`; the number of rows it changed (2 unless one was taken over meanwhile)."""
    fields = Delivery._meta
    connection = connections[router.db_for_write(Delivery)]

    def prep(name, value):
        return fields.get_field(name).get_db_prep_value(value, connection)

    sent, transmitting, claimed = Status.SENT.value, Status.TRANSMITTING.value, Status.CLAIMED.value
    first_attempt_at = prep("first_attempt_at", changes["first_attempt_at"])
    params = [previous, sent, transmitting]
    params += [previous, prep("sent_at", sent_at), previous, previous, previous]
    params += [previous, changes["attempts"], previous, first_attempt_at]
    params += [previous, prep("claimed_at", changes["claimed_at"])]
    params += [prep("claim_token", token), previous, transmitting, delivery_id, claimed]
    sql = RECORD_AND_START.format(table=connection.ops.quote_name(fields.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def deliver(delivery_id, now=None, force=False):
    """Claim, build and send one delivery: what happened."""
    now = now or timezone.now()
    token = _claim([delivery_id], now, force)
    claimed = _claimed([delivery_id], token)
    if not claimed:
        return Outcome(NOT_CLAIMED)
    with Mailer() as mailer, Ledger(token) as ledger:
        (outcome,) = _deliver_claimed(claimed, ledger, mailer, now)
        return outcome


def _deliver_claimed(claimed, ledger, mailer, now):
    """Each delivery's outcome. Every e-mail is built before the first one goes out: a
    worker dying while building leaves claims only (the sweeper sends them once their lease
    has run out), and the record of an accepted e-mail never waits for the next to be built."""
    drafts = Drafts()  # a unit's notice is worked out once per chunk (its managers and officers)
    built = []
    for delivery in claimed:
        outcome, message = _build(delivery, ledger, drafts)
        if message is None:
            yield outcome
        else:
            built.append((delivery, message))
    for delivery, message in built:
        moment = now or timezone.now()
        if not ledger.start_transmitting(delivery, moment):  # its claim expired meanwhile
            yield Outcome(NOT_CLAIMED)  # and another worker has it
        else:
            yield _transmit(delivery, ledger, message, mailer, moment)


def _build(delivery, ledger, drafts):
    """(None, the message), or (the outcome, None) for a delivery failed or skipped."""
    try:
        message = build_email(delivery, drafts)
        if message is not None:
            check_headers(message)
    except Exception as error:  # any bad data: this delivery fails, the others go on
        reason = _reason(_("The e-mail could not be built: %(error)s"), error=describe(error))
        return _fail(ledger, delivery.pk, Status.CLAIMED, reason), None
    if message is None:
        reason = _reason(_("Nothing is outstanding any more on the date of the reminder."))
        ledger.move(delivery.pk, Status.CLAIMED, status=Status.SKIPPED, reason=reason)
        return Outcome(SKIPPED, reason), None
    return None, message


def _transmit(delivery, ledger, message, mailer, now):
    attempts = delivery.attempts + 1
    try:
        mailer.send(message)
    except (smtplib.SMTPException, OSError) as error:
        return _after_refusal(delivery, ledger, error, now)
    except Exception as error:  # the e-mail library refused it: no use trying again
        reason = _reason(_("The e-mail could not be sent: %(error)s"), error=describe(error))
        return _fail(ledger, delivery.pk, Status.TRANSMITTING, reason, attempts)
    ledger.accepted_by_server(delivery.pk)
    return Outcome(SENT, attempts=attempts)


def is_transient(error):
    """4xx replies, a dropped connection or a refused socket may pass; 5xx replies will not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return True  # SMTPServerDisconnected, timeouts, connection refused


def describe(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        return f"{error.smtp_code} {message}"
    return f"{type(error).__name__}: {error}"


def _after_refusal(delivery, ledger, error, now):
    """Deferred to its next attempt time, or failed for good, with the server's answer."""
    attempts = delivery.attempts + 1
    first_attempt_at = delivery.first_attempt_at or now
    values = {"n": attempts, "error": describe(error)}
    if is_transient(error) and not gives_up(first_attempt_at, now):
        retry_at = next_attempt_at(attempts, now)
        values["at"] = f"{timezone.localtime(retry_at):%H:%M %d/%m/%Y}"
        reason = _reason(_("Attempt %(n)s failed; next attempt at %(at)s: %(error)s"), **values)
        ledger.move(
            delivery.pk,
            Status.TRANSMITTING,
            status=Status.DEFERRED,
            next_attempt_at=retry_at,
            claim_token=None,
            reason=reason,
        )
        logger.warning("Reminder %s: %s", delivery.pk, reason)
        return Outcome(DEFERRED, reason, attempts)
    if is_transient(error):
        values["hours"] = settings.REMINDER_GIVE_UP_AFTER_HOURS
        text = _(
            "Not accepted within %(hours)s hours of the first attempt (%(n)s attempts): %(error)s"
        )
    else:
        text = _("Refused by the mail server after %(n)s attempt(s): %(error)s")
    return _fail(ledger, delivery.pk, Status.TRANSMITTING, _reason(text, **values), attempts)


def _fail(ledger, delivery_id, from_status, reason, attempts=0):
    ledger.move(
        delivery_id,
        from_status,
        status=Status.FAILED,
        claim_token=None,
        next_attempt_at=None,
        reason=reason,
    )
    logger.error("Reminder %s: %s", delivery_id, reason)
    return Outcome(FAILED, reason, attempts)


def _reason(text, **values):
    """Reasons are stored in the site's language (Vietnamese unless configured otherwise),
    whatever language the caller (a worker, an admin action) has active."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % values if values else str(text)
