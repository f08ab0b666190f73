"""The main tasks by keyboard alone (WCAG 2.1.1 and 2.4.7, issue 18): signing in with the second
factor, switching the language, changing the as-of date, opening a unit, exporting, making a
report. Only key presses and typing, no mouse event; every element the Tab key reaches shows
that it has the focus (an outline or a shadow)."""

import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from compliance.celery import app
from compliance.reports.models import GeneratedReport, ReportStatus
from registry.models import Role
from tests.accounts.sessions import token_of
from tests.factories import user_with_role
from tests.pages.browser.conftest import PASSWORD, new_page

pytestmark = pytest.mark.browser

TABS_AT_MOST = 400  # the national page has 91 units' rows of links before the end
FOCUSED_JS = """selector => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    matches: element.matches(selector),
    // the body: the focus went past the page's last element, to the browser's own controls
    visible: element === document.body || outlined || style.boxShadow !== "none",
    name: element.outerHTML.slice(0, 120),
  };
}"""


@pytest.fixture
def eager_reports(settings, tmp_path):
    """The report is made in-process, as a worker would, into a folder of this test."""
    settings.MEDIA_ROOT = tmp_path
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def focus(page, selector):
    """Presses Tab until the element matching `selector` has the focus; each element passed
    on the way must show its focus."""
    for _ in range(TABS_AT_MOST):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS, selector)
        assert focused["visible"], f"no visible focus on {focused['name']}"
        if focused["matches"]:
            return
    raise AssertionError(f"{selector} not reached in {TABS_AT_MOST} presses of Tab")


def press_and_wait(page, key, url_pattern):
    with page.expect_navigation(url=re.compile(url_pattern)):
        page.keyboard.press(key)


def test_main_tasks_by_keyboard_alone(browser, live_server, browser_baseline, eager_reports):
    national = user_with_role(Role.NATIONAL_ADMIN)
    device = TOTPDevice.objects.create(user=national, name="phone", confirmed=True)
    page = new_page(browser, (1366, 768))
    page.goto(f"{live_server.url}/login/")

    # Signing in: the user name has the focus on arrival.
    assert page.evaluate(FOCUSED_JS, "#id_username")["matches"]
    page.keyboard.type(national.username)
    focus(page, "#id_password")
    page.keyboard.type(PASSWORD)
    press_and_wait(page, "Enter", r"/accounts/two-factor/")
    assert page.evaluate(FOCUSED_JS, "#id_token")["matches"]
    page.keyboard.type(token_of(device))
    press_and_wait(page, "Enter", r"/national/$")

    # Switching the language.
    focus(page, "button[name=language][value=en]")
    press_and_wait(page, "Enter", r"/national/$")
    assert page.locator("h1").inner_text() == "National compliance"

    # Changing the as-of date: a text field that reads dd/mm/yyyy in both languages.
    focus(page, "#national-filters input[name=as_of]")
    page.keyboard.press("Control+A")
    page.keyboard.type("06/06/2023")
    assert page.eval_on_selector("#national-filters input[name=as_of]", "e => e.value") == (
        "06/06/2023"
    )
    press_and_wait(page, "Enter", r"as_of=06%2F06%2F2023")
    assert "06/06/2023" in page.locator(".as-of").inner_text()

    # Opening a unit from the national table.
    focus(page, "table.figures a[href*='/units/B05/']")
    press_and_wait(page, "Enter", r"/units/B05/")
    assert page.locator("h1").inner_text() == "Bộ Tài chính"

    # Exporting the unit's outstanding systems.
    focus(page, "a[href*='/export/outstanding/csv/']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert len(exported.splitlines()) > 1

    # Making a report: the national summary (the first choice) as an Excel workbook.
    focus(page, "nav a[href='/reports/']")
    press_and_wait(page, "Enter", r"/reports/$")
    focus(page, "#id_format")
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("#id_format", "e => e.value") == "xlsx"
    focus(page, "form.report-request button[type=submit]")
    press_and_wait(page, "Enter", r"/reports/\d+/$")
    report = GeneratedReport.objects.get(created_by=national)
    assert (report.unit, report.format, report.status) == (None, "xlsx", ReportStatus.DONE)
    assert report.as_of == timezone.localdate()  # the form's default
    assert page.locator("a.download").count() == 1
    page.context.close()
