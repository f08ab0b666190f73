"""django-tables2 tables of the compliance pages; exports use the same tables (as_values)."""

from dataclasses import dataclass, field

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance import exports
from compliance.deadlines import APPROVAL, DEPLOYMENT
from compliance.forecast import Outlook, short_label
from compliance.selectors import BlockFigures, deployment_as_of, dossier_status_as_of
from registry.models import ReportingGroup
from registry.names import fold_ascii

NO_SYSTEMS = _("no systems declared")
NO_RATE_SORT = -1  # sorts units without a rate below 0%
# Outlooks that put a unit at risk of a deadline not yet due (a passed one is "missed").
AHEAD_AT_RISK = {Outlook.WILL_MISS, Outlook.NO_PROGRESS}


class BoundedPaginator(Paginator):
    """A page size from the URL kept between 1 and MAX_PER_PAGE: "-5" or "10**9" is no 500."""

    MAX_PER_PAGE = 500

    def __init__(self, object_list, per_page, *args, **kwargs):
        per_page = min(max(int(per_page), 1), self.MAX_PER_PAGE)
        super().__init__(object_list, per_page, *args, **kwargs)


def rate_text(rate):
    return "—" if rate is None else f"{number_format(rate, 1)}%"


@dataclass
class FiguresRow:
    """A line of a figures table: a unit's figures, or a block's totals (unit None)."""

    figures: object
    unit: object = None
    label: str = ""
    forecasts: dict = field(default_factory=dict)
    missed: list = field(default_factory=list)  # deadlines it missed (units_missing_deadline)

    @property
    def name(self):
        return self.label or self.unit.name

    @property
    def number(self):
        return self.unit.sort_order if self.unit and self.unit.is_reporting_unit else None

    @property
    def at_risk(self):
        """Missed a deadline, or forecast to miss one still ahead."""
        return bool(self.missed) or any(f.outlook in AHEAD_AT_RISK for f in self.forecasts.values())

    @property
    def cells(self):
        return figure_cells(self)

    @property
    def badges(self):
        return outlook_badges(self)

    def __getattr__(self, attribute):
        # total, approved, approval_rate ... come from the figures.
        if attribute in ("figures", "unit", "forecasts", "missed"):
            raise AttributeError(attribute)
        return getattr(self.figures, attribute)

    def sort_rate(self, attribute):
        rate = getattr(self.figures, attribute)
        return NO_RATE_SORT if rate is None else rate

    @property
    def approval_sort(self):
        return self.sort_rate("approval_rate")

    @property
    def deployment_sort(self):
        return self.sort_rate("deployment_rate")

    @property
    def deployed_of_approved_sort(self):
        return self.sort_rate("deployed_of_approved_rate")


def _row_attrs(record):
    classes = []
    if not record.figures.has_systems:
        classes.append("no-systems")
    elif record.figures.below_50_approval:
        classes.append("below")
    if record.at_risk:
        classes.append("at-risk")
    return " ".join(classes)


def _footer(table, bound_column):
    return table.footer_for(bound_column.name)


NUMBER_ATTRS = {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}}


class RateColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, empty_values=(), attrs=NUMBER_ATTRS, footer=_footer, **kwargs)

    def render(self, value, record):
        if value is None and not record.figures.has_systems:
            return NO_SYSTEMS
        return rate_text(value)

    def value(self, value, record):
        return value


class FiguresTable(tables.Table):
    """Figures per unit with totals in the footer: the national blocks and the subunit breakdown."""

    number = tables.Column(verbose_name=_("No."), empty_values=(), attrs=NUMBER_ATTRS)
    name = tables.Column(verbose_name=_("Unit"), empty_values=(), order_by="name", footer=_footer)
    total = tables.Column(verbose_name=_("Total systems"), attrs=NUMBER_ATTRS, footer=_footer)
    approved = tables.Column(verbose_name=_("Approved"), attrs=NUMBER_ATTRS, footer=_footer)
    approval_rate = RateColumn(verbose_name=_("Approval rate"), order_by="approval_sort")
    fully_deployed = tables.Column(
        verbose_name=_("Fully deployed"), attrs=NUMBER_ATTRS, footer=_footer
    )
    deployment_rate = RateColumn(verbose_name=_("Deployment rate"), order_by="deployment_sort")
    deployed_of_approved_rate = RateColumn(
        verbose_name=_("Deployed / approved"), order_by="deployed_of_approved_sort"
    )
    outlook = tables.Column(
        verbose_name=_("Forecast"), empty_values=(), orderable=False, exclude_from_export=False
    )

    class Meta:
        attrs = {"class": "table figures sticky-first"}
        row_attrs = {"class": _row_attrs}
        empty_text = _("No unit matches the filters.")

    def __init__(self, rows, totals, as_of_query="", **kwargs):
        self.totals = totals  # a FiguresRow: the footer line
        self.as_of_query = as_of_query
        super().__init__(rows, **kwargs)

    def footer_value(self, name):
        """The totals line's plain value for a column (exports write numbers, not text)."""
        if name == "name":
            return self.totals.label
        if name in ("number", "outlook"):
            return None
        return getattr(self.totals, name)

    def footer_for(self, name):
        value = self.footer_value(name)
        return rate_text(value) if name.endswith("_rate") else value

    def render_number(self, record):
        return record.number or ""

    def value_number(self, record):
        return record.number

    def render_name(self, record):
        if record.unit is None:
            return record.name
        url = reverse("compliance:unit", args=[record.unit.code]) + self.as_of_query
        return format_html('<a href="{}">{}</a>', url, record.name)

    def value_name(self, record):
        return record.name

    def render_outlook(self, record):
        flagged = [f for f in record.forecasts.values() if f.at_risk]
        if not flagged:
            return "—"
        return format_html(
            '<span class="flag">{}</span>',
            "; ".join(f"{_requirement_label(f.requirement)}: {f.label}" for f in flagged),
        )

    def value_outlook(self, record):
        return "; ".join(
            f"{_requirement_label(f.requirement)}: {f.label}" for f in record.forecasts.values()
        )


