"""Celery tasks of the unit changes."""

import logging

from celery import shared_task

from registry.reorganisation import changes

logger = logging.getLogger(__name__)


@shared_task(name="reorganisation.apply_due_unit_changes", ignore_result=True)
def apply_due_unit_changes():
    """Daily, before the reminders are planned (CELERY_BEAT_SCHEDULE): the changes that came
    into force carry their people over. Figures never wait for it: they follow the dates."""
    applied = changes.apply_due_changes()
    logger.info("Applied %s unit changes", len(applied))
