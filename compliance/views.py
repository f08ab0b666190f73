"""The compliance pages: home, national, unit, system, and their CSV/XLSX exports.

Views stay thin: figures come from compliance/selectors.py, deadlines from
compliance/deadlines.py, trends and forecasts from their modules; objects are
loaded through registry/scope.py (another unit's page is a 404). Pages only
read, so they skip the per-request transaction (ATOMIC_REQUESTS).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from compliance import exports, figures_cache
from compliance.charts import trend_chart
from compliance.deadlines import units_missing_deadline
from compliance.filters import AsOfForm, NationalFilter, OutstandingFilter, as_of_from
from compliance.forecast import unit_forecasts
from compliance.history import change_history
from compliance.ranking import peer_standings
from compliance.selectors import (
    UnitFigures,
    outstanding_systems,
    subunit_breakdown,
)
from compliance.tables import (
    BoundedPaginator,
    FiguresRow,
    FiguresTable,
    NationalTable,
    OutstandingTable,
)
from compliance.trends import with_live_point
from compliance.unit_names import breakdown_names
from registry import scope
from registry.accounts import second_factor
from registry.audit.actions import record
from registry.dossiers import selectors as dossiers
from registry.inspections import selectors as inspections
from registry.models import ReportingGroup
from registry.reorganisation.structure import Structure

OUTSTANDING_PER_PAGE = 25


def read_only_page(view):
    """Logged-in users who passed the second factor they owe (registry/accounts); no
    transaction around a page that only reads."""

    @wraps(view)
    def verified(request, *args, **kwargs):
        if second_factor.pending(request):
            return redirect(second_factor.step_url(request))
        return view(request, *args, **kwargs)

    return login_required(transaction.non_atomic_requests(verified))


def _export_format(fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


@read_only_page
def home(request):
    """National administrators → national page; one unit → its page; several → a list."""
    if scope.is_national_admin(request.user):
        return redirect("compliance:national")
    units = list(scope.membership_units(request.user))
    if len(units) == 1:
        return redirect("compliance:unit", code=units[0].code)
    return render(request, "compliance/unit_list.html", {"units": units})


@read_only_page
def unit_list(request):
    if scope.is_national_admin(request.user):
        structure = Structure.load()
        units = [structure.unit(pk) for pk in structure.reporting_units()]
    else:
        units = list(scope.membership_units(request.user))
    return render(request, "compliance/unit_list.html", {"units": units})


def deadline_status(deadlines, figures, as_of):
    """For each deadline: days left (negative: overdue) and systems still outstanding."""
    return [
        {
            "deadline": deadline,
            "days_left": deadline.days_left(as_of),
            "days_overdue": max(0, -deadline.days_left(as_of)),
            "outstanding": deadline.outstanding(figures),
        }
        for deadline in deadlines
    ]


def _as_of_query(request):
    as_of = request.GET.get("as_of")
    return f"?as_of={as_of}" if as_of else ""


# National page -------------------------------------------------------------------------------


def _national_rows(summary, forecasts, deadlines, as_of):
    """A row per reporting unit with its forecasts (computed once per date and data version:
    compliance/figures_cache.py) and the deadlines it missed: no query per row."""
    rows = []
    for figures in summary.units:
        rows.append(FiguresRow(figures, unit=figures.unit, forecasts=forecasts[figures.unit.pk]))
    for deadline in deadlines:
        for row in units_missing_deadline(deadline, rows, as_of):
            row.missed.append(deadline)
    return rows


def missed_counts(deadlines, rows, as_of):
    """[{deadline, count}] for the deadlines already due: how many of the rows missed each."""
    return [
        {"deadline": deadline, "count": len(units_missing_deadline(deadline, rows, as_of))}
        for deadline in deadlines
        if deadline.days_left(as_of) <= 0
    ]


def _national_data(request):
    as_of, as_of_form = as_of_from(request)
    summary = figures_cache.summary(as_of)
    deadlines = figures_cache.deadlines(as_of)
    series = figures_cache.series(as_of, all_units=True)
    forecasts = figures_cache.national_forecasts(as_of, summary, deadlines, series)
    rows = _national_rows(summary, forecasts, deadlines, as_of)
    unit_filter = NationalFilter(request.GET or None, rows=rows)
    shown = unit_filter.qs
    filtered = len(shown) != len(rows)
    table = NationalTable(
        shown, filtered=filtered, query=request.GET, as_of_query=_as_of_query(request)
    )
    shown_figures = table.totals.figures  # the cards and totals follow the filters
    national_points = with_live_point(series.get(None), summary.national, as_of)
    return {
        "as_of": as_of,
        "as_of_form": as_of_form,
        "summary": summary,
        "national": shown_figures,
        "filtered": filtered,
        "deadlines": deadline_status(deadlines, shown_figures, as_of),
        "missed": missed_counts(deadlines, shown, as_of),
        "filter": unit_filter,
        "table": table,
        "units_at_risk": sum(1 for row in shown if row.at_risk),
        "chart": trend_chart(national_points, deadlines),
        "forecasts": forecasts[figures_cache.NATIONAL],
    }


def _national_admin_only(request):
    if not scope.is_national_admin(request.user):
        raise Http404


@read_only_page
def national(request):
    _national_admin_only(request)
    data = _national_data(request)
    data.update(inspections.national_context(data["summary"]))
    return render(request, "compliance/national.html", data)


@read_only_page
def national_export(request, fmt):
    _national_admin_only(request)
    fmt = _export_format(fmt)
    data = _national_data(request)
    record("export.downloaded", request=request, data={"kind": "national", "format": fmt})
    filename = f"compliance-national-{data['as_of']:%Y-%m-%d}"
    return exports.download(data["table"].lines(), fmt, filename)


# Unit page -----------------------------------------------------------------------------------


def subtree_total(breakdown):
    """The unit's whole-subtree figures: its own systems plus each subordinate's."""
    total = UnitFigures(unit=breakdown[0].unit)
    for row in breakdown:
        total.add(row)
    return total


def _outstanding_table(request, unit, units, as_of, paginate=True):
    unit_filter = OutstandingFilter(
        request.GET or None, queryset=outstanding_systems(unit, as_of), units=units
    )
    table = OutstandingTable(unit_filter.qs, as_of=as_of, prefix="o-")
    paginate = (
        {"per_page": OUTSTANDING_PER_PAGE, "paginator_class": BoundedPaginator}
        if paginate
        else False
    )
    RequestConfig(request, paginate=paginate).configure(table)
    return unit_filter, table


def _subunit_table(request, breakdown, figures):
    rows = [
        FiguresRow(row, unit=row.unit, label=name)
        for row, name in zip(breakdown, breakdown_names(breakdown), strict=True)
    ]
    totals = FiguresRow(figures, label=_("Total"))
    table = FiguresTable(
        rows,
        totals,
        as_of_query=_as_of_query(request),
        exclude=("number", "outlook"),
        orderable=False,
    )
    return table


def _unit_absence(unit, structure):
    """What became of a unit that does not exist on the date asked: ended (into which unit,
    when) or not established yet. None when it exists."""
    if structure.exists(unit.pk):
        return None
    ending = structure.ending(unit.pk)
    if ending is None:
        return {"established_on": structure.units[unit.pk].established_on}
    return {
        "ending": ending,
        "successor": structure.unit(structure.placement(unit.pk)),
    }


def _unit_data(request, code, outstanding=True, paginate=True):
    unit = scope.get_visible_unit_or_404(request.user, code=code)
    as_of, as_of_form = as_of_from(request)
    structure = Structure.load(as_of)
    unit = structure.unit(unit.pk)  # its name on that date
    absence = _unit_absence(unit, structure)
    if absence is not None:
        return {
            "unit": unit,
            "as_of": as_of,
            "as_of_form": as_of_form,
            "absence": absence,
            "as_of_query": _as_of_query(request),
        }
    breakdown = subunit_breakdown(unit, as_of)
    figures = subtree_total(breakdown)
    data = {"unit": unit, "as_of": as_of, "as_of_form": as_of_form, "figures": figures}
    data["subunit_table"] = _subunit_table(request, breakdown, figures)
    if outstanding:
        units = [row.unit for row in breakdown]
        data["filter"], data["outstanding_table"] = _outstanding_table(
            request, unit, units, as_of, paginate
        )
    return data


def _unit_context(unit, figures, as_of):
    """What the page shows beside its tables (comparisons, deadlines, chart, forecasts); the
    downloads have no use for it."""
    summary = figures_cache.summary(as_of)
    deadlines = figures_cache.deadlines(as_of, unit)
    series = figures_cache.series(as_of, unit)
    points = with_live_point(series.get(unit.pk), figures, as_of)
    group = ReportingGroup(unit.group)
    return {
        "national": summary.national,
        "comparison": [
            (unit.name, figures),
            (group.label, summary.groups[group.value]),
            (_("National"), summary.national),
        ],
        "deadlines": deadline_status(deadlines, figures, as_of),
        "chart": trend_chart(points, deadlines),
        "forecasts": unit_forecasts(points, deadlines, as_of),
        "has_history": len(points) > 1,
        "group": group,
        "standings": (
            peer_standings(unit, summary.groups[group.value].units)
            if unit.is_reporting_unit
            else None
        ),
    }


@read_only_page
def unit_page(request, code):
    data = _unit_data(request, code)
    if "absence" in data:
        return render(request, "compliance/unit_absent.html", data)
    data.update(_unit_context(data["unit"], data["figures"], data["as_of"]))
    for name in ("outstanding_table", "subunit_table"):
        data[f"{name}_html"] = _table_html(request, data[name], data["unit"], data["as_of"])
    data["can_edit"] = scope.can_edit_systems(request.user)
    data.update(inspections.unit_context(data["unit"], data["as_of"]))
    return render(request, "compliance/unit.html", data)


def _table_html(request, table, unit, as_of):
    """The table as `{% render_table %}` renders it; for the page as first opened (no query,
    or only a valid as-of date) rendered once per unit, date, language and data version
    (figures_cache): django-tables2's cell by cell rendering was over half of a unit page's
    time. Only what the key names shapes the HTML: the unit's visibility is checked before,
    and every user who may see the unit sees the same table.

    Filtered, sorted or paged views are rendered each time: their links carry every parameter
    of the query, so caching them would let anyone fill the cache (shared with the Celery
    broker) with one entry per made-up parameter."""

    def render_now():
        table.before_render(request)
        return get_template(table.template_name).render({"table": table}, request=request)

    if set(request.GET) - {"as_of"} or (request.GET and as_of != _requested_as_of(request)):
        return render_now()
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    key = f"{type(table).__name__}:{unit.pk}:{get_language()}:{query}"
    timeout = settings.PAGE_TABLES_CACHE_SECONDS
    return figures_cache.cached("table-html", as_of, key, render_now, timeout=timeout)


def _requested_as_of(request):
    """The as-of date the query asks for when it is valid and given once; else None."""
    values = request.GET.getlist("as_of")
    form = AsOfForm({"as_of": values[0]}) if len(values) == 1 else None
    return form.cleaned_data["as_of"] if form is not None and form.is_valid() else None


UNIT_EXPORTS = ("outstanding", "subunits")


@read_only_page
def unit_export(request, code, table, fmt):
    fmt = _export_format(fmt)
    if table not in UNIT_EXPORTS:
        raise Http404
    data = _unit_data(request, code, outstanding=table == "outstanding", paginate=False)
    if "absence" in data:
        raise Http404  # no figures of its own on that date: its successor's page has them
    chosen = data["outstanding_table"] if table == "outstanding" else data["subunit_table"]
    lines = exports.table_lines(chosen)
    filename = f"{table}-{data['unit'].code}-{data['as_of']:%Y-%m-%d}"
    record(
        "export.downloaded", request=request, unit=data["unit"], data={"kind": table, "format": fmt}
    )
    return exports.download(lines, fmt, filename)


# System page ---------------------------------------------------------------------------------


@read_only_page
def system_page(request, pk):
    system = scope.get_system_for_user(request.user, pk)
    can_edit = scope.editable_systems(request.user).filter(pk=pk).exists()
    admin_url = reverse("admin:registry_informationsystem_change", args=[pk]) if can_edit else ""
    rounds = dossiers.system_context(system)
    history = change_history(system, request.user)
    history += dossiers.rounds_history(rounds["rounds"], request.user)
    return render(
        request,
        "compliance/system.html",
        {
            "system": system,
            "history": sorted(history, key=lambda entry: entry.when, reverse=True),
            "admin_url": admin_url,
            **rounds,
            **inspections.system_context(system, rounds["level_in_force"]),
        },
    )
