"""Celery tasks: thin wrappers that take ids or dates and call the domain modules."""

import datetime
import logging

from celery import shared_task
from django.db import OperationalError as DatabaseError
from django.utils import timezone

from .dispatch import dispatch
from .planner import plan_day
from .sending import RETRY, deliver, retry_countdown

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


@shared_task(bind=True, name="notifications.send_delivery", max_retries=None, ignore_result=True)
def send_delivery(self, delivery_id):
    """Send one reminder. SMTP failures come back as RETRY while attempts remain (counted in
    the database, so duplicates of this task share the budget); the retry is scheduled with
    backoff. throw=False: the retry is queued without an exception, which in-process
    (eager) runs would otherwise propagate instead of retrying."""
    outcome = deliver(delivery_id)
    if outcome.status == RETRY:
        return self.retry(countdown=retry_countdown(outcome.attempts), throw=False)
    return outcome.status
