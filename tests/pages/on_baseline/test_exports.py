import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registry.models import Role
from tests.factories import SystemFactory


def _csv(response):
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig"))))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(b"".join(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_national_export_has_every_unit_and_the_totals(login, national_admin, units):
    url = reverse("compliance:national_export", args=["csv"])
    lines = _csv(login(national_admin).get(url, {"as_of": "2024-06-30"}))
    names = {line[1] for line in lines[1:]}
    assert "Thanh Hóa" in names and "Bộ Tài chính" in names
    assert len(lines) == 1 + 91 + 2 + 1  # header, units, two block totals, national total
    national = lines[-1]
    assert national[2:5] == ["7008", "5323", "76.0"]


def test_national_export_applies_the_filters(login, national_admin, units):
    url = reverse("compliance:national_export", args=["xlsx"])
    response = login(national_admin).get(url, {"as_of": "2024-06-30", "below": "approval"})
    rows = _xlsx(response)
    unit_rows = [row for row in rows[1:] if row[0] is not None]
    assert len(unit_rows) == 22
    assert all(row[4] is None or row[4] < 50 for row in unit_rows)


def test_unit_exports_follow_filters_and_scope(login, viewer_p38, units):
    client = login(viewer_p38)
    url = reverse("compliance:unit_export", args=["P38", "outstanding", "csv"])
    lines = _csv(client.get(url, {"as_of": "2024-06-30", "level": "3"}))
    assert len(lines) > 1 and all(line[4] == "3" for line in lines[1:])
    all_lines = _csv(client.get(url, {"as_of": "2024-06-30"}))
    assert len(all_lines) == 1 + 856 - 368  # every outstanding system, not one page
    sub = _xlsx(client.get(reverse("compliance:unit_export", args=["P38", "subunits", "xlsx"])))
    assert [row[0] for row in sub[1:-1]] == [
        "Thanh Hóa (hệ thống do đơn vị trực tiếp quản lý)",
        sub[2][0],
    ]
    assert sub[1][1] + sub[2][1] == 856
    assert sub[-1][1] == "=SUM(B2:B3)"  # a live total line
    for other in (["B05", "outstanding", "csv"], ["B05", "subunits", "xlsx"]):
        assert client.get(reverse("compliance:unit_export", args=other)).status_code == 404


def test_only_national_admins_export_the_national_table(login, viewer_p38, units):
    url = reverse("compliance:national_export", args=["csv"])
    assert login(viewer_p38).get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_unknown_formats_and_tables_are_404(login, viewer_p38, units, fmt):
    client = login(viewer_p38)
    assert (
        client.get(reverse("compliance:unit_export", args=["P38", "outstanding", fmt])).status_code
        == 404
    )
    assert (
        client.get(reverse("compliance:unit_export", args=["P38", "secrets", "csv"])).status_code
        == 404
    )


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_formula_cells_are_neutralised(two_units, role_user, login, prefix):
    province = two_units["a"]["province"]
    SystemFactory(owner=province, name=f'{prefix}HYPERLINK("http://x","y")')
    client = login(role_user(Role.VIEWER, province))
    csv_lines = _csv(
        client.get(reverse("compliance:unit_export", args=[province.code, "outstanding", "csv"]))
    )
    xlsx_rows = _xlsx(
        client.get(reverse("compliance:unit_export", args=[province.code, "outstanding", "xlsx"]))
    )
    for names in ([line[1] for line in csv_lines], [row[1] for row in xlsx_rows]):
        dangerous = [name for name in names if "HYPERLINK" in str(name)]
        assert dangerous == [f'\'{prefix}HYPERLINK("http://x","y")']
