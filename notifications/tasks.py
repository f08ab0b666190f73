"""Celery tasks: thin wrappers that take ids or dates and call the domain modules.

No task retries by itself: a transient SMTP failure leaves the delivery deferred in
the database with its next attempt time, and the sweeper (beat, every few minutes)
sends what is due. The table is the queue; the broker is only the doorbell.
"""

import datetime
import logging

from celery import shared_task
from django.db import OperationalError as DatabaseError
from django.utils import timezone

from .dispatch import dispatch
from .ledger import due_ids, flag_unknown_outcomes
from .planner import plan_day
from .sending import send_batch

logger = logging.getLogger(__name__)


@shared_task(
    name="notifications.plan_reminders",
    autoretry_for=(DatabaseError,),
    retry_backoff=30,
    max_retries=3,
)
def plan_reminders(as_of=None):
    """The daily planner (Celery beat): plan the day's reminders, then fan them out."""
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    plan = plan_day(day)
    sent = dispatch(plan.to_send)
    logger.info(
        "Reminders for %s: %s planned, %s queued, %s left pending, %s superseded.",
        day,
        len(plan.new),
        sent.queued,
        sent.left_pending,
        plan.superseded,
    )
    return {"planned": len(plan.new), "queued": sent.queued, "left_pending": sent.left_pending}


@shared_task(name="notifications.send_deliveries", ignore_result=True)
def send_deliveries(delivery_ids, now=None):
    """Send a chunk of deliveries over one SMTP connection (`now`: ISO time, for tests)."""
    return dict(send_batch(delivery_ids, _moment(now)))


@shared_task(name="notifications.sweep_deliveries")
def sweep_deliveries(now=None):
    """Beat, every few minutes: stale transmissions become unknown outcomes; due deferred
    rows, claims past their lease and pending rows the broker never delivered are queued."""
    moment = _moment(now) or timezone.now()
    unknown = flag_unknown_outcomes(moment)
    ids = due_ids(moment, timezone.localdate(moment), settled_pending_only=True)
    result = dispatch(ids, now=now)  # a moment given (tests move time): the workers use it too
    return {"queued": result.queued, "left_pending": result.left_pending, "unknown": unknown}


def _moment(now):
    return datetime.datetime.fromisoformat(now) if now else None
