"""Reading the audit trail: who may read which events, and the rows of a CSV export."""

import json

from django.db.models import Q
from django.utils import timezone

from registry import scope
from registry.audit.models import AuditEvent
from registry.models import Membership
from registry.spreadsheets import safe_cell

CSV_HEADER = ("time", "user", "action", "unit", "object type", "object id", "address", "details")


def can_read_audit(user):
    """Whether the user reads the audit trail at all (the admin's module and view permission):
    national administrators and the account administrators of units."""
    return scope.can_manage_accounts(user)


def visible_audit_events(user):
    """The events this user may read.

    National administrators read every event. A unit's account administrator reads the events
    of their unit and its subordinate units, and the events without a unit (sign-ins, say) of
    the people who hold a role there."""
    if scope.is_national_admin(user):
        return AuditEvent.objects.all()
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    units = scope.account_admin_units(user)
    members = Membership.objects.filter(unit__in=units).values("user_id")
    return AuditEvent.objects.filter(Q(unit__in=units) | Q(unit__isnull=True, actor__in=members))


def csv_rows(events):
    """The header and one row per event, spreadsheet-safe, times in the local zone."""
    yield CSV_HEADER
    rows = events.select_related("unit").order_by("at", "pk")
    for event in rows.iterator(chunk_size=2000):
        yield [
            safe_cell(value)
            for value in (
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                event.actor_name,
                event.action,
                event.unit.code if event.unit else "",
                event.target_type,
                event.target_id,
                event.ip or "",
                json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else "",
            )
        ]
