"""Fan-out: one small send task per delivery, through the broker (Redis), or in-process
when no REDIS_URL is set (CELERY_TASK_ALWAYS_EAGER: the same code path)."""

import logging
from dataclasses import dataclass

from kombu.exceptions import OperationalError as BrokerError

from compliance.celery import app

logger = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    queued: int = 0
    left_pending: int = 0
    broker_error: str = ""


def dispatch(delivery_ids):
    """Queue a send task per delivery over one broker connection. When the broker is down,
    log it and stop: the rows stay pending in the database and the next run sends them."""
    from .tasks import send_delivery

    result = DispatchResult()
    if app.conf.task_always_eager:  # no broker: each task runs here and now
        for delivery_id in delivery_ids:
            send_delivery.apply_async((delivery_id,))
            result.queued += 1
        return result
    try:
        with app.connection_for_write() as connection:
            for delivery_id in delivery_ids:
                send_delivery.apply_async((delivery_id,), connection=connection)
                result.queued += 1
    except BrokerError as error:
        result.left_pending = len(delivery_ids) - result.queued
        result.broker_error = str(error)
        logger.error(
            "Reminders: the message broker is unavailable (%s); %s of %s e-mails were not "
            "queued and stay pending; the next planner run will send them.",
            error,
            result.left_pending,
            len(delivery_ids),
        )
    return result
