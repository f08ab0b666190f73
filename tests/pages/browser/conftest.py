import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.accounts.second_factor import must_use_second_factor
from registry.models import Role, Unit
from tests.accounts.sessions import token_of
from tests.factories import user_with_role
from tests.pages.browser.site_pages import (
    ENROLMENT,
    NATIONAL,
    OFFICER,
    ROLES,
    SECOND_FACTOR_STEP,
    make_site_data,
    unlisted_routes,
)

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# where a loop is running unless told that this is a test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-results" / "screenshots"
PASSWORD = "pw-Secret-123"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (CI installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_baseline(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_appendix_ix", verbosity=0)
    return {unit.code: unit for unit in Unit.objects.filter(parent__isnull=True)}


def new_page(browser, viewport):
    context = browser.new_context(
        locale="vi-VN",
        viewport={"width": viewport[0], "height": viewport[1]},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def sign_in(page, base_url, user, device=None):
    """Through the login form, and its second step when a device is given."""
    page.goto(f"{base_url}/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    if device:  # the second step of signing in (registry/accounts)
        page.fill("#id_token", token_of(device))
        page.click("#otp-form button[type=submit]")
        page.wait_for_load_state()
    return page


def with_device(user):
    if must_use_second_factor(user):
        return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return None


def shown_page(response):
    """[url] when the response is a page that a GET put in the tab, else []. A page shown
    after a POST (the CSRF failure page) has the layout of the others, but no URL to list."""
    request = response.request
    if not request.is_navigation_request() or request.frame.parent_frame:
        return []
    is_redirect = 300 <= response.status < 400
    return [response.url] if request.method == "GET" and not is_redirect else []


@pytest.fixture
def page_as(browser, live_server, browser_baseline):
    """page_as(role, unit_code, viewport) -> a Playwright page logged in through the login form."""
    pages, visited = [], []

    def _page_as(role, unit_code=None, viewport=(1280, 900)):
        unit = browser_baseline[unit_code] if unit_code else None
        user = user_with_role(role, unit)  # password: PASSWORD (tests/factories.py)
        page = new_page(browser, viewport)
        page.on("response", lambda response: visited.extend(shown_page(response)))
        pages.append(page)
        return sign_in(page, live_server.url, user, with_device(user))

    yield _page_as
    for page in pages:
        page.context.close()
    unlisted = unlisted_routes(visited, live_server.url)
    assert not unlisted, f"add these pages to SITE_PAGES (site_pages.py) for axe-core: {unlisted}"


class Site:
    """The pages of SITE_PAGES, each opened by its visitor, one signed-in context per visitor
    and viewport."""

    def __init__(self, browser, base_url, units):
        self.browser, self.base_url = browser, base_url
        self.users = {
            who: user_with_role(role, units.get(code)) for who, (role, code) in ROLES.items()
        }
        self.devices = {who: with_device(user) for who, user in self.users.items()}
        self.data = make_site_data(self.users[OFFICER])
        self.pages = {}

    def open(self, site_page, viewport):
        key = (site_page.who, viewport)
        if key not in self.pages:
            self.pages[key] = self._visitor(site_page.who, viewport)
        page = self.pages[key]
        response = page.goto(self.base_url + site_page.url(self.data))
        return page, response

    def _visitor(self, who, viewport):
        page = new_page(self.browser, viewport)
        if who in ROLES:
            return sign_in(page, self.base_url, self.users[who], self.devices[who])
        if who == SECOND_FACTOR_STEP:  # the password only
            return sign_in(page, self.base_url, self.users[NATIONAL])
        if who == ENROLMENT:
            return sign_in(page, self.base_url, user_with_role(Role.NATIONAL_ADMIN))
        return page  # ANONYMOUS

    def close(self):
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def site(browser, live_server, browser_baseline):
    site = Site(browser, live_server.url, browser_baseline)
    yield site
    site.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return _shot
