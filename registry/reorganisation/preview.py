"""What a unit change would do, shown to a national administrator before it is recorded:
the systems that move, the roles carried over, and the figures the day before and on the
effective date."""

import datetime
from dataclasses import dataclass

from compliance.selectors import compliance_summary, unit_figures, unit_systems
from registry.models import Membership, Role

from .models import ENDING_KINDS, ChangeKind
from .structure import Structure

LISTED_SYSTEMS = 20


@dataclass
class FiguresBeforeAfter:
    label: str
    before: object  # Figures, or None when the unit does not count on that date
    after: object


@dataclass
class Preview:
    systems_moving: int
    systems_listed: list
    roles_carried_over: list
    reporting_units_before: int
    reporting_units_after: int
    figures: list


def preview(spec):
    """The effect of `spec` (a validated ChangeSpec), computed without saving anything."""
    day_before = spec.effective_on - datetime.timedelta(days=1)
    before = Structure.load(day_before)
    after = Structure.load(spec.effective_on, extra_changes=[spec.as_row()])
    moving = unit_systems(spec.unit, day_before, before)
    summary_before = compliance_summary(day_before, structure=before)
    summary_after = compliance_summary(spec.effective_on, structure=after)
    return Preview(
        systems_moving=moving.count() if _moves_systems(spec) else 0,
        systems_listed=list(moving.order_by("code")[:LISTED_SYSTEMS])
        if _moves_systems(spec)
        else [],
        roles_carried_over=_roles_carried_over(spec),
        reporting_units_before=len(summary_before.units),
        reporting_units_after=len(summary_after.units),
        figures=[
            FiguresBeforeAfter(
                label=str(unit),
                before=_figures(unit, day_before, before),
                after=_figures(unit, spec.effective_on, after),
            )
            for unit in _involved(spec)
        ],
    )


def _moves_systems(spec):
    return spec.kind in ENDING_KINDS or spec.kind == ChangeKind.MOVE


def _roles_carried_over(spec):
    if spec.kind not in ENDING_KINDS:
        return []
    held = Membership.objects.filter(unit=spec.unit, pending=False).exclude(
        role=Role.NATIONAL_ADMIN
    )
    return list(held.select_related("user").order_by("user__username", "role"))


def _involved(spec):
    units = [spec.unit, spec.successor, spec.new_parent]
    if spec.kind == ChangeKind.MOVE and spec.unit.parent_id:
        units.append(spec.unit.parent)
    seen, involved = set(), []
    for unit in units:
        if unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            involved.append(unit)
    return involved


def _figures(unit, as_of, structure):
    return unit_figures(unit, as_of, structure) if structure.exists(unit.pk) else None
