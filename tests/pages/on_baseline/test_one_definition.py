"""Issue 15: the page, the PDF/XLSX content and the e-mails name the units that missed a
deadline from one selector (compliance.deadlines.units_missing_deadline), and name a unit's
own systems the same way; the trend of early 2023 rises with a non-negative pace; a unit
sees where it stands among its group."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from compliance.deadlines import active_deadlines, units_missing_deadline
from compliance.reports import content
from compliance.selectors import compliance_summary
from notifications.content import overdue_units
from notifications.models import DeadlineCampaign
from registry.models import Role

URL = reverse("compliance:national")


@pytest.mark.parametrize("as_of", ["2024-10-15", "2025-01-15"])
def test_web_and_pdf_name_the_same_units_that_missed(login, national_admin, units, as_of):
    day = datetime.date.fromisoformat(as_of)
    response = login(national_admin).get(URL, {"as_of": as_of})
    report = content.national_report(day)
    pdf_missed = {line.name: set(line.missed_by) for line in report.deadlines}
    web_missed = {item["deadline"].name: item["count"] for item in response.context["missed"]}
    assert web_missed and set(web_missed) == {n for n, names in pdf_missed.items() if names}
    html = response.content.decode()
    for name, count in web_missed.items():
        assert count == len(pdf_missed[name])
        assert f'<span class="value">{count}/91</span>' in html
    rows = {row.unit.name: row for block in response.context["table"].blocks for row in block.rows}
    for deadline in response.context["table"].blocks[0].rows[0].missed:
        assert deadline.name in pdf_missed
    flagged = {name for name, row in rows.items() if row.missed}
    assert flagged == set().union(*pdf_missed.values())
    # the download of the page's table names the same units
    export = login(national_admin).get(
        reverse("compliance:national_export", args=["csv"]), {"as_of": as_of}
    )
    text = b"".join(export.streaming_content).decode("utf-8-sig")  # the CSV streams
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][-1] == "Thời hạn không đạt"
    for name, count in web_missed.items():
        assert sum(1 for line in lines[1:] if name in line[-1]) == count


def test_units_with_no_systems_missed_nothing(units):
    day = datetime.date(2025, 1, 15)
    summary = compliance_summary(day)
    empty = [row for row in summary.units if not row.has_systems]
    assert len(empty) == 4
    for deadline in active_deadlines(day):
        missed = units_missing_deadline(deadline, summary.units, day)
        assert missed and not set(map(id, empty)) & set(map(id, missed))
        # one day before it is due, nobody has missed it yet; on its day, they have
        before = deadline.due_date - datetime.timedelta(days=1)
        assert units_missing_deadline(deadline, summary.units, before) == []
        on_the_day = compliance_summary(deadline.due_date).units
        assert units_missing_deadline(deadline, on_the_day, deadline.due_date)


def test_the_national_digest_names_the_same_units(units):
    day = datetime.date(2025, 1, 15)
    summary = compliance_summary(day)
    deadlines = {d.requirement: d for d in active_deadlines(day)}
    for campaign in DeadlineCampaign.objects.filter(requirement__in=deadlines):
        e_mail = {row["unit"].name for row in overdue_units(campaign, day)}
        selector = units_missing_deadline(deadlines[campaign.requirement], summary.units, day)
        assert e_mail == {row.unit.name for row in selector}


def test_own_systems_are_named_alike_on_the_page_and_in_the_pdf(login, viewer_p38, units):
    response = login(viewer_p38).get(reverse("compliance:unit", args=["P38"]))
    page_name = response.context["subunit_table"].data.data[0].name
    assert page_name == "Thanh Hóa (hệ thống do đơn vị trực tiếp quản lý)"
    assert page_name in response.content.decode()


def test_trend_of_march_2023_rises_with_a_non_negative_pace(login, national_admin, units):
    call_command("snapshot_compliance", "--as-of", "2023-03-31", "--monthly-since", "2022-04-01")
    response = login(national_admin).get(URL, {"as_of": "2023-03-31"})
    approval = response.context["forecasts"]["approval"]
    assert approval.points_per_month is not None and approval.points_per_month >= 0
    chart = response.context["chart"].wide
    lines = {line["key"]: line for line in chart.lines}
    rebuilt = [marker["rate"] for marker in lines["approval"]["markers"]]
    # 04/2022 to 03/2023 but 12/2022, whose date holds the published figures
    assert len(rebuilt) == 11 and rebuilt[-1] >= rebuilt[0]
    # the published 12/2022 point is its own series, never joined to the rebuilt line
    published = lines["approval published"]["markers"]
    assert [marker["date"] for marker in published] == ["31/12/2022"]
    assert f"{published[0]['x']},{published[0]['y']}" not in lines["approval"]["points"]
    html = response.content.decode()
    assert "Tỷ lệ phê duyệt, báo cáo đã công bố" in html  # drawn, so in the legend
    assert "<desc" in html and "Số liệu của biểu đồ" in html


def test_forecast_gives_no_date_beyond_the_horizon(login, national_admin, units, settings):
    call_command("snapshot_compliance", "--as-of", "2023-06-30", "--monthly-since", "2022-07-01")
    client = login(national_admin)
    forecasts = client.get(URL, {"as_of": "2023-06-30"}).context["forecasts"]
    horizon = datetime.date(2023, 6, 30) + datetime.timedelta(days=5 * 366)
    for item in forecasts.values():
        assert item.reaches_on is None or item.reaches_on <= horizon
    settings.FORECAST_HORIZON_YEARS = 1
    response = client.get(URL, {"as_of": "2023-06-30"})
    beyond = [f for f in response.context["forecasts"].values() if f.beyond_horizon]
    assert beyond and all(f.reaches_on is None for f in beyond)
    assert "không đủ số liệu để dự báo ngày" in response.content.decode()


def test_a_unit_sees_where_it_stands_among_its_group(login, viewer_p38, units):
    url = reverse("compliance:unit", args=["P38"])
    response = login(viewer_p38).get(url, {"as_of": "2024-06-30"})
    approval, deployment = response.context["standings"]
    provinces = compliance_summary(datetime.date(2024, 6, 30)).groups["province"].units
    rated = [row for row in provinces if row.has_systems]
    # Thanh Hóa approved all 856 systems: first among the provinces, with others at 100%
    assert approval.rate == 100 and approval.rank == 1 and approval.best == 100
    assert approval.best_count == sum(1 for row in rated if row.approval_rate == 100)
    assert approval.ranked == len(rated)
    higher = sum(1 for row in rated if row.deployment_rate > deployment.rate)
    assert deployment.rank == 1 + higher
    assert deployment.lowest == min(row.deployment_rate for row in rated)
    html = response.content.decode()
    assert 'id="peer-ranking"' in html
    assert f"{deployment.rank}/{len(rated)}" in html
    # figures only: no other province is named on the page
    others = [row.unit.name for row in provinces if row.unit.code != "P38"]
    assert not [name for name in others if f">{name}<" in html or f"{name} (" in html]


def test_ranking_follows_the_date_and_is_absent_for_a_subordinate_unit(login, units, role_user):
    viewer = role_user(Role.VIEWER, units["P38"])
    client = login(viewer)
    early = client.get(reverse("compliance:unit", args=["P38"]), {"as_of": "2023-06-30"})
    late = client.get(reverse("compliance:unit", args=["P38"]), {"as_of": "2024-06-30"})
    assert early.context["standings"][0].rate < late.context["standings"][0].rate
    subunit = client.get(reverse("compliance:unit", args=["P38-IT"]))
    assert subunit.status_code == 200 and subunit.context["standings"] is None
    assert 'id="peer-ranking"' not in subunit.content.decode()
