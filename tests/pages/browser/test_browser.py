"""Real browser (Debian's chromium through Playwright): the three main roles on the baseline."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from registry.baseline import read_appendix_ix
from registry.models import Role

pytestmark = pytest.mark.browser

CELLS_JS = """rows => rows.map(
    row => Array.from(row.querySelectorAll('td')).map(td => td.innerText.trim())
)"""


# The national table's unit rows: number, unit name (a row header), then the figures.
UNIT_ROWS_JS = """rows => rows.map(
    row => Array.from(row.querySelectorAll('td, th')).map(cell => cell.innerText.trim())
)"""


def _table_rows(page, selector):
    return page.eval_on_selector_all(f"{selector} tbody tr", CELLS_JS)


def _download(page, link_text, scope="body"):
    with page.expect_download() as info:
        page.locator(scope).get_by_role("link", name=link_text, exact=True).first.click()
    return info.value.path().read_bytes()


def test_national_admin_sees_the_published_table(page_as, screenshot):
    page = page_as(Role.NATIONAL_ADMIN)
    assert page.url.endswith("/national/")
    assert page.locator("#below-approval .value").inner_text() == "22/91"
    published = {row.name: row for row in read_appendix_ix()}
    shown = page.eval_on_selector_all("#national-table tr.unit-row", UNIT_ROWS_JS)
    assert len(shown) == 91
    for cells in shown:
        row = published[cells[1]]
        assert [int(cells[2]), int(cells[3]), int(cells[5])] == [
            row.total,
            row.approved,
            row.fully_deployed,
        ], cells[1]
    screenshot(page, "national")

    page.select_option("select[name=below]", "approval")
    page.click("#national-filters button[type=submit]")
    page.wait_for_url(re.compile(r"below=approval"))
    assert page.locator("#national-table tr.unit-row").count() == 22

    page.fill("input[name=as_of]", "2023-06-30")
    page.click("#national-filters button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2023-06-30"))
    assert "30/06/2023" in page.locator(".as-of").inner_text()
    earlier = int(page.locator("#below-approval .value").inner_text().split("/")[0])
    assert earlier > 22
    screenshot(page, "national-2023-06-30-below-approval")

    lines = list(csv.reader(io.StringIO(_download(page, "CSV").decode("utf-8-sig"))))
    assert len(lines) - 1 - 3 == earlier  # header; two block totals and the national total


def test_provincial_viewer_sees_their_unit(page_as, screenshot):
    page = page_as(Role.VIEWER, "P38")
    assert page.url.endswith("/units/P38/")
    this_unit = _table_rows(page, "#rates")[0]
    assert this_unit[:4] == ["856", "856", "100,0%", "368"]
    assert page.locator("#outstanding-count").inner_text().startswith("488")
    screenshot(page, "unit-thanh-hoa")

    page.select_option("#outstanding-filters select[name=level]", "3")
    page.click("#outstanding-filters button[type=submit]")
    page.wait_for_url(re.compile(r"level=3"))
    levels = {cells[4] for cells in _table_rows(page, "table.outstanding")}
    assert levels == {"3"}
    filtered = int(page.locator("#outstanding-count").inner_text().split()[0])
    assert 0 < filtered < 488

    workbook = load_workbook(io.BytesIO(_download(page, "XLSX")))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 1 + filtered and {row[4] for row in rows[1:]} == {3}

    other = page.goto(page.url.replace("/units/P38/", "/units/P01/"))
    assert other.status == 404


def test_ministry_officer_on_a_laptop_and_a_phone(page_as, screenshot):
    page = page_as(Role.OFFICER, "B05", viewport=(390, 844))
    assert page.url.endswith("/units/B05/")
    assert _table_rows(page, "#rates")[0][:4] == ["105", "81", "77,1%", "57"]
    # the page fits a phone: wide tables scroll inside their box, not the page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "unit-bo-tai-chinh-phone")
    page.locator("table.outstanding tbody a").first.click()
    page.wait_for_url(re.compile(r"/systems/\d+/"))
    assert page.get_by_role("link", name="Sửa trong danh mục").count() == 1
    screenshot(page, "system-page")
