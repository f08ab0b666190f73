"""Sending one delivery exactly once: claim it in the database, then talk to the SMTP server.

The states, each change a conditional UPDATE that only one worker can win:

    pending --claim--> claimed --transmit--> transmitting --> sent
       ^                  |                       |  \\--> failed (refused, or retries used up)
       |__ transient SMTP failure (retried later) /
    claimed/pending --> skipped (nothing outstanding any more, superseded, no address)

* Two workers, a retried task, a second beat tick: only one UPDATE ... WHERE
  status='pending' matches; the others change no row and send nothing.
* A worker that dies after claiming and before transmitting has talked to no
  SMTP server. Its row stays `claimed`; once the claim is older than the lease
  (REMINDER_CLAIM_LEASE_SECONDS, far longer than EMAIL_TIMEOUT) the next
  planner run hands it out again and it is sent once: neither lost nor doubled.
* A worker that dies while `transmitting` may or may not have had the message
  accepted: SMTP and the database cannot commit together. We choose AT MOST
  ONCE for that window: the stale row is marked failed with that reason, for a
  person to check and resend from the admin, never resent blindly. The message
  carries a Message-ID fixed per delivery, so even a manual resend is dropped
  as a duplicate by mail clients that dedupe.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .messages import build_email
from .models import Delivery, Status
from .planner import lease_expired_before

logger = logging.getLogger(__name__)

SENT, SKIPPED, FAILED, RETRY, NOT_CLAIMED = "sent", "skipped", "failed", "retry", "not_claimed"


@dataclass
class Outcome:
    status: str
    reason: str = ""
    attempts: int = 0


def claim(delivery_id, now=None):
    """Take the delivery for this worker: a token, or None if another worker has it or it is
    done. A claim whose lease expired (its worker died before transmitting) is taken over."""
    now = now or timezone.now()
    token = uuid.uuid4()
    stale = Q(status=Status.CLAIMED, claimed_at__lt=lease_expired_before(now))
    won = Delivery.objects.filter(Q(status=Status.PENDING) | stale, pk=delivery_id).update(
        status=Status.CLAIMED, claim_token=token, claimed_at=now
    )
    return token if won else None


def _move(delivery_id, token, from_status, **changes):
    """Change a delivery this worker holds; False if it was taken from it meanwhile."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, claim_token=token, status=from_status).update(
            **changes
        )
    )


def deliver(delivery_id, now=None):
    """Claim, build and send one delivery; what happened, for the task to act on."""
    token = claim(delivery_id, now)
    if token is None:
        return Outcome(NOT_CLAIMED)
    delivery = Delivery.objects.select_related(
        "recipient", "unit", "campaign", "system", "system__owner"
    ).get(pk=delivery_id)
    message = build_email(delivery)
    if message is None:
        reason = _reason(_("Nothing is outstanding any more on the date of the reminder."))
        _move(delivery_id, token, Status.CLAIMED, status=Status.SKIPPED, reason=reason)
        return Outcome(SKIPPED, reason)
    attempts = delivery.attempts + 1
    if not _move(delivery_id, token, Status.CLAIMED, status=Status.TRANSMITTING, attempts=attempts):
        return Outcome(NOT_CLAIMED)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        return _after_failure(delivery_id, token, error, attempts)
    _move(
        delivery_id,
        token,
        Status.TRANSMITTING,
        status=Status.SENT,
        sent_at=timezone.now(),
        claim_token=None,
        reason="",
    )
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


def _after_failure(delivery_id, token, error, attempts):
    """Back to pending for a retry, or failed for good, with the server's answer."""
    detail = describe(error)
    if is_transient(error) and attempts < settings.REMINDER_MAX_ATTEMPTS:
        reason = _reason(_("Attempt %(n)s failed, will retry: %(error)s"), n=attempts, error=detail)
        _move(delivery_id, token, Status.TRANSMITTING, status=Status.PENDING, reason=reason)
        logger.warning("Reminder %s: %s", delivery_id, reason)
        return Outcome(RETRY, reason, attempts)
    if is_transient(error):
        text = _("Failed after %(n)s attempts: %(error)s")
    else:
        text = _("Refused by the mail server after %(n)s attempt(s): %(error)s")
    reason = _reason(text, n=attempts, error=detail)
    _move(
        delivery_id,
        token,
        Status.TRANSMITTING,
        status=Status.FAILED,
        claim_token=None,
        reason=reason,
    )
    logger.error("Reminder %s: %s", delivery_id, reason)
    return Outcome(FAILED, reason, attempts)


def _reason(text, **values):
    """Reasons are stored in the site's language (Vietnamese unless configured otherwise),
    whatever language the caller (a worker, an admin action) has active."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % values if values else str(text)


def retry_countdown(attempts):
    """Seconds before the next try: the backoff doubles with each failed attempt."""
    return settings.REMINDER_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
