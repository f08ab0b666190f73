"""Writing the audit trail: `record` an event; `purge_expired` is the only way one goes."""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from registry.audit import rules
from registry.audit.models import AuditEvent


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record(action, *, actor=None, unit=None, target=None, data=None, request=None):
    """Record that `actor` did `action` (e.g. "import.applied") to `target` of `unit`.

    `request`, when given, supplies the actor (if none is passed) and the client address
    (REMOTE_ADDR, or the X-Forwarded-For hop of the outermost of TRUSTED_PROXY_COUNT
    proxies). `data` is any JSON-serialisable dict. Runs in the caller's transaction."""
    rules.validate_action(action)
    if actor is None and request is not None:
        actor = _user(getattr(request, "user", None))
    actor = _user(actor)
    target_type, target_id = rules.target_of(target)
    ip = None
    if request is not None:
        ip = rules.client_address(request.META, settings.TRUSTED_PROXY_COUNT)
    event = AuditEvent(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        unit=unit,
        target_type=target_type,
        target_id=target_id,
        ip=ip,
        data=data or {},
    )
    event.save()
    return event


@transaction.atomic
def purge_expired(now=None):
    """Delete the events older than AUDIT_RETENTION_DAYS; returns how many went.

    On PostgreSQL the append-only trigger lets a DELETE through only while `audit.purge`
    is on. SET LOCAL would keep it on until the outermost transaction ends, so it is
    switched off again right after this one statement."""
    cutoff = rules.retention_cutoff(now or timezone.now(), settings.AUDIT_RETENTION_DAYS)
    expired = AuditEvent.objects.filter(at__lt=cutoff)
    if connection.vendor != "postgresql":
        return expired._raw_delete(expired.db)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL audit.purge = 'on'")
        try:
            # The manager's delete() refuses on purpose; this is the one deletion there is.
            return expired._raw_delete(expired.db)
        finally:
            cursor.execute("SET LOCAL audit.purge = 'off'")
