"""Real browser: the Content-Security-Policy breaks no page, and the error pages are styled and
in Vietnamese (issue 12)."""

import pytest

from registry.models import InformationSystem, Role

pytestmark = pytest.mark.browser

# Chromium reports a blocked inline script, inline style or foreign source on the console.
VIOLATION = "Content Security Policy"


def _styled(page):
    """Whether app.css applied: the header is a flex row with its bottom rule."""
    return page.eval_on_selector(".site-header", "e => getComputedStyle(e).display") == "flex"


def test_pages_run_under_the_policy_without_violations(page_as, live_server):
    page = page_as(Role.OFFICER, "B05")
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    system = InformationSystem.objects.filter(owner__code="B05").order_by("pk").first()
    paths = [
        "/",
        f"/systems/{system.pk}/",
        "/reports/",
        "/admin/",
        "/admin/registry/informationsystem/",
        f"/admin/registry/informationsystem/{system.pk}/change/",
        "/admin/registry/informationsystem/import/",
    ]
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        policy = response.header_value("content-security-policy") or ""
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
    assert not [text for text in messages if VIOLATION in text], messages


def test_not_found_and_csrf_failure_pages_are_vietnamese_and_styled(page_as, live_server):
    page = page_as(Role.VIEWER, "P38")
    response = page.goto(f"{live_server.url}/units/KHONG-CO/")
    assert response.status == 404
    assert _styled(page)
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"

    # A form sent after its protection cookie is gone: the CSRF failure page.
    page.goto(f"{live_server.url}/reports/")
    page.context.clear_cookies()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("form[method=post] button[type=submit]").first.click()
    assert posted.value.status == 403
    page.wait_for_load_state()
    assert _styled(page)
    assert page.locator("h1").inner_text() == "Không thể tiếp nhận biểu mẫu"
    assert "cookie" in page.locator("main").inner_text()
