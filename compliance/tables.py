"""django-tables2 tables of the compliance pages; exports use the same tables (as_values)."""

from dataclasses import dataclass, field

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from compliance.deadlines import APPROVAL, DEPLOYMENT
from compliance.selectors import deployment_as_of, dossier_status_as_of

NO_SYSTEMS = _("no systems declared")
NO_RATE_SORT = -1  # sorts units without a rate below 0%


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

    @property
    def name(self):
        return self.label or self.unit.name

    @property
    def number(self):
        return self.unit.sort_order if self.unit and self.unit.is_reporting_unit else None

    @property
    def at_risk(self):
        return any(f.at_risk for f in self.forecasts.values())

    def __getattr__(self, attribute):
        # total, approved, approval_rate ... come from the figures.
        if attribute in ("figures", "unit", "forecasts"):
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
        attrs = {"class": "table figures"}
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
        attrs = {"class": "table outstanding"}
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
