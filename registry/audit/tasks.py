"""Celery task of the audit trail: the daily retention purge (thin, as every task here)."""

from celery import shared_task

from registry.audit import actions


@shared_task(name="audit.purge_expired_events", ignore_result=True)
def purge_expired_events():
    actions.purge_expired()
