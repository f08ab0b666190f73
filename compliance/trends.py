"""Snapshots over time: recording them, the published history, and the series a chart draws.

A trend point is the rate of a date. Recorded snapshots come from the shared
compliance summary, so a trend and a page agree on any date; the page adds the
live figures of its as-of date as the last point, so a chart is never stale.
"""

import calendar
import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from compliance.models import ComplianceSnapshot, SnapshotScope, SnapshotSource
from compliance.rates import RecordedRates
from compliance.selectors import LEVELS, compliance_summary
from registry.reorganisation.structure import Structure

PUBLISHED_HISTORY_CSV = Path(__file__).resolve().parent / "data" / "national_progress.csv"
# national_progress.csv calls the blocks "ministries"/"provinces".
PUBLISHED_SCOPES = {
    "national": SnapshotScope.NATIONAL,
    "ministries": SnapshotScope.MINISTRY,
    "provinces": SnapshotScope.PROVINCE,
}
# How far back the forecast looks for the recent pace.
FORECAST_WINDOW_DAYS = 365


def month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def previous_month_end(day):
    return day.replace(day=1) - datetime.timedelta(days=1)


def month_ends(start, end):
    """Last days of the months from `start`'s month up to `end` (included when a month end)."""
    current = month_end(start.year, start.month)
    while current <= end:
        yield current
        following = current + datetime.timedelta(days=1)
        current = month_end(following.year, following.month)


def _optional_int(value):
    value = (value or "").strip()
    return int(value) if value else None


def read_published_history(path=PUBLISHED_HISTORY_CSV):
    """Rows of national_progress.csv as snapshot field dicts (a month is read as its last day)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = []
        for row in csv.DictReader(handle):
            year, month = (int(part) for part in row["as_of"].split("-")[:2])
            rows.append(
                {
                    "as_of": month_end(year, month),
                    "scope": PUBLISHED_SCOPES[row["scope"].strip()],
                    "total": int(row["total_systems"]),
                    "approved": _optional_int(row["approved_systems"]),
                    "fully_deployed": _optional_int(row["fully_deployed_systems"]),
                    **{f"level_{n}": _optional_int(row[f"level_{n}"]) for n in LEVELS},
                    "source": SnapshotSource.PUBLISHED,
                    "note": row["source_report"].strip()[:255],
                }
            )
        return rows


def _snapshot(figures, as_of, scope, unit=None):
    return ComplianceSnapshot(
        as_of=as_of,
        scope=scope,
        unit=unit,
        total=figures.total,
        approved=figures.approved,
        fully_deployed=figures.fully_deployed,
        **{f"level_{n}": figures.levels[n] for n in LEVELS},
        source=SnapshotSource.RECORDED,
    )


def record_snapshots(as_of):
    """Record the national, group and reporting-unit figures of `as_of`; safe to repeat.

    A second run replaces the date's recorded snapshots; figures from a
    published report for that date are kept (they are the historical record).
    Returns the number of snapshots written.
    """
    summary = compliance_summary(as_of=as_of)
    snapshots = [_snapshot(summary.national, as_of, SnapshotScope.NATIONAL)]
    snapshots += [_snapshot(block, as_of, scope) for scope, block in summary.groups.items()]
    snapshots += [_snapshot(row, as_of, SnapshotScope.UNIT, row.unit) for row in summary.units]
    with transaction.atomic():
        existing = ComplianceSnapshot.objects.filter(as_of=as_of)
        existing.filter(source=SnapshotSource.RECORDED).delete()
        published = set(existing.values_list("scope", "unit_id"))
        fresh = [s for s in snapshots if (s.scope, s.unit_id) not in published]
        ComplianceSnapshot.objects.bulk_create(fresh)
    return len(fresh)


@dataclass(frozen=True)
class TrendPoint(RecordedRates):
    as_of: datetime.date
    total: int
    approved: int | None
    fully_deployed: int | None
    source: str
    live: bool = False


def _point(snapshot):
    return TrendPoint(
        snapshot.as_of,
        snapshot.total,
        snapshot.approved,
        snapshot.fully_deployed,
        snapshot.source,
    )


def live_point(figures, as_of):
    return TrendPoint(as_of, figures.total, figures.approved, figures.fully_deployed, "live", True)


def load_series(as_of, unit=None, all_units=False):
    """Snapshot points up to `as_of` in ONE query: {unit id or None (national): [points]}.

    `unit`: that unit's series besides the national one; `all_units`: every
    reporting unit's recent series (for the forecasts of the national page). A unit's
    series adds up, date by date, its own snapshots and those of the units merged into
    it by `as_of`, so that its line does not jump on the day of a merger.
    """
    structure = Structure.load(as_of)
    wanted = Q(scope=SnapshotScope.NATIONAL)
    if unit is not None:
        wanted |= Q(unit_id__in=[unit.pk, *structure.predecessors(unit.pk)])
    if all_units:
        window_start = as_of - datetime.timedelta(days=FORECAST_WINDOW_DAYS)
        wanted |= Q(scope=SnapshotScope.UNIT, as_of__gte=window_start)
    by_date = {}
    rows = ComplianceSnapshot.objects.filter(wanted, as_of__lte=as_of).order_by("as_of")
    for snapshot in rows:
        key = structure.reporting_unit(snapshot.unit_id) if snapshot.unit_id else None
        by_date.setdefault(key, {}).setdefault(snapshot.as_of, []).append(_point(snapshot))
    return {key: [_summed(points) for points in dates.values()] for key, dates in by_date.items()}


def _summed(points):
    """One point from the snapshots of one date (a unit and its predecessors)."""
    first = points[0]
    if len(points) == 1:
        return first
    return TrendPoint(
        first.as_of,
        sum(point.total for point in points),
        _sum_known(point.approved for point in points),
        _sum_known(point.fully_deployed for point in points),
        first.source,
    )


def _sum_known(values):
    values = list(values)
    return None if None in values else sum(values)


def with_live_point(points, figures, as_of):
    """The stored points, then today's figures unless a snapshot of that very date exists."""
    points = list(points or [])
    if points and points[-1].as_of == as_of:
        return points
    return points + [live_point(figures, as_of)]
