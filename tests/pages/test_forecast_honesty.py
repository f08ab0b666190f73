"""Issue 15: a forecast from one consistent series, within a sensible horizon; the chart keeps
published and rebuilt points apart and names only what it draws; peer standings."""

import datetime
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

from compliance.charts import trend_chart
from compliance.deadlines import APPROVAL, Deadline
from compliance.forecast import Outlook, forecast
from compliance.ranking import peer_standings
from compliance.trends import TrendPoint

DUE = Deadline("Directive 09 approval", "Directive 09", APPROVAL, datetime.date(2024, 9, 30))
START = datetime.date(2024, 1, 31)


def _points(rates, total=1000, source="recorded", start=START, step=30):
    return [
        TrendPoint(
            start + datetime.timedelta(days=step * i),
            total,
            round(rate * total / 100),
            None,
            source,
        )
        for i, rate in enumerate(rates)
    ]


def test_published_points_are_left_out_of_the_pace():
    # 12/2022 published: 56% of 3,086 systems; the rebuilt series rises from 40% to 46%
    published = [TrendPoint(datetime.date(2023, 12, 31), 3086, 1732, None, "published")]
    rebuilt = _points([40, 42, 44, 46])
    result = forecast(published + rebuilt, APPROVAL, DUE, rebuilt[-1].as_of)
    assert result.points_per_month > 0
    assert result.outlook == Outlook.WILL_MISS


def test_no_date_beyond_the_horizon(settings):
    settings.FORECAST_HORIZON_YEARS = 5
    slow = _points([40, 40.3, 40.6, 40.9])  # 0.3 points a month: 100% in some 16 years
    result = forecast(slow, APPROVAL, DUE, slow[-1].as_of)
    assert result.reaches_on is None and result.beyond_horizon
    assert result.outlook == Outlook.WILL_MISS and result.at_risk
    settings.FORECAST_HORIZON_YEARS = 30
    assert forecast(slow, APPROVAL, DUE, slow[-1].as_of).reaches_on is not None
    no_deadline = forecast(slow, APPROVAL, None, slow[-1].as_of)
    settings.FORECAST_HORIZON_YEARS = 5
    assert not forecast(slow, APPROVAL, None, slow[-1].as_of).reaches_on
    assert no_deadline.outlook == Outlook.ON_TRACK


def test_a_unit_without_systems_misses_nothing_and_rounding_is_not_done():
    empty = _points([0, 0, 0], total=0)
    after = datetime.date(2024, 12, 1)
    assert forecast(empty, APPROVAL, DUE, after).outlook == Outlook.TOO_LITTLE_HISTORY
    # 2,500 of 2,501 rounds to 100.0% but one system is still waiting
    nearly = [TrendPoint(after, 2501, 2500, None, "live", True)]
    assert forecast(nearly, APPROVAL, DUE, after).outlook == Outlook.MISSED
    # on the due date itself the deadline counts as missed, as units_missing_deadline says
    on_the_day = [TrendPoint(DUE.due_date, 10, 9, None, "live", True)]
    assert forecast(on_the_day, APPROVAL, DUE, DUE.due_date).outlook == Outlook.MISSED


def test_chart_never_joins_published_and_rebuilt_points():
    published = [TrendPoint(datetime.date(2023, 12, 31), 3086, 1732, None, "published")]
    rebuilt = _points([40, 42, 44])
    chart = trend_chart(published + rebuilt, [DUE])
    lines = {line["key"]: line for line in chart.wide.lines}
    assert (
        len(lines["approval"]["markers"]) == 3 and len(lines["approval published"]["markers"]) == 1
    )
    published_xy = "{x},{y}".format(**lines["approval published"]["markers"][0])
    assert published_xy not in lines["approval"]["points"]
    keys = [key["key"] for key in chart.legend]
    assert keys == ["approval", "approval published"]  # no deployment drawn, no deadline in range
    # the narrow drawing has fewer date labels, none at the very edge
    assert len(chart.narrow.x_ticks) <= 3 and chart.narrow.x_ticks[0]["anchor"] == "start"


def test_chart_labels_its_deadlines_and_gives_its_figures():
    points = _points([40, 50, 60, 70, 80, 90, 95, 97, 98], step=31)
    chart = trend_chart(points, [DUE])
    assert [d["due"] for d in chart.wide.deadlines] == ["30/09/2024"]
    assert "deadline" in [key["key"] for key in chart.legend]
    with translation.override("en"):
        html = render_to_string(
            "compliance/_trend_chart.html", {"chart": chart, "chart_id": "t", "chart_title": "T"}
        )
    assert ">30/09/2024</text>" in html and "<desc" in html and html.count("<svg") == 2
    assert html.count("<tr>") == 1 + len(points)  # the table behind the chart
    assert "published report" not in html  # nothing published drawn, none named


def _row(name, total, approved, deployed):
    figures = SimpleNamespace(
        unit=SimpleNamespace(pk=name, name=name),
        total=total,
        has_systems=total > 0,
        approval_rate=None if not total else round(100 * approved / total, 1),
        deployment_rate=None if not total else round(100 * deployed / total, 1),
    )
    return figures


def test_peer_standings_rank_share_ties_and_skip_units_without_systems():
    rows = [
        _row("A", 10, 10, 5),
        _row("B", 10, 10, 2),
        _row("C", 10, 6, 6),
        _row("D", 0, 0, 0),
        _row("E", 10, 3, 1),
    ]
    approval, deployment = peer_standings(rows[2].unit, rows)
    assert (approval.rate, approval.rank, approval.ranked) == (60, 3, 4)
    assert (approval.best, approval.best_count, approval.lowest, approval.lowest_count) == (
        100,
        2,
        30,
        1,
    )
    assert approval.median == 80
    assert (deployment.rank, deployment.median) == (1, 35)
    empty, _ = peer_standings(rows[3].unit, rows)
    assert empty.rate is None and empty.rank is None and empty.ranked == 4
