import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import translation

from compliance.charts import trend_chart
from compliance.models import ComplianceSnapshot, SnapshotScope, SnapshotSource
from compliance.selectors import compliance_summary
from compliance.tasks import record_monthly_snapshot
from compliance.trends import (
    load_series,
    month_ends,
    read_published_history,
    record_snapshots,
    with_live_point,
)
from tests.factories import SystemFactory


def test_published_history_is_loaded_by_the_migration(db):
    national = ComplianceSnapshot.objects.filter(scope=SnapshotScope.NATIONAL).order_by("as_of")
    assert [(s.as_of, s.total, s.approved) for s in national] == [
        (datetime.date(2022, 12, 31), 3086, 1732),
        (datetime.date(2024, 2, 29), 3224, 2145),
        (datetime.date(2024, 6, 30), 7206, 5515),
        (datetime.date(2024, 8, 31), 7638, 5885),
    ]
    assert national[0].fully_deployed is None  # not published: unknown, not zero
    assert national[2].level_1 == 3309
    assert ComplianceSnapshot.objects.filter(scope=SnapshotScope.PROVINCE).get().approved == 4422
    assert len(read_published_history()) == ComplianceSnapshot.objects.count()


def test_record_snapshots_is_idempotent_and_keeps_published_figures(two_units):
    day = datetime.date(2024, 6, 30)
    written = record_snapshots(day)
    # national and ministries/provinces were published for that date: kept; the two units added
    assert written == 2
    SystemFactory(owner=two_units["a"]["department"], approved=True)
    assert record_snapshots(day) == 2
    unit_row = ComplianceSnapshot.objects.get(as_of=day, unit=two_units["a"]["province"])
    assert (unit_row.total, unit_row.approved) == (3, 1)
    national = ComplianceSnapshot.objects.get(as_of=day, scope=SnapshotScope.NATIONAL)
    assert (national.total, national.source) == (7206, SnapshotSource.PUBLISHED)
    assert ComplianceSnapshot.objects.filter(as_of=day).count() == 5


def test_command_records_month_ends(two_units, capsys):
    call_command("snapshot_compliance", "--as-of", "2024-03-15", "--monthly-since", "2024-01-01")
    dates = sorted(
        set(
            ComplianceSnapshot.objects.filter(source=SnapshotSource.RECORDED).values_list(
                "as_of", flat=True
            )
        )
    )
    assert dates == [
        datetime.date(2024, 1, 31),
        datetime.date(2024, 2, 29),
        datetime.date(2024, 3, 15),
    ]
    national = ComplianceSnapshot.objects.get(as_of=datetime.date(2024, 1, 31), scope="national")
    assert national.total == 4  # computed from the systems' dates
    assert "2024-03-15: 5 snapshots recorded" in capsys.readouterr().out


def test_command_refuses_bad_dates(db):
    with pytest.raises(CommandError):
        call_command("snapshot_compliance", "--as-of", "2999-01-01")
    with pytest.raises(CommandError):
        call_command("snapshot_compliance", "--as-of", "30/09/2024")


def test_monthly_task_snapshots_the_previous_month_end(two_units, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: datetime.date(2024, 10, 1))
    # apply(): the task's code in this process, broker or not (test_broker.py uses the worker)
    result = record_monthly_snapshot.apply().get()
    assert result["as_of"] == "2024-09-30"
    again = record_monthly_snapshot.apply(args=["2024-09-30"]).get()
    assert again == result
    assert ComplianceSnapshot.objects.filter(as_of=datetime.date(2024, 9, 30)).count() == 5


def test_beat_runs_the_snapshot_monthly():
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-compliance-snapshot"]
    assert entry["task"] == "compliance.record_monthly_snapshot"
    assert entry["schedule"].day_of_month == {1}


def test_series_adds_the_live_figures_and_chart_geometry(two_units):
    record_snapshots(datetime.date(2024, 1, 31))
    series = load_series(datetime.date(2024, 6, 30), unit=two_units["a"]["province"])
    national = [p.as_of for p in series[None]]
    assert national[-1] == datetime.date(2024, 6, 30) and national[0] == datetime.date(2022, 12, 31)
    # a snapshot of the page's date exists (published): no live point; otherwise one is added
    assert with_live_point(series[None], None, datetime.date(2024, 6, 30)) == series[None]
    summary = compliance_summary(datetime.date(2024, 7, 15))
    live = with_live_point(series[None], summary.national, datetime.date(2024, 7, 15))
    assert live[-1].live and live[-1].total == 4
    chart = trend_chart(live).wide
    lines = {line["key"]: line for line in chart.lines}
    # rebuilt points (01/2024 recorded, the live one) and published ones are separate series
    rebuilt, published = lines["approval"], lines["approval published"]
    assert [m["date"] for m in rebuilt["markers"]] == ["31/01/2024", "15/07/2024"]
    assert len(published["markers"]) == 3 and all(m["published"] for m in published["markers"])
    assert not any(m["published"] for m in rebuilt["markers"])
    xs = sorted(m["x"] for line in chart.lines for m in line["markers"])
    assert xs[0] == chart.plot_left and xs[-1] == chart.plot_right  # the axis spans the data
    # deployment is unknown before 06/2024 in the published series: no invented points
    assert len(lines["deployment published"]["markers"]) == 1
    assert len(lines["deployment"]["markers"]) == 2


def test_month_ends():
    days = list(month_ends(datetime.date(2023, 11, 15), datetime.date(2024, 2, 29)))
    assert days == [
        datetime.date(2023, 11, 30),
        datetime.date(2023, 12, 31),
        datetime.date(2024, 1, 31),
        datetime.date(2024, 2, 29),
    ]


def test_chart_coordinates_are_plain_numbers_in_vietnamese(two_units):
    """Vietnamese writes 12,5; an SVG coordinate written that way draws nothing sensible."""
    summary = compliance_summary(datetime.date(2024, 7, 15))
    series = load_series(datetime.date(2024, 7, 15), unit=None)[None]
    chart = trend_chart(with_live_point(series, summary.national, datetime.date(2024, 7, 15)))
    with translation.override("vi"):
        svg = render_to_string("compliance/_trend_chart.html", {"chart": chart, "chart_id": "t"})
    coordinates = re.findall(r'\b(?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', svg)
    assert len(coordinates) > 20
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates
    assert "100%" in svg
