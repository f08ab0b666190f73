"""Celery tasks of the compliance pages: the monthly snapshot."""

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from compliance.trends import previous_month_end, record_snapshots
from registry.data_version import bump_data_version

logger = logging.getLogger(__name__)


@shared_task(
    name="compliance.record_monthly_snapshot",
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def record_monthly_snapshot(as_of=None):
    """Snapshot the figures as of `as_of` (ISO date), by default the last day of the previous
    month. Idempotent: a rerun replaces the same date's recorded snapshots. Only database
    outages (OperationalError) are retried."""
    day = datetime.date.fromisoformat(as_of) if as_of else previous_month_end(timezone.localdate())
    written = record_snapshots(day)
    bump_data_version()  # the snapshots are bulk-created: no signal
    logger.info("Recorded %s compliance snapshots as of %s", written, day)
    return {"as_of": day.isoformat(), "snapshots": written}
