"""Two-factor sign-in: who must pass it, what they get before, enrolment, recovery, reset."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.audit.models import AuditEvent
from registry.models import Role
from tests.accounts.sessions import password_only, token_of
from tests.factories import SystemFactory, user_with_role

PASSWORD = "pw-Secret-123"


def _sign_in(client, user):
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _enrolled(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.fixture
def system(provinces):
    return SystemFactory(owner=provinces["a"], name="Cổng dịch vụ công A")


PROTECTED = [
    "/",
    "/national/",
    "/units/",
    "/reports/",
    "/admin/",
    "/admin/registry/informationsystem/",
    "/admin/registry/informationsystem/export/csv/",
    "/national/export/csv/",
    "/accounts/",
]


@pytest.mark.parametrize("url", PROTECTED)
def test_a_national_admin_without_the_second_factor_gets_nothing(client, provinces, url):
    _enrolled(provinces["national"])
    password_only(client, provinces["national"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_password_then_code_through_the_login_page(client, provinces):
    device = _enrolled(provinces["national"])
    response = _sign_in(client, provinces["national"])
    assert client.get("/national/")["Location"] == "/accounts/two-factor/?next=%2Fnational%2F"
    step = client.get("/accounts/two-factor/?next=/national/")
    assert "Xác thực hai bước".encode() in step.content
    wrong = client.post("/accounts/two-factor/", {"token": "000000", "next": "/national/"})
    assert wrong.status_code == 200 and client.get("/national/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code above throttles the next try
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(
        "/accounts/two-factor/", {"token": token_of(device), "next": "/national/"}
    )
    assert response.status_code == 302 and response["Location"] == "/national/"
    assert client.get("/national/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_required_user_without_a_device_enrols_first(client, provinces):
    admin = provinces["admin_a"]
    response = _sign_in(client, admin)
    response = client.get("/accounts/")
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    setup = client.get("/accounts/two-factor/setup/?next=/accounts/")
    assert b"<svg" in setup.content  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert client.get("/accounts/").status_code == 302  # unconfirmed: still nothing
    done = client.post(
        "/accounts/two-factor/setup/", {"token": token_of(device), "next": "/accounts/"}
    )
    assert done.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/accounts/").status_code == 200
    # Shown once: the setup page now only says it is on.
    again = client.get("/accounts/two-factor/setup/")
    assert not re.findall(r"<li><code>(\w+)</code></li>", again.content.decode())
    # A recovery code signs in once.
    client.logout()
    _sign_in(client, admin)
    assert client.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 302
    assert client.get("/accounts/").status_code == 200
    client.logout()
    _sign_in(client, admin)
    assert client.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 200
    assert client.get("/accounts/").status_code == 302


def test_an_unverified_user_cannot_enrol_a_second_device_to_skip_the_first(client, provinces):
    _enrolled(provinces["national"])
    password_only(client, provinces["national"])
    response = client.get("/accounts/two-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert TOTPDevice.objects.filter(user=provinces["national"]).count() == 1


def test_the_admin_itself_refuses_an_unverified_national_admin(rf, provinces):
    from django.contrib import admin
    from django.contrib.sessions.backends.db import SessionStore

    request = rf.get("/admin/")
    request.user = provinces["national"]
    request.user.is_verified = lambda: False
    request.session = SessionStore()
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_others_sign_in_with_the_password_alone(client, provinces, system):
    officer = user_with_role(Role.OFFICER, provinces["a"])
    _sign_in(client, officer)
    assert client.get(f"/systems/{system.pk}/").status_code == 200
    assert client.get("/admin/registry/informationsystem/").status_code == 200


def test_others_who_enrolled_are_asked_for_it(client, provinces):
    officer = user_with_role(Role.OFFICER, provinces["a"])
    _enrolled(officer)
    _sign_in(client, officer)
    assert client.get("/units/")["Location"].startswith("/accounts/two-factor/?")


def test_a_setting_requires_it_of_everyone(client, provinces, settings):
    settings.OTP_REQUIRED_FOR_ALL = True
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    _sign_in(client, viewer)
    assert client.get("/units/")["Location"].startswith("/accounts/two-factor/setup/")


def test_a_national_admin_resets_anothers_second_factor(client, provinces):
    admin_a = provinces["admin_a"]
    _enrolled(admin_a)
    recovery = StaticDevice.objects.create(user=admin_a, name="recovery")
    StaticToken.objects.create(device=recovery, token="abcd1234")
    client.force_login(provinces["national"])
    assert client.post(f"/accounts/{admin_a.pk}/reset-two-factor/").status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_a).exists()
    assert not StaticDevice.objects.filter(user=admin_a).exists()
    event = AuditEvent.objects.get(action="otp.reset")
    assert event.actor == provinces["national"] and event.target_id == str(admin_a.pk)
    # At the next sign-in the account administrator enrols again.
    client.logout()
    _sign_in(client, admin_a)
    assert client.get("/accounts/")["Location"].startswith("/accounts/two-factor/setup/")


def test_an_account_admin_cannot_reset_a_second_factor(client, provinces):
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    _enrolled(viewer)
    client.force_login(provinces["admin_a"])
    assert client.post(f"/accounts/{viewer.pk}/reset-two-factor/").status_code == 403
    assert TOTPDevice.objects.filter(user=viewer).exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "abc"])
def test_after_the_code_only_a_path_of_this_site(client, provinces, target):
    device = _enrolled(provinces["national"])
    _sign_in(client, provinces["national"])
    response = client.post("/accounts/two-factor/", {"token": token_of(device), "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
