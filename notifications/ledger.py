"""The delivery ledger's time rules: leases, the retry schedule, what is due for sending.

Plain functions of `now`, so the sweeper, the planner, the command and the
tests (which move time forward instead of sleeping) all ask the same questions.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Delivery, Status


def lease_expired_before(now):
    return now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)


def claimable(now, force=False):
    """Rows a worker may take now: pending; claimed by a worker that died before sending
    (the lease expired); deferred once their next attempt is due, or at once when `force`
    (an operator's explicit re-run overrides the backoff)."""
    stale_claim = Q(status=Status.CLAIMED, claimed_at__lt=lease_expired_before(now))
    deferred = Q(status=Status.DEFERRED)
    if not force:
        deferred &= Q(next_attempt_at__lte=now)
    return Q(status=Status.PENDING) | stale_claim | deferred


def next_attempt_at(attempts, now):
    """When to try again after `attempts` failed tries: the schedule's steps in turn, then
    its last step over and over until the give-up time."""
    schedule = settings.REMINDER_RETRY_SCHEDULE_MINUTES
    minutes = schedule[min(attempts, len(schedule)) - 1]
    return now + datetime.timedelta(minutes=minutes)


def gives_up(first_attempt_at, now):
    """True once the schedule's time has run out: only time ends the retries, never a count."""
    window = datetime.timedelta(hours=settings.REMINDER_GIVE_UP_AFTER_HOURS)
    return now >= first_attempt_at + window


def flag_unknown_outcomes(now):
    """A worker that died while handing a message to the SMTP server may or may not have
    got it accepted. Resending could deliver it twice, so the row waits for a person who
    checks the mail server's log (admin: deliveries with unknown outcome): at most once."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "The worker stopped while handing the message to the mail server; it may or may "
            "not have been delivered. Look up its Message-ID in the mail server's log."
        )
    return Delivery.objects.filter(
        status=Status.TRANSMITTING, claimed_at__lt=lease_expired_before(now)
    ).update(status=Status.UNKNOWN, claim_token=None, reason=reason)


def due_ids(now, today, *, rerun_day=None, settled_pending_only=False):
    """Ids worth handing to the workers, oldest first.

    Pending rows still valid today, stale claims and due deferred rows; with `rerun_day`,
    that day's deferred rows at once. `settled_pending_only` (the sweeper) takes pending
    rows only once they are older than a lease: younger ones were just queued by the
    planner, and queueing them again would only make the workers find them claimed.
    """
    pending = Q(status=Status.PENDING)
    if settled_pending_only:
        pending &= Q(created_at__lt=lease_expired_before(now))
    stale_claim = Q(status=Status.CLAIMED, claimed_at__lt=lease_expired_before(now))
    waiting = (pending | stale_claim) & Q(valid_until__gt=today)
    waiting |= Q(status=Status.DEFERRED, next_attempt_at__lte=now)
    if rerun_day is not None:
        waiting |= Q(status=Status.DEFERRED, planned_for=rerun_day)
    return list(Delivery.objects.filter(waiting).order_by("pk").values_list("pk", flat=True))