def _requirement_label(requirement):
    return {APPROVAL: _("approval"), DEPLOYMENT: _("deployment")}[requirement]


class OutstandingTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.Column(verbose_name=_("System"))
    owner = tables.Column(
        verbose_name=_("Owner unit"), accessor="owner__name", order_by="owner__name"
    )
    operator = tables.Column(
        verbose_name=_("Operator"), accessor="operator__name", order_by="operator__name"
    )
    level_then = tables.Column(verbose_name=_("Level"), attrs={"td": {"class": "num"}})
    dossier_status = tables.Column(verbose_name=_("Dossier status"))
    decision_date = tables.Column(verbose_name=_("Approved on"))
    deployment = tables.Column(verbose_name=_("Deployment"))
    missing = tables.Column(verbose_name=_("Still missing"), empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table outstanding sticky-first"}
        empty_text = _("Nothing outstanding.")

    def __init__(self, data, as_of, **kwargs):
        self.as_of = as_of
        super().__init__(data, **kwargs)

    def render_code(self, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("compliance:system", args=[record.pk]), record.code
        )

    def value_code(self, record):
        return record.code

    # Status columns show where each system stood on the page's date, not today.
    def render_dossier_status(self, record):
        return dossier_status_as_of(record, self.as_of).label

    def value_dossier_status(self, record):
        return str(self.render_dossier_status(record))

    def render_deployment(self, record):
        return deployment_as_of(record, self.as_of).label

    def value_deployment(self, record):
        return str(self.render_deployment(record))

    def value_decision_date(self, value):
        return value if value <= self.as_of else None

    def render_decision_date(self, value):
        decided = self.value_decision_date(value)
        return date_format(decided, "d/m/Y") if decided else "—"

    def _missing(self, record):
        if record.decision_date is None or record.decision_date > self.as_of:
            return _("approval and deployment")
        return _("full deployment")

    def render_missing(self, record):
        return self._missing(record)

    def value_missing(self, record):
        return str(self._missing(record))


# The national table -----------------------------------------------------------------------------
# One plain table rendered by a template loop (templates/compliance/national.html): a tbody per
# group with its subtotal row, the national total in the tfoot, every line built from the same
# cells() so the totals stand under their columns.


@dataclass(frozen=True)
class NationalColumn:
    key: str
    title: str
    numeric: bool = True


NATIONAL_COLUMNS = (
    NationalColumn("number", _("No.")),
    NationalColumn("name", _("Unit"), numeric=False),
    NationalColumn("total", _("Total systems")),
    NationalColumn("approved", _("Approved")),
    NationalColumn("approval_rate", _("Approval rate")),
    NationalColumn("fully_deployed", _("Fully deployed")),
    NationalColumn("deployment_rate", _("Deployment rate")),
    NationalColumn("deployed_of_approved_rate", _("Deployed / approved")),
)
FIGURE_KEYS = [column.key for column in NATIONAL_COLUMNS[2:]]
SORT_KEYS = {
    "number": lambda row: row.number or 0,
    "name": lambda row: fold_ascii(row.name),
    "total": lambda row: row.figures.total,
    "approved": lambda row: row.figures.approved,
    "approval_rate": lambda row: row.approval_sort,
    "fully_deployed": lambda row: row.figures.fully_deployed,
    "deployment_rate": lambda row: row.deployment_sort,
    "deployed_of_approved_rate": lambda row: row.deployed_of_approved_sort,
}
GROUP_NUMERALS = {ReportingGroup.MINISTRY: "I", ReportingGroup.PROVINCE: "II"}


def figure_cells(row):
    """The figures of a line as shown: counts, then rates ('83,3%', '—', no systems)."""
    cells = []
    for key in FIGURE_KEYS:
        value = getattr(row.figures, key)
        if not key.endswith("_rate"):
            cells.append(value)
        elif value is None and not row.figures.has_systems:
            cells.append(NO_SYSTEMS)
        else:
            cells.append(rate_text(value))
    return cells


def block_of(rows):
    """Sums and below-50% counts of the rows shown (the filters apply to the totals)."""
    block = BlockFigures()
    for row in rows:
        block.add_unit(row.figures)
    return block


@dataclass
class GroupBlock:
    group: object  # ReportingGroup
    numeral: str
    rows: list
    totals: FiguresRow


class NationalTable:
    """The reporting units by group with subtotals and the national total, sortable by a
    column within each group (?sort=approval_rate, ?sort=-total)."""

    columns = NATIONAL_COLUMNS

    def __init__(self, rows, *, filtered, query, as_of_query=""):
        self.query = query  # the request's QueryDict: sort links keep the filters
        self.as_of_query = as_of_query
        self.order = self._order(query.get("sort", ""))
        self.blocks, self.hidden_groups = [], []
        for group in ReportingGroup:
            group_rows = self._sorted([row for row in rows if row.unit.group == group.value])
            if not group_rows:
                self.hidden_groups.append(group.label)
                continue
            label = _("Total of the units shown: %s") if filtered else _("Total: %s")
            totals = FiguresRow(block_of(group_rows), label=label % group.label)
            self.blocks.append(GroupBlock(group, GROUP_NUMERALS[group], group_rows, totals))
        shown = [row for block in self.blocks for row in block.rows]
        label = _("Total of the units shown") if filtered else _("National total")
        self.totals = FiguresRow(block_of(shown), label=label)

    @staticmethod
    def _order(sort):
        key = sort.removeprefix("-")
        return (key, sort.startswith("-")) if key in SORT_KEYS else None

    def _sorted(self, rows):
        if self.order is None:
            return rows
        key, descending = self.order
        return sorted(rows, key=SORT_KEYS[key], reverse=descending)

    def headers(self):
        """[{column, url, sort}]: the link sorts by the column, ascending first."""
        current, descending = self.order or (None, False)
        headers = []
        for column in self.columns:
            query = self.query.copy()
            ascending_next = column.key != current or descending
            query["sort"] = column.key if ascending_next else f"-{column.key}"
            sort = None
            if column.key == current:
                sort = "descending" if descending else "ascending"
            headers.append({"column": column, "url": f"?{query.urlencode()}", "sort": sort})
        return headers

    def lines(self):
        """The table as plain values for CSV/XLSX: header, units and subtotal per group, total."""
        header = [str(column.title) for column in self.columns]
        lines = [header + [str(_("Forecast")), str(_("Deadlines missed"))]]
        for block in self.blocks:
            lines += [self._values(row, row.number, outlook_text(row), row) for row in block.rows]
            lines.append(self._total(block.totals))
        lines.append(self._total(self.totals))
        return lines

    @staticmethod
    def _values(line, number, outlook, row):
        figures = [_export_figure(key, getattr(line.figures, key)) for key in FIGURE_KEYS]
        missed = "; ".join(deadline.name for deadline in row.missed) if row else ""
        return [number, str(line.name), *figures, outlook, missed]

    def _total(self, line):
        """A subtotal or total line: live sums, and rates computed from their parts (XLSX)."""
        values = exports.FooterLine(self._values(line, None, "", None))
        for index, key in enumerate(FIGURE_KEYS, start=2):
            parts = exports.RATE_PARTS.get(key)
            if isinstance(values[index], exports.Rate) and parts:
                values[index].parts = tuple(2 + FIGURE_KEYS.index(part) for part in parts)
        return values


def _export_figure(key, value):
    """Rates as exports.Rate (a percent number in the XLSX), counts as they are."""
    return exports.Rate(value) if key.endswith("_rate") and value is not None else value


def outlook_text(row):
    return "; ".join(
        f"{_requirement_label(f.requirement)}: {f.label}" for f in row.forecasts.values()
    )


def outlook_badges(row):
    """One short badge per requirement; the full sentence is its title and its hidden text."""
    return [
        {
            "outlook": f.outlook,
            "short": f"{_requirement_short(f.requirement)}: {short_label(f.outlook)}",
            "full": f"{_requirement_label(f.requirement)}: {f.label}",
        }
        for f in row.forecasts.values()
    ]


def _requirement_short(requirement):
    labels = {
        APPROVAL: pgettext_lazy("abbreviation of approval", "Appr."),
        DEPLOYMENT: pgettext_lazy("abbreviation of deployment", "Depl."),
    }
    return labels[requirement]
