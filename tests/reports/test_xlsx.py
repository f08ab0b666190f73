"""The same tables as an Excel workbook."""

import csv
import datetime
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from compliance.reports.generation import build
from registry.baseline import APPENDIX_IX_CSV, read_appendix_ix
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory

PUBLISHED = datetime.date(2024, 6, 30)


def _workbook(unit, as_of=PUBLISHED):
    with translation.override("en"):
        return load_workbook(io.BytesIO(build(unit, as_of, "xlsx")))


def evaluate(sheet, reference):
    """The value of a cell, computing the few formulas the workbook writes: SUM over a range or
    a list of cells, and a rate as IF(N(x)=0,"—",ROUND(a/b,2))."""
    value = sheet[reference].value
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    if match := re.fullmatch(r"=SUM\(([A-Z]+)(\d+):[A-Z]+(\d+)\)", value):
        column, first, last = match[1], int(match[2]), int(match[3])
        return sum(evaluate(sheet, f"{column}{row}") or 0 for row in range(first, last + 1))
    if match := re.fullmatch(r"=SUM\(([A-Z0-9,]+)\)", value):
        return sum(evaluate(sheet, cell) for cell in match[1].split(","))
    match = re.fullmatch(r'=IF\(N\((\w+)\)=0,"—",ROUND\((\w+)/(\w+),2\)\)', value)
    assert match, value
    top, bottom = evaluate(sheet, match[2]), evaluate(sheet, match[3])
    return "—" if not bottom else round(top / bottom + 1e-9, 2)


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_national_workbook_holds_the_published_table(baseline, directive_09):
    workbook = _workbook(None)
    assert workbook.sheetnames == ["Appendix IX", "Levels", "Deadlines"]
    rows = _rows(workbook["Appendix IX"])
    with open(APPENDIX_IX_CSV, encoding="utf-8-sig") as handle:
        published_rates = {
            row["unit"]: row["approved_pct_as_published"] for row in csv.DictReader(handle)
        }
    by_name = {row[1]: row for row in rows if isinstance(row[0], int)}
    for published in read_appendix_ix():
        row = by_name[published.name]
        assert row[2:4] == [published.total, published.approved]
        assert row[5] == published.fully_deployed
        if published.total:
            assert row[4] == int(published_rates[published.name].rstrip("%")) / 100
        else:
            assert row[4] == "—" and row[8] == "no systems declared"
    totals = {row[1]: row for row in rows if row[0] in ("", None) and row[1]}
    sheet = workbook["Appendix IX"]
    national_row = next(n for n, row in enumerate(rows, 1) if row[1] == "National total")
    assert str(totals["National total"][2]).startswith("=SUM(")  # a live total
    national = [evaluate(sheet, f"{column}{national_row}") for column in "CDEFGH"]
    assert national == [7008, 5323, 0.76, 3957, 0.56, 0.74]
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.cell(national_row, 5).number_format == "0%"
    assert any(row[1] and row[1].startswith("22/91 units below 50% approval") for row in rows)
    levels = _rows(workbook["Levels"])
    assert levels[1] == ["Level 1", 3218, 0.459]
    assert sum(row[1] for row in levels[1:]) == 7008
    deadlines = _rows(workbook["Deadlines"])
    assert deadlines[1][0] == "Phê duyệt hồ sơ cấp độ"
    assert deadlines[1][3] == datetime.datetime(2024, 9, 30)


def test_formulas_in_names_stay_text(db, directive_09):
    unit = UnitFactory(name='=HYPERLINK("http://x")')
    SystemFactory(owner=unit, name="+cmd|' /C calc'!A0", submitted=True)
    national = _rows(_workbook(None)["Appendix IX"])
    assert any(row[1] == '\'=HYPERLINK("http://x")' for row in national)
    outstanding = _rows(_workbook(unit)["Outstanding systems"])
    assert outstanding[1][2] == "'+cmd|' /C calc'!A0"


def test_unit_workbook_lists_subunits_and_outstanding_systems(db, directive_09):
    province = UnitFactory(name="Tỉnh Mẫu")
    department = SubUnitFactory(parent=province, name="Sở Y tế Tỉnh Mẫu")
    done = SystemFactory(owner=province, deployed=True)
    waiting = SystemFactory(owner=department, approved=True)
    workbook = _workbook(province)
    assert workbook.sheetnames == [
        "Figures",
        "Subordinate units",
        "Outstanding systems",
        "Deadlines",
    ]
    figures = _rows(workbook["Figures"])
    assert figures[4] == ["Figure", "Tỉnh Mẫu", "Group total", "National total"]
    assert figures[5][:2] == ["Total systems", 2]
    subunits = _rows(workbook["Subordinate units"])
    assert subunits[1][1] == "Tỉnh Mẫu (systems it owns directly)"
    assert subunits[2][1:4] == ["Sở Y tế Tỉnh Mẫu", 1, 1]
    outstanding = _rows(workbook["Outstanding systems"])
    codes = [row[1] for row in outstanding[1:]]
    assert codes == [waiting.code]
    assert done.code not in codes
    assert outstanding[1][5:7] == [waiting.decision_number, datetime.datetime(2024, 4, 1)]


def test_workbook_in_constant_queries(db, directive_09):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            build(None, PUBLISHED, "xlsx")
        return len(captured)

    UnitFactory()
    small = queries()
    for _ in range(10):
        SystemFactory(owner=UnitFactory(), approved=True)
    assert queries() == small
