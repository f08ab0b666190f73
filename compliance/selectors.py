"""The one compliance-summary query that pages, PDFs, exports and commands share.

Everything is computed "as of" a date from the step dates a system carries:
a system counts from the day it was declared until the day it was retired; it
is approved from its decision date and fully deployed from the date its plan
became full. So the state on 30/09/2024 can be asked today.

The unit structure is that of the date asked (registry/reorganisation/
structure.py): a unit merged on 01/07/2025 is listed with its own systems
before that date, and its systems count toward its successor from then on.

Queries: two for the structure (units, unit changes), one grouped by (owning
unit, level) for the figures, one more when a single unit's subtree is asked
for. Sums per reporting unit, per group and nationally are added up in Python
from those rows, following the structure of the date.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from compliance.rates import is_below_threshold, percent
from registry.dossiers.models import DossierRound
from registry.models import (
    Deployment,
    DossierStatus,
    InformationSystem,
    ReportingGroup,
)
from registry.reorganisation.structure import Structure

LEVELS = (1, 2, 3, 4, 5)


@dataclass
class Figures:
    total: int = 0
    approved: int = 0
    fully_deployed: int = 0
    levels: dict = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    unleveled: int = 0

    @property
    def has_systems(self):
        return self.total > 0

    @property
    def approval_rate(self):
        return percent(self.approved, self.total)

    @property
    def deployment_rate(self):
        return percent(self.fully_deployed, self.total)

    @property
    def deployed_of_approved_rate(self):
        return percent(self.fully_deployed, self.approved)

    @property
    def below_50_approval(self):
        return is_below_threshold(self.approved, self.total)

    @property
    def below_50_deployment(self):
        return is_below_threshold(self.fully_deployed, self.total)

    def add(self, other):
        self.total += other.total
        self.approved += other.approved
        self.fully_deployed += other.fully_deployed
        self.unleveled += other.unleveled
        for level in LEVELS:
            self.levels[level] += other.levels[level]

    def as_dict(self):
        return {
            "total": self.total,
            "approved": self.approved,
            "approval_rate": _number(self.approval_rate),
            "fully_deployed": self.fully_deployed,
            "deployment_rate": _number(self.deployment_rate),
            "deployed_of_approved_rate": _number(self.deployed_of_approved_rate),
            "levels": {str(level): count for level, count in self.levels.items()},
        }


@dataclass
class UnitFigures(Figures):
    unit: object = None  # a registry Unit, carrying its name on the date

    def as_dict(self):
        return {
            "code": self.unit.code,
            "name": self.unit.name,
            "group": self.unit.group,
            "no_systems_declared": not self.has_systems,
            **super().as_dict(),
        }


@dataclass
class BlockFigures(Figures):
    """A group of reporting units (or the whole country): sums and the below-50% counts."""

    units: list = field(default_factory=list)

    @property
    def unit_count(self):
        return len(self.units)

    @property
    def units_below_50_approval(self):
        return sum(1 for row in self.units if row.below_50_approval)

    @property
    def units_below_50_deployment(self):
        return sum(1 for row in self.units if row.below_50_deployment)

    @property
    def units_without_systems(self):
        return sum(1 for row in self.units if not row.has_systems)

    def add_unit(self, row):
        self.units.append(row)
        self.add(row)

    def as_dict(self):
        return {
            **super().as_dict(),
            "units": self.unit_count,
            "units_below_50_approval": self.units_below_50_approval,
            "units_below_50_deployment": self.units_below_50_deployment,
            "units_without_systems": self.units_without_systems,
        }


@dataclass
class ComplianceSummary:
    as_of: datetime.date
    national: BlockFigures
    groups: dict
    units: list

    def as_dict(self):
        return {
            "as_of": self.as_of.isoformat(),
            "national": self.national.as_dict(),
            "groups": {key: block.as_dict() for key, block in self.groups.items()},
            "units": [row.as_dict() for row in self.units],
        }


def _number(rate):
    return None if rate is None else float(rate)


def systems_as_of(as_of):
    """Systems on the registry on that date: declared by then and not yet retired, each with
    `owner_then`, the unit that owned it on that date (a system reassigned since, after a
    split, belonged to its previous owner until then)."""
    systems = InformationSystem.objects.filter(declared_on__lte=as_of)
    return systems.exclude(retired_on__lte=as_of).annotate(owner_then=owner_as_of(as_of))


def owner_as_of(as_of):
    return Case(
        When(owner_since__gt=as_of, then=F("previous_owner_id")),
        default=F("owner_id"),
        output_field=IntegerField(),
    )


def unit_systems(unit, as_of, structure=None):
    """The systems counted toward `unit` (its whole subtree, and the units merged into it)
    on that date; none for a unit that had ended by then.

    Every page, report, export and e-mail that lists or counts one unit's systems
    selects them here, so that they follow the unit structure of the date asked."""
    structure = structure or Structure.load(as_of)
    return systems_as_of(as_of).filter(owner_then__in=sorted(structure.subtree(unit.pk)))


def approved_as_of(as_of):
    # decision_date is only ever set on an approved dossier (registry/transitions.py).
    return Q(decision_date__lte=as_of)


def fully_deployed_as_of(as_of):
    return Q(deployed_full_on__lte=as_of)


def level_as_of(as_of):
    """The level in force on that date: that of the latest re-determination decided by then
    (registry/dossiers), else the approved level once approved, else the proposed one.

    A re-determination in progress changes nothing: the old approval stays in force until
    the new decision, which replaces it from its date (Decree 85/2016 Art. 18). One scalar
    subquery: the summary stays one query."""
    redetermined = DossierRound.objects.filter(system=OuterRef("pk"), decision_date__lte=as_of)
    return Coalesce(
        Subquery(
            redetermined.order_by("-decision_date", "-number").values("approved_level")[:1],
            output_field=IntegerField(),
        ),
        Case(
            When(approved_as_of(as_of), then=F("approved_level")),
            default=F("proposed_level"),
            output_field=IntegerField(),
        ),
    )


def _figures_by(queryset, key, as_of):
    """{key value: Figures} from one GROUP BY (key, level) query."""
    rows = (
        queryset.annotate(level_then=level_as_of(as_of))
        .values(key, "level_then")
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=approved_as_of(as_of)),
            fully_deployed=Count("pk", filter=fully_deployed_as_of(as_of)),
        )
        .order_by()
    )
    figures = {}
    for row in rows:
        target = figures.setdefault(row[key], Figures())
        target.total += row["total"]
        target.approved += row["approved"]
        target.fully_deployed += row["fully_deployed"]
        if row["level_then"] in LEVELS:
            target.levels[row["level_then"]] += row["total"]
        else:
            target.unleveled += row["total"]
    return figures


def _with_figures(unit, figures):
    row = UnitFigures(unit=unit)
    if figures:
        row.add(figures)
    return row


def compliance_summary(as_of=None, unit=None, structure=None):
    """Figures per reporting unit, per group and nationally, as of a date, in the unit
    structure of that date (or `structure`, e.g. with a change not recorded yet).

    With `unit`, `units` holds that unit alone (a reporting unit or any
    subordinate unit, its whole subtree counted); national and group figures
    stay, for comparison.
    """
    as_of = as_of or timezone.localdate()
    structure = structure or Structure.load(as_of)
    by_reporting_unit = {}
    for owner_id, figures in _figures_by(systems_as_of(as_of), "owner_then", as_of).items():
        top = structure.reporting_unit(owner_id)
        if top is not None:
            by_reporting_unit.setdefault(top, Figures()).add(figures)
    groups = {group.value: BlockFigures() for group in ReportingGroup}
    national = BlockFigures()
    rows = []
    for pk in structure.reporting_units():
        reporting_unit = structure.unit(pk)
        row = _with_figures(reporting_unit, by_reporting_unit.get(pk))
        groups[reporting_unit.group].add_unit(row)
        national.add_unit(row)
        rows.append(row)
    if unit is not None:
        rows = [unit_figures(unit, as_of, structure)]
    return ComplianceSummary(as_of=as_of, national=national, groups=groups, units=rows)


def unit_figures(unit, as_of, structure):
    """One unit's figures on the date, its whole subtree (and what merged into it) counted."""
    row = UnitFigures(unit=structure.unit(unit.pk))
    for figures in _figures_by(unit_systems(unit, as_of, structure), "owner_then", as_of).values():
        row.add(figures)
    return row


