import re

import pytest
from django.urls import reverse

from registry.baseline import read_appendix_ix
from registry.models import ReportingGroup

URL = reverse("compliance:national")


def _rows(response):
    """{unit name: row} from the groups of the national table, as rendered."""
    return {row.unit.name: row for block in response.context["table"].blocks for row in block.rows}


def test_baseline_shows_published_counts_per_unit_and_headline(login, national_admin, units):
    response = login(national_admin).get(URL, {"as_of": "2024-06-30"})
    assert response.status_code == 200
    rows = _rows(response)
    published = read_appendix_ix()
    assert len(rows) == len(published) == 91
    for expected in published:
        row = rows[expected.name]
        assert (row.total, row.approved, row.fully_deployed) == (
            expected.total,
            expected.approved,
            expected.fully_deployed,
        )
    html = response.content.decode()
    assert re.search(r'id="below-approval"><span class="value">22/91<', html)
    assert "7008" in html and "5323" in html and "3957" in html


def test_blocks_have_totals_rows_and_rates(login, national_admin, units):
    response = login(national_admin).get(URL, {"as_of": "2024-06-30"})
    ministries, provinces = response.context["table"].blocks
    assert len(ministries.rows) == 28 and len(provinces.rows) == 63
    assert ministries.totals.total + provinces.totals.total == 7008
    html = response.content.decode()
    # one table: both groups' subtotals in their tbody, the national total in its tfoot
    assert html.count('class="table figures national"') == 1
    assert html.count('<tr class="subtotal">') == 2
    footer = html.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "Tổng toàn quốc" in footer and ">7008<" in footer and ">5323<" in footer
    # Thanh Hóa: 856 systems, all approved, 368 fully deployed (43.0% of all, 43.0% of approved)
    thanh_hoa = _rows(response)["Thanh Hóa"]
    assert str(thanh_hoa.approval_rate) == "100.0"
    assert str(thanh_hoa.deployment_rate) == "43.0"


def test_units_without_systems_are_flagged_and_counted_below(login, national_admin, units):
    response = login(national_admin).get(URL, {"as_of": "2024-06-30", "below": "none"})
    rows = _rows(response)
    assert rows and all(row.total == 0 for row in rows.values())
    national = response.context["national"]
    assert len(rows) == national.units_without_systems
    html = response.content.decode()
    assert html.count('class="unit-row no-systems') == len(rows)
    # three rates per row, and per totals line (each group's, the national), in Vietnamese
    lines = len(rows) + len(response.context["table"].blocks) + 1
    assert html.count(">chưa khai báo hệ thống</td>") == 3 * lines


def test_as_of_picker_recomputes_everything(login, national_admin, units):
    client = login(national_admin)
    june = client.get(URL, {"as_of": "2024-06-30"}).context["national"]
    early = client.get(URL, {"as_of": "2023-06-30"}).context["national"]
    assert early.approved < june.approved
    assert early.units_below_50_approval > june.units_below_50_approval


def test_invalid_as_of_falls_back_to_today_with_an_error(login, national_admin, units):
    response = login(national_admin).get(URL, {"as_of": "2999-01-01"})
    assert response.status_code == 200
    assert response.context["as_of_form"].errors
    assert response.context["national"].unit_count == 91


def test_filters_group_kind_and_below(login, national_admin, units):
    client = login(national_admin)
    provinces = _rows(client.get(URL, {"as_of": "2024-06-30", "group": ReportingGroup.PROVINCE}))
    assert len(provinces) == 63
    agencies = _rows(client.get(URL, {"as_of": "2024-06-30", "kind": "government_agency"}))
    assert "Bảo hiểm Xã hội Việt Nam" in agencies and len(agencies) == 8
    below = client.get(URL, {"as_of": "2024-06-30", "below": "approval"})
    assert len(_rows(below)) == 22
    # the cards and the totals count the units shown
    shown = below.context["national"]
    assert (shown.units_below_50_approval, shown.unit_count) == (22, 22)
    assert shown.total == sum(row.total for row in _rows(below).values())
    html = below.content.decode()
    assert re.search(r'id="below-approval"><span class="value">22/22<', html)
    assert "Tổng các đơn vị được hiển thị" in html
    assert html.count(">Tất cả</option>") == 3  # group, kind, show: no "---------"
    assert "Tỷ lệ tính trên tổng số hệ thống đã khai báo" in html  # the note, translated


def test_an_empty_group_is_hidden_with_a_note(login, national_admin, units):
    response = login(national_admin).get(
        URL, {"as_of": "2024-06-30", "kind": "province", "below": "approval"}
    )
    blocks = response.context["table"].blocks
    assert [block.group for block in blocks] == [ReportingGroup.PROVINCE]
    html = response.content.decode()
    assert 'id="block-ministry"' not in html
    assert html.count('class="note hidden-group"') == 1
    assert 'id="block-province"' in html
    shown = response.context["national"]
    assert shown.unit_count == len(blocks[0].rows)


def test_tables_sort_by_approval_rate(login, national_admin, units):
    client = login(national_admin)
    response = client.get(URL, {"as_of": "2024-06-30", "sort": "approval_rate"})
    for block in response.context["table"].blocks:
        rates = [row.approval_sort for row in block.rows]
        assert rates == sorted(rates)
    descending = client.get(URL, {"as_of": "2024-06-30", "sort": "-total", "kind": "province"})
    (provinces,) = descending.context["table"].blocks
    totals = [row.total for row in provinces.rows]
    assert totals == sorted(totals, reverse=True) and len(totals) == 63
    html = descending.content.decode()
    assert 'aria-sort="descending"' in html
    # a sort link keeps the filters and the date
    assert "sort=total" in html and "kind=province" in html
    assert client.get(URL, {"sort": "-<script>"}).status_code == 200


def test_forecast_flags_units_that_will_miss(login, national_admin, units):
    from django.core.management import call_command

    call_command("snapshot_compliance", "--as-of", "2024-06-30", "--monthly-since", "2023-07-01")
    response = login(national_admin).get(URL, {"as_of": "2024-06-30", "at_risk": "on"})
    rows = _rows(response)
    assert rows, "some units cannot reach 100% deployment by 31/12/2024 at their pace"
    assert all(row.at_risk for row in rows.values())
    assert response.context["units_at_risk"] == len(rows)
    html = response.content.decode()
    assert 'class="badge outlook-will_miss"' in html or 'class="badge outlook-no_progress"' in html


@pytest.mark.parametrize("role", ["viewer", "officer", "manager"])
def test_only_national_admins_see_it(login, units, role_user, role):
    user = role_user(role, units["P38"])
    assert login(user).get(URL).status_code == 404


def test_anonymous_goes_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
