"""Issue 15, in a real browser: the national, unit and system pages at 1366×768 and on a
390×844 phone, in Vietnamese and English. No page scrolls sideways, the totals stand under
their columns, unit names keep to one line on a desktop, the Vietnamese national page is
not much taller than the English one, and the key figures show on a phone. Screenshots are
kept under var/screenshots/."""

import re
from pathlib import Path

import pytest

from tests.pages.browser.site_pages import SITE_PAGES
from tests.pages.browser.test_reflow import OVERFLOW_JS

pytestmark = pytest.mark.browser

DESKTOP, PHONE = (1366, 768), (390, 844)
LANGUAGES = ("vi", "en")
PAGES = {
    page.name: page
    for page in SITE_PAGES
    if page.name in ("national", "unit", "system", "reports", "report")
}
SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
# English words these pages would show if a string escaped translation.
ENGLISH = re.compile(
    r"\b(Approval|Approved|Deployment|Forecast|Total|Download|Unit|Rank|Median|published|"
    r"deadline|systems?|None|Filter|Apply|Reset|missed|stalled|on track|no data|rebuilt|"
    r"Trend|Level|As of|Best|Lowest|figures|Show|All|---------)\b"
)

# For each table with totals rows: the header cells' horizontal extents, and each totals
# line's cells that do not line up with them (visible cells only: a phone hides "No.").
MISALIGNED_JS = """() => {
  const box = cell => { const r = cell.getBoundingClientRect(); return [r.left, r.right]; };
  const shown = row => Array.from(row.cells).filter(cell => cell.getBoundingClientRect().width > 0);
  const problems = [];
  let checked = 0;
  for (const table of document.querySelectorAll("table")) {
    const totals = table.querySelectorAll("tfoot tr, tr.subtotal");
    if (!totals.length || !table.tHead) continue;
    const heads = shown(table.tHead.rows[0]).map(box);
    for (const row of totals) {
      checked++;
      const cells = shown(row).map(box);
      if (cells.length !== heads.length) {
        problems.push(`${cells.length} cells under ${heads.length} heads`);
        continue;
      }
      cells.forEach(([left, right], i) => {
        if (Math.abs(left - heads[i][0]) > 1 || Math.abs(right - heads[i][1]) > 1)
          problems.push(`${row.innerText.slice(0, 30)}: column ${i} at ${left}-${right}, `
                        + `head at ${heads[i]}`);
      });
    }
  }
  return [checked, problems.slice(0, 5)];
}"""
# Unit names of the national table that wrap onto a second line.
WRAPPED_NAMES_JS = """() => Array.from(
  document.querySelectorAll("#national-table tr.unit-row th.name a")
).filter(link => link.getClientRects().length > 1).map(link => link.innerText)"""


def _open(site, name, viewport, language):
    """The page in that language at that size: one signed-in tab per visitor, resized (a
    second sign-in within the same 30 s would replay its one-time code)."""
    site_page = PAGES[name]
    page, response = site.open(site_page, DESKTOP)
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site.base_url}])
    response = page.goto(site.base_url + site_page.url(site.data))
    assert response.status == 200, name
    assert page.locator("html").get_attribute("lang") == language
    return page


def _shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_pages_fit_and_totals_align_at_both_widths_in_both_languages(site):
    heights, problems = {}, []
    for name in PAGES:
        for viewport in (DESKTOP, PHONE):
            for language in LANGUAGES:
                label = f"{name}-{language}-{viewport[0]}x{viewport[1]}"
                page = _open(site, name, viewport, language)
                scroll_width, inner_width, culprits = page.evaluate(OVERFLOW_JS)
                if scroll_width > inner_width:
                    problems.append(f"{label}: {scroll_width} px wide, by {culprits}")
                checked, misaligned = page.evaluate(MISALIGNED_JS)
                if misaligned:
                    problems.append(f"{label}: totals out of line: {misaligned}")
                if language == "vi":
                    english = sorted(set(ENGLISH.findall(page.locator("body").inner_text())))
                    if english:
                        problems.append(f"{label}: English left in Vietnamese: {english}")
                heights[label] = page.evaluate("document.documentElement.scrollHeight")
                _shoot(page, label)
                if name in ("national", "unit") and not checked:
                    problems.append(f"{label}: no totals row found")
    assert not problems, "\n".join(problems)
    vietnamese, english = heights["national-vi-1366x768"], heights["national-en-1366x768"]
    assert vietnamese <= 1.3 * english, (vietnamese, english)


@pytest.mark.parametrize("language", LANGUAGES)
def test_national_table_is_compact_on_a_desktop(site, language):
    page = _open(site, "national", DESKTOP, language)
    assert page.evaluate(WRAPPED_NAMES_JS) == []
    rows = page.locator("#national-table tr.unit-row")
    assert rows.count() == 91
    heights = page.eval_on_selector_all(
        "#national-table tr.unit-row", "rows => rows.map(row => row.getBoundingClientRect().height)"
    )
    assert max(heights) < 40, max(heights)  # one line a row, badges included
    # the header stays in view while the table scrolls
    page.locator("#national-table tbody tr.unit-row").nth(60).scroll_into_view_if_needed()
    head = page.locator("#national-table thead th.name").bounding_box()
    box = page.locator(".national-scroll").bounding_box()
    assert box["y"] - 1 <= head["y"] <= box["y"] + 2


def test_key_figures_and_unit_names_show_on_a_phone(site):
    page = _open(site, "national", PHONE, "vi")
    for figure in ("#below-approval", "#below-deployment", "#at-risk", "#national-figures"):
        box = page.locator(figure).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0] + 0.5, figure
    container = page.locator(".national-scroll")
    container.evaluate("box => box.scrollLeft = box.scrollWidth")
    name = page.locator("#national-table tr.unit-row th.name").first.bounding_box()
    assert 0 <= name["x"] < 60  # the unit column stays while the figures scroll
    unit = _open(site, "unit", PHONE, "vi")
    rates = unit.locator("#rates")
    assert rates.locator("thead th").count() == 7
    unit.locator("#rates").evaluate("table => table.parentElement.scrollLeft = 10000")
    first = unit.locator("#rates tbody th").first.bounding_box()
    assert 0 <= first["x"] < 60
    chart = unit.locator("svg.trend.narrow")
    assert chart.is_visible() and not unit.locator("svg.trend.wide").is_visible()
