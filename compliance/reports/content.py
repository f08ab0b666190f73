"""What an Appendix IX report says, whatever it is rendered to (PDF or XLSX).

Figures come only from compliance/selectors.py, so a report cannot disagree
with the pages. Rates are printed as whole percents rounded half-up, as the
published table printed them (compliance.rates.percent(..., places=0)); the
level mix keeps one decimal, as the national reports quote it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compliance import figures_cache
from compliance.deadlines import active_deadlines, units_missing_deadline
from compliance.rates import percent
from compliance.selectors import (
    deployment_as_of,
    dossier_status_as_of,
    outstanding_systems,
    subunit_breakdown,
)
from registry.models import Deployment, DossierStatus, ReportingGroup

NO_RATE = "—"
SECTIONS = (
    (
        "I",
        ReportingGroup.MINISTRY,
        gettext_lazy("Ministries, ministry-level and government agencies"),
    ),
    ("II", ReportingGroup.PROVINCE, gettext_lazy("Provinces and centrally-run cities")),
)


def figure_headers():
    """Column titles of every figures table, after the label column(s)."""
    return [
        _("Total systems"),
        _("Approved systems"),
        _("Approval rate"),
        _("Fully deployed systems"),
        _("Deployment rate"),
        _("Deployed / approved"),
    ]


def whole_percent(part, whole):
    """The published rounding: half-up to a whole percent; None when there is nothing to divide."""
    return percent(part, whole, places=0)


def figure_values(figures):
    """[total, approved, approval %, deployed, deployment %, deployed/approved %]; None: no rate."""
    return [
        figures.total,
        figures.approved,
        whole_percent(figures.approved, figures.total),
        figures.fully_deployed,
        whole_percent(figures.fully_deployed, figures.total),
        whole_percent(figures.fully_deployed, figures.approved),
    ]


def rate_text(value):
    return NO_RATE if value is None else f"{value}%"


def figure_texts(figures):
    """figure_values as printed: counts as digits, rates as '83%' or '—'."""
    values = figure_values(figures)
    return [str(v) if i in (0, 1, 3) else rate_text(v) for i, v in enumerate(values)]


def date_text(value):
    return value.strftime("%d/%m/%Y") if value else ""


def level_mix(figures):
    """[(label, count, share text)] for levels 1-5, and the systems with no level yet."""
    rows = [
        (_("Level %(level)s") % {"level": level}, count, _share(count, figures.total))
        for level, count in figures.levels.items()
    ]
    if figures.unleveled:
        rows.append(
            (_("No level proposed"), figures.unleveled, _share(figures.unleveled, figures.total))
        )
    return rows


def _share(count, total):
    value = percent(count, total, places=1)
    return NO_RATE if value is None else f"{number_format(value, 1)}%"


@dataclass
class DeadlineLine:
    name: str
    legal_basis: str
    requirement: str
    due_date: datetime.date
    days_left: int
    missed_by: list = field(default_factory=list)  # unit names short of it once it is due

    @property
    def state(self):
        days = abs(self.days_left)
        if self.days_left > 0:
            return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
        if self.days_left == 0:
            return _("due on this date")
        return ngettext("overdue by %(days)s day", "overdue by %(days)s days", days) % {
            "days": days
        }


def requirement_text(requirement):
    labels = {
        "approval": _("every system approved"),
        "deployment": _("every system's protection plan fully deployed"),
    }
    return labels.get(requirement, requirement)


def deadline_lines(as_of, rows, unit=None):
    """Active deadlines (for `unit`, only those aimed at it) with days left on `as_of`. Once a
    deadline is due (its due date included: the figures of that day are final for it), it
    names the rows short of it."""
    lines = []
    for deadline in active_deadlines(as_of, unit=unit):
        days_left = deadline.days_left(as_of)
        missed = [row.unit.name for row in units_missing_deadline(deadline, rows, as_of)]
        lines.append(
            DeadlineLine(
                name=deadline.name,
                legal_basis=deadline.legal_basis,
                requirement=requirement_text(deadline.requirement),
                due_date=deadline.due_date,
                days_left=days_left,
                missed_by=missed,
            )
        )
    return lines


@dataclass
class Section:
    number: str
    title: str
    block: object  # selectors.BlockFigures

    @property
    def rows(self):
        return self.block.units


@dataclass
class NationalReport:
    as_of: datetime.date
    national: object  # selectors.BlockFigures
    sections: list
    deadlines: list
    not_counted: list

    @property
    def rows(self):
        return [row for section in self.sections for row in section.rows]


def national_report(as_of):
    """The Appendix IX table: sections I and II, in the order the appendix lists units."""
    summary = figures_cache.summary(as_of)  # the page's figures of the date, read once
    sections = [
        Section(number, str(title), summary.groups[group]) for number, group, title in SECTIONS
    ]
    return NationalReport(
        as_of=as_of,
        national=summary.national,
        sections=sections,
        deadlines=deadline_lines(as_of, summary.national.units),
        not_counted=list(settings.REPORTS_UNITS_NOT_COUNTED),
    )


@dataclass
class OutstandingLine:
    code: str
    name: str
    level: int | None
    dossier_status: str
    decision_number: str
    decision_date: datetime.date | None
    deployment: str


@dataclass
class UnitReport:
    as_of: datetime.date
    unit: object
    figures: object  # selectors.UnitFigures, the unit's whole subtree
    group: object  # selectors.BlockFigures of the unit's reporting group
    national: object  # selectors.BlockFigures
    subunits: list
    outstanding: list
    deadlines: list


def unit_report(unit, as_of):
    """A unit's figures beside the national ones, its subordinate units and what is outstanding."""
    summary = figures_cache.summary(as_of, unit)
    figures = summary.units[0]
    return UnitReport(
        as_of=as_of,
        unit=figures.unit,  # the unit with its name of that date
        figures=figures,
        group=summary.groups[unit.group],
        national=summary.national,
        subunits=subunit_breakdown(unit, as_of),
        outstanding=[
            _outstanding_line(system, as_of) for system in outstanding_systems(unit, as_of)
        ],
        deadlines=deadline_lines(as_of, [figures], unit=unit),
    )


