"""A system's change history (django-simple-history) as lines people can read."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from registry.models import InformationSystem, Unit

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
HIDDEN_FIELDS = {"name_ascii", "updated_at"}


@dataclass
class Change:
    name: str  # the model field's name
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    changes: list


def change_history(system):
    """Newest first: who, when, what (field, old → new), in three queries whatever the length."""
    records = list(system.history.select_related("history_user").order_by("history_date"))
    labels = _foreign_labels(records)
    entries = []
    previous = None
    for record in records:
        changes = [] if previous is None else _changes(previous, record, labels)
        entries.append(
            HistoryEntry(
                record.history_date, record.history_user, ACTIONS[record.history_type], changes
            )
        )
        previous = record
    return entries[::-1]


def _foreign_labels(records):
    """{(model, id): label} for the units and users that the records point to."""
    unit_ids = {r.owner_id for r in records} | {r.operator_id for r in records}
    user_ids = {r.responsible_officer_id for r in records}
    labels = {}
    if len(records) > 1:
        for unit in Unit.objects.filter(pk__in=unit_ids - {None}).only("pk", "name"):
            labels["unit", unit.pk] = unit.name
        users = get_user_model().objects.filter(pk__in=user_ids - {None})
        for user in users:
            labels["user", user.pk] = user.get_username()
    return labels


def _display(field, value, labels):
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        kind = "unit" if field.related_model is Unit else "user"
        return labels.get((kind, value), value)
    return value


def _changes(old, new, labels):
    delta = new.diff_against(old)
    changes = []
    for change in delta.changes:
        if change.field in HIDDEN_FIELDS:
            continue
        field = InformationSystem._meta.get_field(change.field)
        changes.append(
            Change(
                field.name,
                str(field.verbose_name),
                _display(field, change.old, labels),
                _display(field, change.new, labels),
            )
        )
    return changes
