"""The API docs in a real browser with no network beyond the site: Swagger UI renders every
operation from the product's own files, and the Content-Security-Policy refuses nothing."""

from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.models import Role
from tests.accounts.sessions import token_of
from tests.factories import user_with_role
from tests.pages.browser.conftest import PASSWORD, browser  # noqa: F401  (the fixture)

# Runs before the page's own scripts (Playwright injects it), so it sees every refusal.
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.mark.django_db(transaction=True)
def test_the_docs_render_offline_under_the_csp(browser, live_server, settings):  # noqa: F811
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = user_with_role(Role.NATIONAL_ADMIN)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    site = urlsplit(live_server.url).netloc
    context = browser.new_context(locale="vi-VN")
    elsewhere = []

    def only_the_site(route):
        if urlsplit(route.request.url).netloc == site:
            route.continue_()
        else:  # no network on a government LAN: anything else would fail there
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_site)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/login/?next=/api/v1/docs/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.fill("#id_token", token_of(device))
    page.click("#otp-form button[type=submit]")
    page.wait_for_url("**/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Security level compliance API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 10
    assert not elsewhere, elsewhere
    assert page.evaluate("window.cspViolations") == []
    context.close()