def _outstanding_line(system, as_of):
    status = dossier_status_as_of(system, as_of)
    approved = status == DossierStatus.APPROVED
    return OutstandingLine(
        code=system.code,
        name=system.name,
        level=system.level_then,
        dossier_status=str(status.label),
        decision_number=system.decision_number if approved else "",
        decision_date=system.decision_date if approved else None,
        deployment=str(Deployment(deployment_as_of(system, as_of)).label),
    )


def outstanding_headers():
    return [
        _("No."),
        _("Code"),
        _("System"),
        _("Level"),
        _("Dossier status"),
        _("Decision"),
        _("Deployment"),
    ]


def decision_text(line):
    if not line.decision_number:
        return ""
    return f"{line.decision_number}, {date_text(line.decision_date)}"


def below_50_lines(block):
    """The 'X/91 units below 50%' lines; units with no systems count with them (DOMAIN.md §7)."""
    counts = {"total": block.unit_count, "empty": block.units_without_systems}
    return [
        _(
            "%(below)s/%(total)s units below 50%% approval "
            "(of which %(empty)s with no systems declared)"
        )
        % {"below": block.units_below_50_approval, **counts},
        _("%(below)s/%(total)s units below 50%% deployment")
        % {"below": block.units_below_50_deployment, **counts},
    ]


def not_counted_text(names):
    if not names:
        return ""
    return _("Not counted in this summary: %(names)s.") % {"names": ", ".join(names)}


def method_note():
    return _(
        "Rates are shares of all declared systems, rounded half-up to whole percents as "
        "published; deployed / approved is shown separately. A unit with no systems declared "
        "has no rate and counts with the units below 50%."
    )
