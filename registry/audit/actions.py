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


# ImportBatch.status -> action (registry.models.ImportStatus).
IMPORT_ACTIONS = {
    "applied": "import.applied",
    "dry_run": "import.dry_run",
    "rejected": "import.rejected",
    "failed": "import.failed",
}


def record_import(batch):
    """An import run (registry/imports.py), from the ImportBatch that records it."""
    return record(
        IMPORT_ACTIONS[batch.status],
        actor=batch.user,
        unit=batch.default_unit,
        target=batch,
        data={
            "file": batch.file_name,
            "rows": batch.total_rows,
            "created": batch.created,
            "updated": batch.updated,
            "error_rows": batch.error_rows,
        },
    )


def _key(membership):
    return membership.user_id, membership.role, membership.unit_id


def _role(membership):
    return {
        "user": membership.user.get_username(),
        "role": membership.role,
        "unit": membership.unit.code if membership.unit_id else None,
    }


def record_role_change(previous, membership, *, request=None):
    """A role assignment saved: granted if new, revoked and granted if it changed.

    `previous` is the stored assignment before the save (None when it is new); `membership`
    None means the assignment was removed."""
    if previous is not None and membership is not None and _key(previous) == _key(membership):
        return
    for action, assignment in (("role.revoked", previous), ("role.granted", membership)):
        if assignment is not None:
            record(
                action,
                unit=assignment.unit,
                target=assignment.user,
                data=_role(assignment),
                request=request,
            )


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
