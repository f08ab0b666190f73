"""django-axes through the real login view: the 11th wrong password in a row locks."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from registry.audit.models import AuditEvent
from registry.models import Role
from tests.factories import user_with_role

PASSWORD = "pw-Secret-123"


def _try(client, username, password="wrong", ip="203.0.113.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def viewer(provinces):
    return user_with_role(Role.VIEWER, provinces["a"])


def test_configuration_passes_axes_checks():
    call_command("check", "--fail-level", "WARNING")


def test_the_eleventh_wrong_password_locks_and_then_even_the_right_one_is_refused(client, viewer):
    for attempt in range(1, 11):
        response = _try(client, viewer.username)
        assert response.status_code == 200, attempt  # the login form again
        assert b'name="password"' in response.content
    locked = _try(client, viewer.username)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Bạn đã đăng nhập sai quá nhiều lần" in text and "30 phút" in text
    refused = _try(client, viewer.username, PASSWORD)
    assert refused.status_code == 429
    assert not refused.wsgi_request.user.is_authenticated
    event = AuditEvent.objects.get(action="auth.lockout")
    assert event.target_id == str(viewer.pk) and event.data["username"] == viewer.username


def test_a_success_before_the_limit_starts_the_count_again(client, viewer):
    for _ in range(10):
        _try(client, viewer.username)
    assert _try(client, viewer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(10):
        assert _try(client, viewer.username).status_code == 200


def test_the_lock_is_per_account_from_any_address(client, viewer):
    for attempt in range(11):
        _try(client, viewer.username, ip=f"198.51.100.{attempt}")
    assert _try(client, viewer.username, PASSWORD, ip="192.0.2.50").status_code == 429


def test_the_lock_is_per_address_for_any_account(client, provinces, viewer):
    for attempt in range(11):
        _try(client, f"guess{attempt}")
    assert _try(client, viewer.username, PASSWORD).status_code == 429
    # Another address still signs in.
    assert _try(client, viewer.username, PASSWORD, ip="192.0.2.9").status_code == 302


def test_admin_login_is_the_same_login(client, viewer):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/"
    client.force_login(viewer)
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_a_user_the_admin_turns_away_is_not_sent_round_in_circles(client, viewer):
    viewer.is_staff = False
    viewer.save()
    client.force_login(viewer)
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_english_lockout_page(client, viewer):
    client.cookies["django_language"] = "en"
    for _ in range(11):
        response = _try(client, viewer.username)
    assert "Too many failed sign-ins in a row. Try again after" in response.content.decode()


def test_a_national_admin_unlocks_and_it_is_recorded(client, provinces, viewer):
    for _ in range(11):
        _try(client, viewer.username)
    client.force_login(provinces["national"])
    page = client.get("/accounts/lockouts/")
    assert viewer.username in page.content.decode()
    attempt = AccessAttempt.objects.get(username=viewer.username)
    assert client.post(f"/accounts/lockouts/{attempt.pk}/unlock/").status_code == 302
    assert not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor == provinces["national"] and event.target_id == str(viewer.pk)
    client.logout()
    assert _try(client, viewer.username, PASSWORD).status_code == 302


def test_only_national_admins_unlock(client, provinces, viewer):
    for _ in range(11):
        _try(client, viewer.username)
    attempt = AccessAttempt.objects.get(username=viewer.username)
    client.force_login(provinces["admin_a"])
    assert client.get("/accounts/lockouts/").status_code == 404
    assert client.post(f"/accounts/lockouts/{attempt.pk}/unlock/").status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


def test_the_account_page_shows_the_lock(client, provinces, viewer):
    for _ in range(11):
        _try(client, viewer.username)
    client.force_login(provinces["admin_a"])
    assert "bị khoá" in client.get(f"/accounts/{viewer.pk}/").content.decode()
