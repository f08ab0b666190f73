"""The admin's systems list in a real browser (issue 15): it fits 1366 px with every chosen column
in view, scrolls only inside its own box on a 390 px phone, and in Vietnamese shows no English
word that Django or its libraries left untranslated. Screenshots go to var/screenshots/."""

from pathlib import Path

import pytest

from registry.admin import InformationSystemAdmin
from registry.models import InformationSystem, Role
from tests.admin_language.english import english_in
from tests.pages.browser.site_pages import OFFICER_UNIT

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
DESKTOP, PHONE = (1366, 768), (390, 844)
CHANGE_LIST = "/admin/registry/informationsystem/"
COLUMNS = InformationSystemAdmin.list_display
WIDTHS_JS = """() => [
  document.documentElement.scrollWidth,
  window.innerWidth,
  Math.max(...Array.from(document.querySelectorAll('#result_list thead th'))
    .map(th => th.getBoundingClientRect().right)),
]"""


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _in_english(page):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url}])
    page.reload()
    return page


@pytest.fixture
def change_list(page_as, live_server):
    def _open(viewport, language):
        page = page_as(Role.OFFICER, OFFICER_UNIT, viewport)
        page.goto(live_server.url + CHANGE_LIST)
        if language == "en":
            _in_english(page)
        page.wait_for_selector("#result_list")
        return page

    return _open


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_systems_list_fits_1366_px_with_every_column_in_view(change_list, language):
    page = change_list(DESKTOP, language)
    page_width, viewport, last_column_right = page.evaluate(WIDTHS_JS)
    assert page_width <= viewport
    assert last_column_right <= viewport
    for column in COLUMNS:
        assert page.locator(f"#result_list th.column-{column}").is_visible(), column
    name = page.locator("#result_list td.field-short_name .one-line").first
    code = page.locator("#result_list th.field-code a").first.inner_text()
    full_name = InformationSystem.objects.get(code=code).name
    assert name.get_attribute("title") == full_name
    row_height = page.locator("#result_list tbody tr").first.bounding_box()["height"]
    assert row_height < 60  # the name is on one line, not five
    _shot(page, f"admin-systems-{language}-1366")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_systems_list_scrolls_in_its_box_on_a_phone(change_list, language):
    page = change_list(PHONE, language)
    page_width, viewport, _ = page.evaluate(WIDTHS_JS)
    assert page_width <= viewport
    _shot(page, f"admin-systems-{language}-390")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_the_systems_list_shows_no_english_in_vietnamese(change_list, viewport):
    page = change_list(viewport, "vi")
    text = page.inner_text("body")
    assert not english_in(text)
    assert "Tất cả" in text  # the filters' empty choice
    assert "---------" not in text
