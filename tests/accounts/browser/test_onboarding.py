"""Real browser (Debian's chromium through Playwright): a national administrator onboards a
province from nothing; its account administrator follows the invitation, sets a password,
enrols the authenticator app at the first sign-in and adds a viewer. No shell."""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.models import Membership, Role
from tests.accounts.sessions import token_of
from tests.factories import UnitFactory, user_with_role
from tests.pages.browser.conftest import PASSWORD, browser  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def province(transactional_db, settings, live_server):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url
    mail.outbox = []
    return UnitFactory(name="Tỉnh Thanh Hóa", code="P38")


def _new_page(browser):  # noqa: F811
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _invitation_link(live_server, to):
    message = next(m for m in mail.outbox if m.to == [to])
    return re.search(re.escape(live_server.url) + r"/accounts/invitation/\S+/", message.body)[0]


def _create_account(page, username, full_name, email, role):
    page.fill("#id_username", username)
    page.fill("#id_full_name", full_name)
    page.fill("#id_email", email)
    page.select_option("#id_role", role.value)
    page.select_option("#id_unit", label="Tỉnh Thanh Hóa")
    page.click("#account-form button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/\d+/$"))


def test_national_admin_onboards_a_province_whose_account_admin_adds_a_viewer(
    browser,  # noqa: F811
    live_server,
    province,
):
    national = user_with_role(Role.NATIONAL_ADMIN)
    device = TOTPDevice.objects.create(user=national, name="phone", confirmed=True)

    context, page = _new_page(browser)
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", national.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    assert "Xác thực hai bước" in page.inner_text("h1")
    page.fill("#id_token", token_of(device))
    page.click("#otp-form button[type=submit]")
    page.wait_for_url(re.compile(r"/national/"))

    page.click("nav >> text=Tài khoản")
    page.click("text=Tạo tài khoản")
    _create_account(page, "qtv.thanhhoa", "Lê Văn Quản", "qtv@thanhhoa.gov.vn", Role.ACCOUNT_ADMIN)
    assert "đã gửi thư mời, chưa đặt mật khẩu" in page.inner_text("#account-status")
    context.close()

    # The province's account administrator, from the e-mail's link.
    context, page = _new_page(browser)
    page.goto(_invitation_link(live_server, "qtv@thanhhoa.gov.vn"))
    assert "Đặt mật khẩu của bạn" in page.inner_text("h1")
    page.fill("#id_new_password1", "Thanh-Hoa-2026!")
    page.fill("#id_new_password2", "Thanh-Hoa-2026!")
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r"/login/"))
    page.fill("#id_username", "qtv.thanhhoa")
    page.fill("#id_password", "Thanh-Hoa-2026!")
    page.click("button[type=submit].primary")

    # Required of an account administrator: enrol the app, then the code it shows.
    page.wait_for_url(re.compile(r"/accounts/two-factor/setup/"))
    assert page.locator("figure.qr svg").count() == 1
    secret = base64.b32decode(page.inner_text("#otp-secret"))
    page.fill("#id_token", f"{totp(secret):06d}")
    page.click("#otp-form button[type=submit]")
    assert page.locator("#recovery-codes li").count() == 10
    page.click("text=Tiếp tục")

    page.click("nav >> text=Tài khoản")
    page.click("text=Tạo tài khoản")
    offered = page.eval_on_selector_all("#id_role option", "os => os.map(o => o.value)")
    assert offered == ["officer", "viewer", "manager"]  # nothing wider than their own
    _create_account(page, "xem.thanhhoa", "Phạm Thị Xem", "xem@thanhhoa.gov.vn", Role.VIEWER)
    context.close()

    viewer = Membership.objects.get(user__username="xem.thanhhoa")
    assert (viewer.role, viewer.unit) == (Role.VIEWER, province)
    assert _invitation_link(live_server, "xem@thanhhoa.gov.vn")
