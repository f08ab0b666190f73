"""Reads of the inspection ledger: who may see which records, and what is due as of a date.

The last inspection "as of" a date is read from the ledger (the latest record on or before
it), so a page asked about 30/06/2025 shows what was due then. Counts and lists take one
query each, whatever the number of systems.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Max, OuterRef, Subquery

from compliance import figures_cache
from compliance.selectors import (
    inspected_before_due,
    inspection_due_q,
    level_as_of,
    systems_as_of,
    unit_systems,
)
from registry import scope
from registry.inspections import rules
from registry.inspections.models import Inspection, OrganisationAssessment

# Systems listed on a unit page; the count covers them all.
LISTED_SYSTEMS = 100


def visible_inspections(user):
    return Inspection.objects.filter(system__in=scope.visible_systems(user))


def editable_inspections(user):
    return Inspection.objects.filter(system__in=scope.editable_systems(user))


def visible_assessments(user):
    return OrganisationAssessment.objects.filter(unit__in=scope.visible_units(user))


def editable_assessments(user):
    return OrganisationAssessment.objects.filter(unit__in=scope.editable_units(user))


def last_inspected_as_of(as_of):
    """The date of a system's latest inspection on or before `as_of` (a subquery)."""
    latest = Inspection.objects.filter(system=OuterRef("pk"), inspected_on__lte=as_of)
    return Subquery(latest.order_by("-inspected_on").values("inspected_on")[:1])


def _cutoffs(by_date):
    """{level: the latest last inspection that leaves a system of that level due by then}."""
    intervals = settings.INSPECTION_INTERVAL_MONTHS
    return {level: inspected_before_due(by_date, months) for level, months in intervals.items()}


def _due_by(by_date):
    """Systems (annotated with level_then, last_inspected_then) due for inspection by then."""
    intervals = settings.INSPECTION_INTERVAL_MONTHS
    return inspection_due_q(by_date, intervals, last_inspected="last_inspected_then")


def _is_due(level, last_inspected, cutoffs):
    """inspection_due_q's condition for one system, given _cutoffs() of the same date."""
    cutoff = cutoffs.get(level)
    return cutoff is not None and (last_inspected is None or last_inspected <= cutoff)


def _horizon(as_of):
    return as_of + datetime.timedelta(days=settings.INSPECTION_DIGEST_HORIZON_DAYS)


def _with_schedule(systems, as_of):
    return systems.annotate(
        level_then=level_as_of(as_of), last_inspected_then=last_inspected_as_of(as_of)
    )


def systems_due(systems, as_of, by_date=None):
    """Of `systems`, those whose periodic inspection is overdue on `as_of` or falls due by
    `by_date` (default: the digest's horizon), highest level first, then by code.

    Each carries `level_then` and `last_inspected_then` (the ledger as of `as_of`)."""
    due = _with_schedule(systems, as_of).filter(_due_by(by_date or _horizon(as_of)))
    return due.order_by(F("level_then").desc(nulls_last=True), "code")


def due_counts(systems, as_of):
    """{"overdue": n, "due_soon": n} for `systems` on `as_of`, in one query: the systems counted
    by level and last inspection as of the date, then sorted out here. (Counted in SQL with a
    filter per level, PostgreSQL worked out each system's level and last inspection once per
    filter: 27 subqueries a system.)"""
    overdue, soon = _cutoffs(as_of - datetime.timedelta(days=1)), _cutoffs(_horizon(as_of))
    groups = (
        _with_schedule(systems, as_of)
        .order_by()
        .values("level_then", "last_inspected_then")
        .annotate(systems=Count("pk"))
    )
    counts = {"overdue": 0, "due_soon": 0}
    for group in groups:
        schedule = group["level_then"], group["last_inspected_then"]
        if _is_due(*schedule, overdue):
            counts["overdue"] += group["systems"]
        elif _is_due(*schedule, soon):
            counts["due_soon"] += group["systems"]
    return counts


@dataclass
class DueSystem:
    system: object
    level: int
    last_inspected_on: datetime.date
    due_on: datetime.date  # datetime.date.min: never inspected
    overdue: bool

    @property
    def never_inspected(self):
        return self.last_inspected_on is None


