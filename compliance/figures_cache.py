"""Figures cached per date, scope and data version: what the pages ask on every request.

The summary of a date, the snapshot series and the forecasts of the national page change only
when the data does, yet every page view recomputed them (91 forecasts and the summary query on
each national page). Here each is computed once per (date, scope, data version) and kept in
Django's cache: Redis in production, so every gunicorn worker shares it; local memory without
REDIS_URL. Any write to the data changes the version (registry/data_version.py), which makes
the older entries unreachable; they expire after FIGURES_CACHE_SECONDS.

Figures read inside a transaction are not cached: the transaction may hold writes not
committed yet (and may roll them back), which no other request must see.

`cached()` serves two more things the same way: the inspections due of a date (nationally and
per unit, registry/inspections/selectors.py) and the HTML of a unit page's two tables
(compliance/views.py), keyed by everything that shapes them.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from compliance.deadlines import active_deadlines
from compliance.forecast import unit_forecasts
from compliance.selectors import compliance_summary
from compliance.trends import load_series, with_live_point
from registry.data_version import data_version

NATIONAL = None  # the key of the national series and forecasts, as in load_series


def cached(kind, as_of, scope, compute, timeout=None):
    """compute() once per (kind, date, scope, data version); `scope` names what the figures
    cover (a unit's pk, "all"), never who asks: callers check access before asking. Kept for
    `timeout` seconds, FIGURES_CACHE_SECONDS by default."""
    if connection.in_atomic_block:
        return compute()
    key = f"figures:{data_version()}:{kind}:{as_of.isoformat()}:{scope}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout or settings.FIGURES_CACHE_SECONDS)
    return value


def summary(as_of=None, unit=None):
    """compliance_summary(as_of, unit), cached."""
    as_of = as_of or timezone.localdate()
    scope = "all" if unit is None else unit.pk
    return cached("summary", as_of, scope, lambda: compliance_summary(as_of=as_of, unit=unit))


def series(as_of, unit=None, all_units=False):
    """load_series(as_of, unit, all_units), cached."""
    scope = "all" if all_units else ("national" if unit is None else unit.pk)
    return cached("series", as_of, scope, lambda: load_series(as_of, unit, all_units))


def deadlines(as_of, unit=None):
    """active_deadlines(as_of, unit), cached."""
    scope = "all" if unit is None else unit.pk
    return cached("deadlines", as_of, scope, lambda: active_deadlines(as_of, unit=unit))


def national_forecasts(as_of, figures, due, by_unit):
    """{reporting unit pk, or NATIONAL: {requirement: Forecast}} for the national page, from
    the date's summary, deadlines and series (as summary(), deadlines() and series(all_units=
    True) give them): the 91 forecasts computed once per date and data version instead of on
    every request."""
    return cached("forecasts", as_of, "all", lambda: _forecasts(as_of, figures, due, by_unit))


def _forecasts(as_of, figures, due, by_unit):
    forecasts = {}
    for row in figures.units:
        points = with_live_point(by_unit.get(row.unit.pk), row, as_of)
        forecasts[row.unit.pk] = unit_forecasts(points, due, as_of)
    national_points = with_live_point(by_unit.get(NATIONAL), figures.national, as_of)
    forecasts[NATIONAL] = unit_forecasts(national_points, due, as_of)
    return forecasts
