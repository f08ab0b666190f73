"""Celery tasks of the registry: the retention of imported files."""

import logging

from celery import shared_task

from registry.retention import purge_import_files as purge

logger = logging.getLogger(__name__)


@shared_task(name="registry.purge_import_files", ignore_result=True)
def purge_import_files():
    """Daily (CELERY_BEAT_SCHEDULE): delete the expired files of dry runs and refused imports."""
    logger.info("Deleted %s expired import files", purge())
