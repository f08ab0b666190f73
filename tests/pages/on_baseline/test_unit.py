import datetime

import pytest
from django.urls import reverse

from compliance.selectors import compliance_summary, outstanding_systems
from registry.models import Deployment, DossierStatus, InformationSystem, Role
from tests.factories import SubUnitFactory, SystemFactory


def _url(code):
    return reverse("compliance:unit", args=[code])


def test_viewer_sees_their_unit_figures_beside_national(login, viewer_p38, units):
    response = login(viewer_p38).get(_url("P38"), {"as_of": "2024-06-30"})
    assert response.status_code == 200
    figures = response.context["figures"]
    # Appendix IX, Thanh Hóa: 856 systems, 856 approved, 368 fully deployed
    assert (figures.total, figures.approved, figures.fully_deployed) == (856, 856, 368)
    labels = [label for label, _row in response.context["comparison"]]
    assert labels[0] == "Thanh Hóa" and len(labels) == 3
    national = response.context["comparison"][2][1]
    assert (national.total, national.approved) == (7008, 5323)
    html = response.content.decode()
    assert "Thanh Hóa" in html and ">856<" in html and "43,0%" in html


def test_deadline_panel_counts_days_and_outstanding(login, viewer_p38, units):
    response = login(viewer_p38).get(_url("P38"), {"as_of": "2024-09-23"})
    approval, deployment = response.context["deadlines"]
    assert approval["days_left"] == 7 and approval["outstanding"] == 0
    assert deployment["days_left"] == 99 and deployment["outstanding"] == 856 - 368
    late = login(viewer_p38).get(_url("P38"), {"as_of": "2024-10-10"})
    assert late.context["deadlines"][0]["days_overdue"] == 10
    assert "10 ngày quá hạn" in late.content.decode()


def test_outstanding_systems_are_paginated(login, viewer_p38, units):
    response = login(viewer_p38).get(_url("P38"), {"as_of": "2024-06-30"})
    table = response.context["outstanding_table"]
    assert table.paginator.count == 856 - 368
    assert len(table.page.object_list) == 25
    second = login(viewer_p38).get(_url("P38"), {"as_of": "2024-06-30", "o-page": 2})
    first_codes = {row.record.code for row in table.page.object_list}
    second_codes = {row.record.code for row in second.context["outstanding_table"].page.object_list}
    assert first_codes.isdisjoint(second_codes)


@pytest.mark.parametrize(
    "params, check",
    [
        ({"level": "3"}, lambda s: s.level_then == 3),
        ({"deployment": Deployment.NOT_STARTED}, lambda s: s.deployment == Deployment.NOT_STARTED),
        ({"dossier_status": DossierStatus.APPROVED}, lambda s: s.dossier_status == "approved"),
        ({"q": "cong thong tin"}, lambda s: "Cổng thông tin" in s.name),
    ],
)
def test_outstanding_filters(login, officer_b05, units, params, check):
    response = login(officer_b05).get(_url("B05"), {"as_of": "2024-06-30", **params})
    table = response.context["outstanding_table"]
    systems = [row.record for row in table.rows]
    assert systems and all(check(system) for system in systems)
    unfiltered = login(officer_b05).get(_url("B05"), {"as_of": "2024-06-30"})
    assert table.paginator.count < unfiltered.context["outstanding_table"].paginator.count


def test_outstanding_operator_filter_covers_the_operators_subtree(login, officer_b05, units):
    outstanding = outstanding_systems(units["B05"], datetime.date(2024, 6, 30))
    total = outstanding.count()
    moved = list(outstanding.values_list("pk", flat=True)[:5])
    InformationSystem.objects.filter(pk__in=moved).update(operator=units["B05"])
    client = login(officer_b05)
    by_department = client.get(_url("B05"), {"as_of": "2024-06-30", "operator": "B05-IT"})
    table = by_department.context["outstanding_table"]
    assert table.paginator.count == total - 5
    assert all(row.record.operator.code == "B05-IT" for row in table.rows)
    whole = client.get(_url("B05"), {"as_of": "2024-06-30", "operator": "B05"})
    assert whole.context["outstanding_table"].paginator.count == total
    # another unit's department is no choice here: the filter is ignored, nothing leaks
    other = client.get(_url("B05"), {"as_of": "2024-06-30", "operator": "P38-IT"})
    assert other.context["filter"].errors
    assert {r.record.owner.reporting_unit_id for r in other.context["outstanding_table"].rows} == {
        units["B05"].pk
    }


