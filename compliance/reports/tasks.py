"""Celery tasks: thin, by id, idempotent (compliance/reports/generation.py does the work)."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from compliance.reports import generation

logger = logging.getLogger(__name__)

# A database that went away for a moment is worth another try; a bug is not.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
MAX_RETRIES = 3


def backoff(retries):
    """Seconds before retry n (0-based): 10, 20, 40."""
    return 10 * 2**retries


@shared_task(bind=True, name="reports.generate_report", max_retries=MAX_RETRIES)
def generate_report(self, report_id):
    try:
        generation.generate(report_id)
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= self.max_retries:
            generation.mark_failed(report_id, error)
            raise
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error
    except Exception as error:
        # Not transient: record it for the page and stop; retrying would fail the same way.
        logger.exception("Report %s failed", report_id)
        generation.mark_failed(report_id, error)


@shared_task(name="reports.monthly_national_report")
def monthly_national_report():
    report = generation.scheduled_national_report(timezone.localdate())
    generate_report.delay(report.pk)
    return report.pk
