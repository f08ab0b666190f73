"""Fan-out: send tasks of REMINDER_SEND_CHUNK delivery ids each, through the broker (Redis), or
in-process when no REDIS_URL is set (CELERY_TASK_ALWAYS_EAGER: the same code path).

A chunk goes over one SMTP connection (notifications/sending.py `send_batch`), while
each delivery in it is still claimed and recorded on its own.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError

from compliance.celery import app

logger = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    queued: int = 0
    left_pending: int = 0
    broker_error: str = ""


def chunks(delivery_ids, size=None):
    size = size or settings.REMINDER_SEND_CHUNK
    return [list(delivery_ids[start : start + size]) for start in range(0, len(delivery_ids), size)]


def dispatch(delivery_ids, now=None):
    """Queue the send tasks over one broker connection. When the broker is down, log it and
    stop: the rows stay in the database and the sweeper queues them again. `now` (an ISO
    time) makes the workers act as of that moment: tests move time instead of sleeping."""
    from .tasks import send_deliveries

    delivery_ids = list(delivery_ids)
    result = DispatchResult()
    if app.conf.task_always_eager:  # no broker: each task runs here and now
        for chunk in chunks(delivery_ids):
            send_deliveries.apply_async((chunk, now))
            result.queued += len(chunk)
        return result
    try:
        with app.connection_for_write() as connection:
            for chunk in chunks(delivery_ids):
                send_deliveries.apply_async((chunk, now), connection=connection)
                result.queued += len(chunk)
    except BrokerError as error:
        result.left_pending = len(delivery_ids) - result.queued
        result.broker_error = str(error)
        logger.error(
            "Reminders: the message broker is unavailable (%s); %s of %s e-mails were not "
            "queued and stay pending; the sweeper will queue them again.",
            error,
            result.left_pending,
            len(delivery_ids),
        )
    return result