def test_subordinate_breakdown_adds_up(login, manager_p01, units):
    response = login(manager_p01).get(_url("P01"), {"as_of": "2024-06-30"})
    rows = [row.record for row in response.context["subunit_table"].rows]
    assert [row.unit.code for row in rows] == ["P01", "P01-IT"]
    assert sum(row.total for row in rows) == response.context["figures"].total
    summary = compliance_summary(datetime.date(2024, 6, 30), unit=units["P01"])
    assert response.context["figures"].total == summary.units[0].total
    # and the subordinate unit has its own page, within the manager's scope
    sub = login(manager_p01).get(_url("P01-IT"), {"as_of": "2024-06-30"})
    assert sub.status_code == 200
    assert sub.context["figures"].total == rows[1].total


def test_level_mix_and_trend_are_shown(login, viewer_p38, units):
    response = login(viewer_p38).get(_url("P38"), {"as_of": "2024-06-30"})
    figures = response.context["figures"]
    assert sum(figures.levels.values()) + figures.unleveled == 856
    html = response.content.decode()
    assert 'data-level="1"' in html and "<svg" in html
    assert "too_little_history" in {f.outlook for f in response.context["forecasts"].values()}


def test_unit_with_no_systems_says_so(login, role_user, units):
    user = role_user(Role.VIEWER, units["B22"])  # Ban Quản lý Lăng: 0 systems in Appendix IX
    html = login(user).get(_url("B22"), {"as_of": "2024-06-30"}).content.decode()
    assert "chưa khai báo hệ thống" in html


def test_another_units_page_is_404(login, viewer_p38, units):
    assert login(viewer_p38).get(_url("B05")).status_code == 404
    assert login(viewer_p38).get(_url("P01-IT")).status_code == 404
    assert login(viewer_p38).get(_url("NOPE")).status_code == 404


def test_national_admin_sees_any_unit(login, national_admin, units):
    assert login(national_admin).get(_url("B05")).status_code == 200
    assert login(national_admin).get(_url("P38-IT")).status_code == 200


def test_anonymous_goes_to_login(client, units):
    response = client.get(_url("P38"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_outstanding_reflects_changes_after_the_date(two_units, role_user, login):
    province = two_units["a"]["province"]
    department = SubUnitFactory(parent=province)
    late = SystemFactory(owner=department, declared_on=datetime.date(2024, 8, 1))
    user = role_user(Role.VIEWER, province)
    before = login(user).get(_url(province.code), {"as_of": "2024-07-01"})
    codes = [row.record.code for row in before.context["outstanding_table"].rows]
    assert late.code not in codes
    after = login(user).get(_url(province.code), {"as_of": "2024-08-01"})
    codes = [row.record.code for row in after.context["outstanding_table"].rows]
    assert late.code in codes and two_units["b"]["system"].code not in codes


def test_outstanding_statuses_are_those_of_the_pages_date(two_units, role_user, login):
    province = two_units["a"]["province"]
    # Approved on 2024-04-01 (sent 2024-03-01, appraised 2024-03-20), still partial today.
    approved = SystemFactory(owner=province, approved=True)
    user = role_user(Role.VIEWER, province)
    html = login(user).get(_url(province.code), {"as_of": "2024-03-10"}).content.decode()
    row = html[html.index(approved.code) :]
    row = row[: row.index("</tr>")]
    assert "Đã gửi thẩm định" in row  # sent for appraisal on that date
    assert "Đã được phê duyệt" not in row and "01/04/2024" not in row
    html = login(user).get(_url(province.code), {"as_of": "2024-06-30"}).content.decode()
    row = html[html.index(approved.code) :]
    row = row[: row.index("</tr>")]
    assert "Đã được phê duyệt" in row and "01/04/2024" in row