# What the lists of outstanding systems show (the unit page's table and its downloads, the unit
# PDF): a unit's list runs to thousands of rows at 10x, and building each row's model from the
# forty-odd columns it does not show was most of the download's time.
OUTSTANDING_FIELDS = (
    "code",
    "name",
    "owner__name",
    "operator__name",
    "proposed_level",
    "approved_level",
    "dossier_status",
    "submitted_on",
    "appraised_on",
    "returned_on",
    "decision_number",
    "decision_date",
    "deployment",
    "deployed_full_on",
)


def outstanding_systems(unit, as_of=None):
    """The unit subtree's systems not yet approved or not yet fully deployed on that date.

    Highest level first, then by code; `level_then` holds the level as of the date.
    Pages, PDFs, exports and e-mails list what is outstanding from here.
    """
    as_of = as_of or timezone.localdate()
    return (
        unit_systems(unit, as_of)
        .exclude(approved_as_of(as_of) & fully_deployed_as_of(as_of))
        .annotate(level_then=level_as_of(as_of))
        .select_related("owner", "operator")
        .only(*OUTSTANDING_FIELDS)
        .order_by(F("level_then").desc(nulls_last=True), "code")
    )


def subunit_breakdown(unit, as_of=None):
    """Figures for the unit itself (systems it owns directly, and those of units merged into
    it) and for each direct subordinate unit of the date with its whole subtree, in one query
    for the figures."""
    as_of = as_of or timezone.localdate()
    structure = Structure.load(as_of)
    children = structure.children(unit.pk)
    rows = {pk: UnitFigures(unit=structure.unit(pk)) for pk in [unit.pk, *children]}
    systems = unit_systems(unit, as_of, structure)
    for owner_id, figures in _figures_by(systems, "owner_then", as_of).items():
        # Its own systems (and those of units merged into it) stay with the unit itself.
        rows[structure.branch_below(owner_id, unit.pk) or unit.pk].add(figures)
    return [rows[pk] for pk in [unit.pk, *children]]


