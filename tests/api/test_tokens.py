"""Personal API tokens: the page that makes and revokes them, and what a token may do."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.test import APIClient

from registry.api.models import ApiToken
from registry.api.rules import hash_token
from registry.audit.models import AuditEvent
from registry.models import Role
from tests.accounts.sessions import CLIENT_FORCE_LOGIN, password_only
from tests.api.conftest import client_for, issue, sign_in_verified

pytestmark = pytest.mark.django_db
PAGE = "/accounts/api-tokens/"
SYSTEMS = "/api/v1/systems/"


def _expiry(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_a_verified_session_creates_a_token_shown_once_and_stored_hashed(
    client, role_user, two_units
):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    sign_in_verified(client, officer)
    response = client.post(PAGE, {"label": "Đồng bộ", "expires_on": _expiry()})
    assert response.status_code == 200
    raw = response.context["shown"]
    token = ApiToken.objects.get(user=officer)
    assert token.key_hash == hash_token(raw) and raw not in str(token.__dict__)
    assert raw.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert raw.encode() not in client.get(PAGE).content  # shown once
    event = AuditEvent.objects.get(action="api_token.created")
    assert (event.actor, event.target_id) == (officer, str(token.pk))
    answer = APIClient().get(SYSTEMS, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200


def test_a_session_without_second_factor_creates_no_token(client, role_user, two_units):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    StaticDevice.objects.create(user=officer, name="phone", confirmed=True)
    password_only(client, officer)  # the password step only: sent to the second factor
    response = client.post(PAGE, {"label": "x", "expires_on": _expiry()})
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    assert not ApiToken.objects.exists()


def test_an_officer_who_never_enrolled_is_asked_to_turn_on_the_second_factor(
    client, role_user, two_units
):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    CLIENT_FORCE_LOGIN(client, officer)  # signed in by password, no device: not verified
    page = client.get(PAGE)
    assert b"/accounts/two-factor/setup/" in page.content
    client.post(PAGE, {"label": "x", "expires_on": _expiry()})
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, -1, 366, 100000])
def test_an_expiry_out_of_range_is_refused(client, role_user, two_units, days):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    sign_in_verified(client, officer)
    expires = "9999-99-99" if days == 100000 else _expiry(days)
    response = client.post(PAGE, {"label": "x", "expires_on": expires})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_revoked_expired_deactivated_and_reset_tokens_stop_working(role_user, two_units):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    cases = {}
    for case in ("revoked", "expired", "inactive", "reset", "ok"):
        token, raw = issue(officer, label=case)
        cases[case] = (token, raw)
    ApiToken.objects.filter(pk=cases["revoked"][0].pk).update(revoked_at=timezone.now())
    ApiToken.objects.filter(pk=cases["expired"][0].pk).update(expires_on=timezone.localdate())

    def status(raw):
        return APIClient().get(SYSTEMS, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code

    assert status(cases["ok"][1]) == 200
    assert status(cases["revoked"][1]) == 401
    assert status(cases["expired"][1]) == 401
    assert status("sl_" + "x" * 43) == 401
    assert status("not-a-token") == 401
    StaticDevice.objects.filter(user=officer).delete()  # an administrator reset the device
    assert status(cases["reset"][1]) == 401
    StaticDevice.objects.create(user=officer, name="new phone", confirmed=True)
    officer.is_active = False
    officer.save()
    assert status(cases["inactive"][1]) == 401


def test_a_refused_token_answers_401_with_a_problem_in_the_clients_language(role_user):
    client = APIClient()
    response = client.get(SYSTEMS, HTTP_AUTHORIZATION="Bearer sl_nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"] == "This API token is not valid."
    vietnamese = client.get(SYSTEMS, HTTP_AUTHORIZATION="Bearer sl_nope")
    assert vietnamese["Content-Language"] == "vi"
    assert vietnamese.json()["detail"] != "This API token is not valid."


def test_a_token_acts_with_its_users_scope_only(role_user, two_units):
    viewer = role_user(Role.VIEWER, two_units["a"]["province"])
    client = client_for(viewer)
    codes = {row["code"] for row in client.get(SYSTEMS).json()["results"]}
    assert codes == {two_units["a"]["system"].code, two_units["a"]["sub_system"].code}
    other = two_units["b"]["system"]
    assert client.get(f"{SYSTEMS}{other.pk}/").status_code == 404
    assert (
        client.patch(f"{SYSTEMS}{two_units['a']['system'].pk}/", {"name": "x"}).status_code == 403
    )


def test_a_new_address_is_audited_once_and_the_last_use_is_kept(role_user, two_units):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    token, raw = issue(officer)
    for address in ("192.0.2.1", "192.0.2.1", "192.0.2.2", "192.0.2.1"):
        APIClient().get(SYSTEMS, HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR=address)
    events = AuditEvent.objects.filter(action="api_token.new_address").order_by("at")
    assert [e.ip for e in events] == ["192.0.2.1", "192.0.2.2"]
    token.refresh_from_db()
    assert token.last_used_ip == "192.0.2.1" and token.last_used_at is not None


def test_a_failed_request_still_records_the_new_address(role_user, two_units):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    _token, raw = issue(officer)
    response = APIClient().get(
        f"{SYSTEMS}{two_units['b']['system'].pk}/",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="api_token.new_address", ip="198.51.100.7").exists()


def test_a_user_revokes_their_own_token_and_no_one_elses(client, role_user, two_units):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    other = role_user(Role.OFFICER, two_units["b"]["province"])
    mine, raw = issue(officer)
    theirs, _ = issue(other)
    sign_in_verified(client, officer)
    assert client.post(f"{PAGE}{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"{PAGE}99999999999999999999/revoke/").status_code == 404
    assert client.post(f"{PAGE}{mine.pk}/revoke/").status_code == 302
    assert client.post(f"{PAGE}{mine.pk}/revoke/").status_code == 302  # twice: once recorded
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    assert APIClient().get(SYSTEMS, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    page = client.get(PAGE).content.decode()
    assert theirs.label not in page or theirs.prefix not in page


def test_the_audit_trail_names_the_apis_events(settings):
    from django.utils import translation

    from registry.audit.rules import ACTIONS

    with translation.override("vi"):
        assert str(ACTIONS["api_token.new_address"]) == "Mã truy cập API được dùng từ địa chỉ mới"
