"""The pages' CSV and XLSX downloads: streamed, rates stored as percents, live totals that give
the page's numbers, and printable sheets (issue 17, and issue 15's format bullet)."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from compliance import exports
from registry.models import ReportingGroup, Role
from tests.factories import SystemFactory, UnitFactory, user_with_role

AS_OF = {"as_of": "2024-06-30"}


@pytest.fixture
def national_client(client, db):
    for index, group in enumerate((ReportingGroup.MINISTRY, ReportingGroup.PROVINCE)):
        for number in range(2):
            unit = UnitFactory(group=group, name=f"Đơn vị {index}-{number}")
            SystemFactory.create_batch(2 + number, owner=unit, approved=True)
            SystemFactory.create_batch(1 + index, owner=unit, deployed=True)
            SystemFactory(owner=unit)
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    return client


def _sheet(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def _evaluate(sheet, reference):
    """A cell's value, computing the SUMs and quotients the export writes."""
    value = sheet[reference].value
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    if match := re.fullmatch(r"=SUM\(([A-Z]+)(\d+):[A-Z]+(\d+)\)", value):
        rows = range(int(match[2]), int(match[3]) + 1)
        return sum(_evaluate(sheet, f"{match[1]}{row}") for row in rows)
    if match := re.fullmatch(r"=SUM\(([A-Z0-9,]+)\)", value):
        return sum(_evaluate(sheet, cell) for cell in match[1].split(","))
    match = re.fullmatch(r'=IF\(N\((\w+)\)=0,"",(\w+)/(\w+)\)', value)
    assert match, value
    top, bottom = _evaluate(sheet, match[2]), _evaluate(sheet, match[3])
    return top / bottom if bottom else ""


def test_the_national_xlsx_has_live_totals_equal_to_the_page(national_client):
    url = reverse("compliance:national_export", args=["xlsx"])
    response = national_client.get(url, AS_OF)
    assert response.streaming
    sheet = _sheet(response)
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    totals = [number for number, row in enumerate(rows, 1) if row[0] in (None, "")]
    assert len(totals) == 3  # two groups, then the nation
    national = totals[-1]
    assert rows[national - 1][2] == f"=SUM(C{totals[0]},C{totals[1]})"
    # Ministries: 4 + 5 systems, 3 + 4 approved; provinces: 5 + 6 systems, 4 + 5 approved.
    assert _evaluate(sheet, f"C{totals[0]}") == 9 and _evaluate(sheet, f"C{totals[1]}") == 11
    assert _evaluate(sheet, f"C{national}") == 20
    assert _evaluate(sheet, f"D{national}") == 16
    assert _evaluate(sheet, f"E{national}") == pytest.approx(0.8)
    assert sheet[f"E{national}"].number_format == "0.0%"


def test_rates_are_numbers_with_a_percent_format(national_client):
    sheet = _sheet(national_client.get(reverse("compliance:national_export", args=["xlsx"]), AS_OF))
    first_unit = sheet["E2"]
    assert isinstance(first_unit.value, float) and 0 <= first_unit.value <= 1
    assert first_unit.number_format == "0.0%"
    response = national_client.get(reverse("compliance:national_export", args=["csv"]), AS_OF)
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert float(lines[1][4]) == pytest.approx(first_unit.value * 100, abs=0.05)


def test_the_sheet_prints_landscape_fit_to_width_with_its_header_repeated(national_client):
    sheet = _sheet(national_client.get(reverse("compliance:national_export", args=["xlsx"]), AS_OF))
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_a_total_the_rows_do_not_add_up_to_stays_a_number():
    """A total line that is not the sum of the lines shown (e.g. a group's figures with some
    units filtered out) keeps its number: the workbook never shows another figure."""
    lines = [
        ["Unit", "Total systems"],
        ["A", 3],
        exports.FooterLine(["Total", 10]),
    ]
    sheet = load_workbook(exports.xlsx_file(lines, "t")).active
    assert sheet["B3"].value == 10
    lines[2] = exports.FooterLine(["Total", 3])
    sheet = load_workbook(exports.xlsx_file(lines, "t")).active
    assert sheet["B3"].value == "=SUM(B2:B2)"


def test_a_name_typed_as_a_formula_stays_text():
    lines = [["Unit"], ['=HYPERLINK("http://x")']]
    sheet = load_workbook(exports.xlsx_file(lines, "t")).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert (
        b"".join(exports.csv_chunks(lines))
        .decode("utf-8-sig")
        .splitlines()[1]
        .startswith("\"'=HYPERLINK")
    )