@dataclass
class UnitInspections:
    """What a unit page shows about periodic duties as of a date."""

    as_of: datetime.date
    overdue: int
    due_soon: int
    systems: list = field(default_factory=list)  # DueSystem, at most LISTED_SYSTEMS
    assessed_on: datetime.date = None  # the unit's last organisation assessment
    assessment_due_on: datetime.date = None

    @property
    def total(self):
        return self.overdue + self.due_soon

    @property
    def more(self):
        return max(0, self.total - len(self.systems))

    @property
    def assessment_overdue(self):
        return rules.is_overdue(self.assessment_due_on, self.as_of)


def due_rows(systems, as_of, limit=None):
    rows = systems_due(systems, as_of).select_related("owner")
    if limit is not None:
        rows = rows[:limit]
    due = []
    for system in rows:
        due_on = rules.next_due(system.level_then, system.last_inspected_then)
        due.append(
            DueSystem(
                system=system,
                level=system.level_then,
                last_inspected_on=system.last_inspected_then,
                due_on=due_on,
                overdue=rules.is_overdue(due_on, as_of),
            )
        )
    return due


def last_assessed_on(unit, as_of):
    rows = OrganisationAssessment.objects.filter(unit=unit, inspected_on__lte=as_of)
    return rows.aggregate(last=Max("inspected_on"))["last"]


def unit_inspections(unit, as_of):
    """Systems of the unit (as counted toward it on `as_of`) overdue or due soon, and the
    unit's own organisation assessment; four queries."""
    systems = unit_systems(unit, as_of)
    counts = due_counts(systems, as_of)
    assessed = last_assessed_on(unit, as_of)
    return UnitInspections(
        as_of=as_of,
        overdue=counts["overdue"],
        due_soon=counts["due_soon"],
        systems=due_rows(systems, as_of, limit=LISTED_SYSTEMS),
        assessed_on=assessed,
        assessment_due_on=rules.next_organisation_assessment(assessed),
    )


@dataclass
class NationalInspections:
    as_of: datetime.date
    overdue: int
    due_soon: int
    units_assessment_overdue: list  # (unit, last assessed on or None), by report order


def national_inspections(summary):
    """Nationally on the summary's date: systems overdue or due soon, and the reporting
    units whose organisation assessment is overdue; two queries."""
    as_of = summary.as_of
    counts = due_counts(systems_as_of(as_of), as_of)
    units = [row.unit for row in summary.units]
    last = dict(
        OrganisationAssessment.objects.filter(unit__in=units, inspected_on__lte=as_of)
        .values("unit")
        .annotate(last=Max("inspected_on"))
        .values_list("unit", "last")
    )
    overdue_units = [
        (unit, last.get(unit.pk))
        for unit in units
        if rules.is_overdue(rules.next_organisation_assessment(last.get(unit.pk)), as_of)
    ]
    return NationalInspections(as_of, counts["overdue"], counts["due_soon"], overdue_units)


def inspections_between(systems, first_day, last_day):
    """The ledger records of `systems` dated in the period, by system then date (for a period
    report such as the annual one, Circular 12/2022 Arts. 13-14)."""
    rows = Inspection.objects.filter(
        system__in=systems, inspected_on__gte=first_day, inspected_on__lte=last_day
    )
    return rows.select_related("system").order_by("system__code", "inspected_on", "pk")


def system_inspections(system):
    return system.inspections.select_related("recorded_by").order_by("-inspected_on", "-pk")


def _horizon_days():
    return {"horizon": settings.INSPECTION_DIGEST_HORIZON_DAYS}


def unit_context(unit, as_of):
    """What the unit page's inspections section shows (templates: inspections/_unit.html);
    computed once per date and data version (the ledger's writes change it)."""
    computed = figures_cache.cached(
        "inspections", as_of, unit.pk, lambda: unit_inspections(unit, as_of)
    )
    return {"inspections": computed, **_horizon_days()}


def national_context(summary):
    """The national page's inspections section; computed once per date and data version:
    its count of systems due reads every system's level and ledger (the page's dearest query)."""
    computed = figures_cache.cached(
        "inspections", summary.as_of, "all", lambda: national_inspections(summary)
    )
    return {"inspections": computed, **_horizon_days()}


def system_context(system, level):
    """The system page's ledger and next due date, at `level` (the level in force)."""
    return {
        "inspections": list(system_inspections(system)),
        "inspection_due": rules.next_due(level, system.last_inspection_on),
    }
