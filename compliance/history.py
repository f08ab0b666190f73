"""Change history (django-simple-history) as lines people can read: who, when, from which import
file, and each changed field as its label, old value → new value, in the user's language.

One reading serves the system page (templates/compliance/system.html) and every admin history
page (templates/simple_history/object_history_list.html), whatever the model.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from registry import scope
from registry.models import Unit

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
OUT_OF_SCOPE = {True: _("(another unit)"), False: _("(another user)")}
# Kept by save() from other fields, or bookkeeping: never a change a person made.
HIDDEN_FIELDS = {"name_ascii", "updated_at", "path", "reporting_unit"}
NOTHING = "—"


@dataclass
class Change:
    name: str  # the model field's name
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: object  # the historical row
    when: object
    who: object
    action: str
    changes: list
    reason: str
    batch: object  # the ImportBatch that wrote it, or None
    batch_named: bool = False  # its file may be named: its importer is in the viewer's scope


def change_history(obj, viewer):
    """Newest first; a few queries whatever the length."""
    records = list(_records(obj.history.all()))
    return describe(records, viewer)[::-1]


def page_history(page_records, viewer):
    """The entries of one admin history page (newest first), each compared with the record
    before it, which may sit on the next page."""
    records = list(page_records)
    if not records:
        return []
    oldest = records[-1]
    key = oldest.instance_type._meta.pk.attname
    before = _records(type(oldest).objects.filter(**{key: getattr(oldest, key)}))
    previous = before.filter(history_date__lt=oldest.history_date).last()
    described = describe([*([previous] if previous else []), *records[::-1]], viewer)
    return described[1:][::-1] if previous else described[::-1]


def _records(queryset):
    related = ["history_user"]
    if any(f.name == "import_batch" for f in queryset.model._meta.fields):
        related.append("import_batch")
    return queryset.select_related(*related).order_by("history_date", "history_id")


def describe(records, viewer):
    """Entries for historical records in date order, each compared with the one before.

    A record that moved between units keeps its past: the viewer sees that it came from
    another unit, and was changed by someone there, but not that unit's name or people."""
    labels = _foreign_labels(records, viewer)
    entries, previous = [], None
    for record in records:
        changes = [] if previous is None else _changes(previous, record, labels)
        batch = getattr(record, "import_batch", None)
        entries.append(
            HistoryEntry(
                record=record,
                when=record.history_date,
                who=_person(record.history_user, labels),
                action=ACTIONS[record.history_type],
                changes=changes,
                reason=record.history_change_reason or "",
                batch=batch,
                batch_named=batch is not None and _named((get_user_model(), batch.user_id), labels),
            )
        )
        previous = record
    return entries


def _foreign_keys(model):
    return [f for f in model._meta.concrete_fields if f.is_relation and f.name not in HIDDEN_FIELDS]


def _foreign_labels(records, viewer):
    """{(model, id): label} for the objects the records point to (and who made them), one
    query per model; what lies outside the viewer's scope gets a label that names nothing."""
    if not records:
        return {}
    user_model = get_user_model()
    batches = [r.import_batch for r in records if getattr(r, "import_batch", None)]
    people = {r.history_user_id for r in records} | {b.user_id for b in batches}
    wanted = {user_model: people - {None}}
    for field in _foreign_keys(records[0].instance_type):
        ids = {getattr(r, field.attname) for r in records} - {None}
        wanted.setdefault(field.related_model, set()).update(ids)
    labels = {}
    for model, ids in wanted.items():
        in_scope = _in_scope(model, viewer, ids)
        for pk, obj in model._default_manager.in_bulk(ids).items():
            shown = in_scope is None or pk in in_scope
            labels[model, pk] = _object_label(obj) if shown else OUT_OF_SCOPE[model is Unit]
    return labels


def _in_scope(model, viewer, ids):
    """Which of `ids` the viewer may see named, or None for all of them."""
    visible = {Unit: scope.visible_units, get_user_model(): scope.visible_people}.get(model)
    if visible is None or scope.is_national_admin(viewer):
        return None
    return set(visible(viewer).filter(pk__in=ids).values_list("pk", flat=True))


def _named(key, labels):
    return labels.get(key) not in (None, *OUT_OF_SCOPE.values())


def _person(user, labels):
    if user is None:
        return None
    return labels.get((type(user), user.pk), _object_label(user))


def _object_label(obj):
    if isinstance(obj, get_user_model()):
        return obj.get_full_name() or obj.get_username()
    return getattr(obj, "name", None) or str(obj)


def display(field, value, labels):
    """A field's value as the user reads it: labels of choices, names of related objects,
    dates as dd/mm/yyyy, yes/no."""
    if value is None or value == "":
        return NOTHING
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return labels.get((field.related_model, value), str(value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _changes(old, new, labels):
    model = new.instance_type
    delta = new.diff_against(old, foreign_keys_are_objs=False)
    order = {f.name: index for index, f in enumerate(model._meta.concrete_fields)}
    changes = []
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, len(order))):
        if change.field in HIDDEN_FIELDS:
            continue
        field = model._meta.get_field(change.field)
        changes.append(
            Change(
                field.name,
                str(field.verbose_name),
                display(field, change.old, labels),
                display(field, change.new, labels),
            )
        )
    return changes