# Where a dossier stood on a date, from its step dates (the later step wins a tie).
_DOSSIER_STEPS = (
    ("submitted_on", DossierStatus.SUBMITTED),
    ("appraised_on", DossierStatus.APPRAISED),
    ("returned_on", DossierStatus.RETURNED),
)


def dossier_status_as_of(system, as_of):
    """The dossier status on that date: the stored one when nothing has happened since."""
    if system.decision_date and system.decision_date <= as_of:
        return DossierStatus.APPROVED
    steps = [(getattr(system, field), order) for order, (field, _) in enumerate(_DOSSIER_STEPS)]
    if all(day is None or day <= as_of for day, _ in steps) and not system.decision_date:
        return DossierStatus(system.dossier_status)
    reached = [(day, order) for day, order in steps if day is not None and day <= as_of]
    if not reached:
        return DossierStatus.DRAFTING
    return _DOSSIER_STEPS[max(reached)[1]][1]


def deployment_as_of(system, as_of):
    """Full from the day it became full; partial work carries no date, so a plan that is
    partial or full today counts as partial before its full date."""
    if system.deployed_full_on and system.deployed_full_on <= as_of:
        return Deployment.FULL
    if system.deployment == Deployment.NOT_STARTED:
        return Deployment.NOT_STARTED
    return Deployment.PARTIAL


# Deadline requirements (notifications.DeadlineCampaign.requirement): what each one waits for.
REQUIREMENT_APPROVAL = "approval"
REQUIREMENT_DEPLOYMENT = "deployment"
REQUIREMENT_ANNUAL_REPORT = "annual_report"
REQUIREMENT_INSPECTION = "inspection"


def months_before(day, months):
    """The same day `months` earlier (the month's last day when it is shorter)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return datetime.date(year, month_index + 1, min(day.day, last_day))


def inspected_before_due(by_date, months):
    """The latest last inspection whose next one, `months` later (the day itself, or the month's
    last day when shorter), falls due on or before `by_date`. Usually the same day `months`
    earlier; when `by_date` is a month's last day, that month's last day (an inspection on
    31/08 falls due on 28/02, so on 28/02 it is due)."""
    cutoff = months_before(by_date, months)
    if (by_date + datetime.timedelta(days=1)).day == 1:
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def inspection_due_q(by_date, intervals, last_inspected="last_inspection_on"):
    """Systems (annotated with `level_then`) whose periodic inspection falls due by `by_date`:
    never inspected, or last inspected (the field `last_inspected`) at least the level's
    interval (months) before it."""
    condition = Q(pk__in=[])
    for level, months in intervals.items():
        cutoff = inspected_before_due(by_date, months)
        never = Q(**{f"{last_inspected}__isnull": True})
        long_ago = Q(**{f"{last_inspected}__lte": cutoff})
        condition |= Q(level_then=level) & (never | long_ago)
    return condition


def deadline_outstanding(
    requirement, as_of, due_date, levels=None, units=(), intervals=None, structure=None
):
    """Systems on the registry on `as_of` that a deadline still waits for, highest level first.

    Approval: not approved by then; deployment: plan not fully deployed by then;
    inspection: inspection due by `due_date` (`intervals`: {level: months});
    annual report: every system (each one is reported). `levels` and `units` (their
    subtrees in the structure of `as_of`) narrow it to the deadline's scope. Reminders
    count and list from here.
    """
    systems = systems_as_of(as_of).annotate(level_then=level_as_of(as_of))
    if levels is not None and set(levels) != set(LEVELS):
        systems = systems.filter(level_then__in=levels)
    if units:
        structure = structure or Structure.load(as_of)
        # A deadline set for a unit merged since follows its systems to the successor.
        owners = set().union(*(structure.former_subtree(unit.pk) for unit in units))
        systems = systems.filter(owner_then__in=sorted(owners))
    if requirement == REQUIREMENT_APPROVAL:
        systems = systems.exclude(approved_as_of(as_of))
    elif requirement == REQUIREMENT_DEPLOYMENT:
        systems = systems.exclude(fully_deployed_as_of(as_of))
    elif requirement == REQUIREMENT_INSPECTION:
        systems = systems.filter(inspection_due_q(due_date, intervals))
    return systems.order_by(F("level_then").desc(nulls_last=True), "code")


def counts_by_owner(systems):
    """{owning unit id on the systems' date: number of systems} in one GROUP BY query
    (`systems` from systems_as_of, which says who owned each one then)."""
    rows = systems.order_by().values("owner_then").annotate(count=Count("pk"))
    return {row["owner_then"]: row["count"] for row in rows}
