"""Recording, previewing, cancelling and applying unit changes: the one place they happen.

Recording a change is enough for every figure: the structure of a date is computed from
the changes (structure.py), so a change dated in the future takes effect on its date by
itself. What cannot be computed is done once the date has come, by `apply_due_changes`
(daily, and right after recording a change already in force): people of a merged unit are
carried over to its successor, pending confirmation, and the unit row takes the name and
parent of today, for the admin's lists.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.audit.actions import record
from registry.data_version import bump_data_version
from registry.models import InformationSystem, Membership, Role, Unit

from .models import ENDING_KINDS, ChangeKind, UnitChange
from .structure import Structure, forget_structures

logger = logging.getLogger(__name__)


@dataclass
class ChangeSpec:
    """A change to record (from the admin's form or a CSV row), before it is saved."""

    kind: str
    unit: Unit
    effective_on: datetime.date
    legal_basis: str
    successor: Unit = None
    other_successors: list = field(default_factory=list)
    new_parent: Unit = None
    new_name: str = ""
    note: str = ""

    def as_row(self, pk=0):
        """The change as the structure reads it (pk 0: not saved yet, sorted last on its day)."""
        return {
            "pk": pk or 10**18,
            "kind": self.kind,
            "unit_id": self.unit.pk,
            "successor_id": self.successor.pk if self.successor else None,
            "old_parent_id": self.unit.parent_id,
            "new_parent_id": self.new_parent.pk if self.new_parent else None,
            "old_name": self.unit.name,
            "new_name": self.new_name,
            "effective_on": self.effective_on,
        }


EARLIEST = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10


def validate(spec, structure=None):
    """Field-keyed ValidationError when the change cannot happen on its date, or would leave
    systems counting nowhere on that date or any later date a change is recorded for."""
    validate_date(spec.effective_on)
    structure = structure or Structure.load(spec.effective_on)
    errors = {}
    if not structure.exists(spec.unit.pk):
        errors["unit"] = _("This unit does not exist on the effective date.")
    elif spec.kind in ENDING_KINDS and spec.unit.pk in structure.endings:
        errors["unit"] = _("A merger, split or dissolution of this unit is already recorded.")
    if spec.kind in ENDING_KINDS:
        _validate_successor(spec, structure, errors)
    if spec.kind == ChangeKind.RENAME and not spec.new_name:
        errors["new_name"] = _("A rename needs the new name.")
    if spec.kind == ChangeKind.MOVE:
        _validate_move(spec, structure, errors)
    if spec.kind == ChangeKind.SPLIT:
        _validate_other_successors(spec, structure, errors)
    if errors:
        raise ValidationError(errors)
    _validate_later_dates(spec)


def validate_date(day):
    latest = datetime.date(timezone.localdate().year + YEARS_AHEAD, 12, 31)
    if not EARLIEST <= day <= latest:
        raise ValidationError(
            {
                "effective_on": _("The effective date must be between %(first)s and %(last)s.")
                % {"first": EARLIEST.strftime("%d/%m/%Y"), "last": latest.strftime("%d/%m/%Y")}
            }
        )


def _validate_other_successors(spec, structure, errors):
    for unit in spec.other_successors:
        if unit.pk == spec.unit.pk or not structure.exists(unit.pk):
            errors["other_successors"] = _(
                "A receiving unit must be another unit that exists on the effective date."
            )


def _validate_later_dates(spec):
    """Changes recorded out of date order may close a circle only later (B into A in 2027,
    then A into B in 2026): check the structure on every date from this one on."""
    later = UnitChange.objects.in_force().filter(effective_on__gt=spec.effective_on)
    days = sorted({spec.effective_on, *later.values_list("effective_on", flat=True)})
    for day in days:
        if Structure.load(day, extra_changes=[spec.as_row()]).stranded():
            raise ValidationError(
                _("With this change the units would lead round in a circle on %(day)s.")
                % {"day": day.strftime("%d/%m/%Y")}
            )


def _validate_successor(spec, structure, errors):
    successor = spec.successor
    if successor is None:
        errors["successor"] = _("Name the unit that takes over its systems.")
    elif successor.pk == spec.unit.pk or spec.unit.pk in structure.chain(successor.pk):
        errors["successor"] = _("A unit cannot be merged into itself or its own subordinate.")
    elif successor.established_on and successor.established_on > spec.effective_on:
        errors["successor"] = _("The successor does not exist yet on the effective date.")
    elif structure.ending(successor.pk):
        errors["successor"] = _("The successor has itself ended by the effective date.")


def _validate_move(spec, structure, errors):
    parent = spec.new_parent
    if parent is None:
        return  # becomes a reporting unit
    if not structure.exists(parent.pk):
        errors["new_parent"] = _("The new parent does not exist on the effective date.")
    elif spec.unit.pk in structure.chain(parent.pk):
        errors["new_parent"] = _("A unit cannot move under itself or its own subordinate.")


@transaction.atomic
def record_change(spec, *, actor=None, request=None, today=None):
    """Save a validated change, audit it, and apply it at once if already in force."""
    validate(spec)
    change = UnitChange.objects.create(
        kind=spec.kind,
        unit=spec.unit,
        successor=spec.successor,
        old_parent_id=spec.unit.parent_id,
        new_parent=spec.new_parent,
        old_name=spec.unit.name,
        new_name=spec.new_name,
        effective_on=spec.effective_on,
        legal_basis=spec.legal_basis,
        note=spec.note,
        recorded_by=actor,
    )
    change.other_successors.set(spec.other_successors)
    record(
        "unit_change.recorded",
        actor=actor,
        unit=spec.unit,
        target=change,
        data=_audit_data(change),
        request=request,
    )
    apply_due_changes(today or timezone.localdate(), actor=actor)
    return change


def _audit_data(change):
    return {
        "kind": change.kind,
        "unit": change.unit.code,
        "successor": change.successor.code if change.successor else None,
        "new_parent": change.new_parent.code if change.new_parent else None,
        "new_name": change.new_name,
        "effective_on": change.effective_on.isoformat(),
        "legal_basis": change.legal_basis,
    }


def may_cancel(change, today=None):
    """Only a change not yet in force can be cancelled; one in force is history (record the
    reverse change instead)."""
    today = today or timezone.localdate()
    return not change.is_cancelled and change.effective_on > today and change.applied_at is None


@transaction.atomic
def cancel_change(change, *, actor=None, request=None, today=None):
    claimed = UnitChange.objects.filter(
        pk=change.pk,
        cancelled_at__isnull=True,
        applied_at__isnull=True,
        effective_on__gt=today or timezone.localdate(),
    ).update(cancelled_at=timezone.now(), cancelled_by=actor)
    if not claimed:
        raise ValidationError(_("Only a change not yet in force can be cancelled."))
    forget_structures()  # an UPDATE sends no signal
    bump_data_version()
    change.refresh_from_db()
    record(
        "unit_change.cancelled",
        actor=actor,
        unit=change.unit,
        target=change,
        data=_audit_data(change),
        request=request,
    )
    return change


def apply_due_changes(today=None, actor=None):
    """Apply every change in force by `today` not applied yet, oldest first; safe to run twice
    (each change is claimed by a conditional UPDATE). Returns the changes applied."""
    today = today or timezone.localdate()
    applied = []
    due = UnitChange.objects.in_force().filter(effective_on__lte=today, applied_at__isnull=True)
    for change in due.select_related("unit", "successor").order_by("effective_on", "pk"):
        try:
            with transaction.atomic():
                claimed = UnitChange.objects.filter(pk=change.pk, applied_at__isnull=True)
                if claimed.update(applied_at=timezone.now()):
                    _apply(change, actor)
                    applied.append(change)
        except (ValidationError, IntegrityError):
            # One change that cannot be applied (rolled back, tried again tomorrow) must not
            # hold back the others.
            logger.exception("Unit change %s could not be applied", change.pk)
    return applied


def _apply(change, actor):
    carried = 0
    if change.kind == ChangeKind.RENAME:
        _update_unit(change.unit, name=change.new_name)
    elif change.kind == ChangeKind.MOVE:
        _update_unit(change.unit, parent=change.new_parent)
    else:
        carried = carry_over_memberships(change.unit, change.successor)
    record(
        "unit_change.applied",
        actor=actor,
        unit=change.unit,
        target=change,
        data={**_audit_data(change), "memberships_carried_over": carried},
    )


def _update_unit(unit, **values):
    unit = Unit.objects.get(pk=unit.pk)
    for name, value in values.items():
        setattr(unit, name, value)
    unit.save()


def carry_over_memberships(unit, successor):
    """Each role held in the merged unit, confirmed or still waiting, is offered in the
    successor, pending confirmation by the successor's account administrator or a national
    administrator; it says which unit it came from first. Returns how many."""
    held = Membership.objects.filter(unit=unit).exclude(role=Role.NATIONAL_ADMIN)
    existing = set(Membership.objects.filter(unit=successor).values_list("user_id", "role"))
    created = [
        Membership(
            user_id=m.user_id,
            unit=successor,
            role=m.role,
            carried_over_from_id=m.carried_over_from_id or unit.pk,
            pending=True,
        )
        for m in held
        if (m.user_id, m.role) not in existing
    ]
    Membership.objects.bulk_create(created)
    return len(created)


# Splits: the systems stay with the main successor until reassigned one by one ----------------


def receiving_units(change):
    """The main successor of a split, then the units that took over some of its functions."""
    return [change.successor, *change.other_successors.order_by("sort_order", "name")]


def reassignable_systems(change):
    """The split unit's systems (its subtree's, the day before) not reassigned yet."""
    before = Structure.load(change.effective_on - datetime.timedelta(days=1))
    owners = sorted(before.subtree(change.unit_id))
    systems = InformationSystem.objects.filter(owner_id__in=owners, previous_owner__isnull=True)
    return systems.select_related("owner").order_by("code")


@transaction.atomic
def reassign_systems(change, choices, *, actor=None, request=None, today=None):
    """Reassign systems of a split in force, {system id: receiving unit id}, all or nothing.

    Each moves on the split's date: figures of earlier dates still count it in the split
    unit. Choosing the main successor leaves a system where it already counts."""
    today = today or timezone.localdate()
    if change.kind != ChangeKind.SPLIT or change.is_cancelled or change.effective_on > today:
        raise ValidationError(_("Only the systems of a split in force can be reassigned."))
    receiving = {unit.pk: unit for unit in receiving_units(change)}
    systems = reassignable_systems(change).select_for_update(of=("self",))
    systems = {system.pk: system for system in systems.filter(pk__in=list(choices))}
    if set(systems) != set(choices) or not set(choices.values()) <= set(receiving):
        raise ValidationError(_("Choose, for systems of this split, one of its receiving units."))
    moved = 0
    for pk, unit_id in choices.items():
        if unit_id != change.successor_id:
            _reassign(systems[pk], receiving[unit_id], change, actor, request)
            moved += 1
    return moved


def _reassign(system, unit, change, actor, request):
    previous = system.owner
    system.previous_owner, system.owner_since, system.owner = previous, change.effective_on, unit
    system.save()
    record(
        "system.reassigned",
        actor=actor,
        unit=unit,
        target=system,
        data={"from": previous.code, "to": unit.code, "on": change.effective_on.isoformat()},
        request=request,
    )
