"""Compliance pages: the national page and the largest unit's page (Thanh Hóa) at 1x and 10x,
timed against the bare summary SQL of the same date and against the bare floor page (the same
SQL in a plain template, bench/floor.py), with their query counts; the unit XLSX export against
a bare openpyxl write-only workbook of the same rows; the cached figures (figures_cache).

Six monthly snapshots are recorded first so that forecasts have history; they are removed
at the end, leaving the database as it was found.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from bench.common import LARGE_SCALE, count_queries, signed_in
from bench.registry import BARE_SUMMARY_SQL, BARE_UNITS_SQL
from bench.urls import FLOOR_URL
from compliance.models import ComplianceSnapshot, SnapshotSource
from compliance.trends import month_ends, record_snapshots
from registry.models import Membership, Role, Unit

LARGEST_UNIT = "P38"  # Thanh Hóa: 856 systems at 1x


def _client(username, role, unit=None):
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, role=role, unit=unit)
    return signed_in(user)


def _bare_summary(as_of):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(BARE_SUMMARY_SQL, {"d": as_of})
            cursor.fetchall()
            cursor.execute(BARE_UNITS_SQL)
            cursor.fetchall()

    return run


def _get(client, url, params=None):
    def run():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)

    return run


def run(ctx):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=180)
    recorded = [record_snapshots(day) for day in month_ends(start, today)]
    try:
        _pages(ctx, today)
    finally:
        ComplianceSnapshot.objects.filter(source=SnapshotSource.RECORDED).delete()
    ctx.report("snapshots recorded for the forecast", sum(recorded))


def _pages(ctx, today):
    national = _client("bench-pages-national", Role.NATIONAL_ADMIN)
    unit = Unit.objects.get(code=LARGEST_UNIT)
    viewer = _client("bench-pages-viewer", Role.VIEWER, unit)
    bare = _bare_summary(today)
    pages = [
        ("national page", national, "/national/", None),
        (
            "national page 30/09/2024 below 50%",
            national,
            "/national/",
            {"as_of": "2024-09-30", "below": "approval"},
        ),
        (f"unit page {unit.code}", viewer, f"/units/{unit.code}/", None),
        (
            f"unit page {unit.code} level 3 page 2",
            viewer,
            f"/units/{unit.code}/",
            {"level": "3", "o-page": "2"},
        ),
    ]
    if ctx.scale >= LARGE_SCALE:
        pages = pages[:1]  # the national page only
    for label, client, url, params in pages:
        fetch = _get(client, url, params)
        fetch()  # templates compiled, catalogs loaded: time the steady state
        ctx.compare(f"{label} vs bare SQL", fetch, bare, repeat=3)
        ctx.report(f"{label} queries", count_queries(fetch))
    floor = _get(national, FLOOR_URL)
    floor()
    ctx.compare("national page vs bare floor page", _get(national, "/national/"), floor, target=3)
    ctx.compare("national page, first view after a write", _after_a_write(national), floor)
    ctx.report("bare floor page queries", count_queries(floor))
    if ctx.scale >= LARGE_SCALE:
        return
    _unit_export(ctx, viewer, unit)
    _cached_figures(ctx, today)


def _after_a_write(client):
    """The national page as the first request after a write sees it: every cached figure
    (summary, series, forecasts, inspections due) computed anew."""
    from registry.data_version import bump_data_version

    fetch = _get(client, "/national/")

    def run():
        bump_data_version()
        fetch()

    return run


def _unit_export(ctx, client, unit):
    """The unit XLSX download against openpyxl write-only writing the same rows, ready-made."""
    url = f"/units/{unit.code}/export/outstanding/xlsx/"
    fetch = _get(client, url)
    response = client.get(url)
    rows = list(load_workbook(io.BytesIO(b"".join(response))).active.iter_rows(values_only=True))

    def bare():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(row)
        workbook.save(io.BytesIO())

    label = f"export xlsx {unit.code} ({len(rows) - 1} rows) vs bare openpyxl"
    ctx.compare(label, fetch, bare, target=3)


def _cached_figures(ctx, today):
    """The national page's figures (summary and 91 forecasts): computed, then from the cache."""
    from compliance import figures_cache
    from registry.data_version import bump_data_version

    def figures():
        summary = figures_cache.summary(today)
        due = figures_cache.deadlines(today)
        series = figures_cache.series(today, all_units=True)
        figures_cache.national_forecasts(today, summary, due, series)

    def computed():
        bump_data_version()
        figures()

    warm = figures
    warm()
    ctx.compare("national figures + forecasts: cached vs computed", warm, computed)
    ctx.report("cached national figures queries", count_queries(warm))
