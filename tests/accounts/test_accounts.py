"""Who may create, see, deactivate and invite whom, through the pages."""

import pytest
from django.contrib.auth import get_user_model

from registry.audit.models import AuditEvent
from registry.models import Membership, Role
from tests.factories import user_with_role

User = get_user_model()


def _create(client, unit, role=Role.VIEWER, username="new.viewer"):
    data = {
        "username": username,
        "full_name": "Nguyễn Văn An",
        "email": f"{username}@example.gov.vn",
        "role": role,
        "unit": unit.pk if unit else "",
    }
    return client.post("/accounts/new/", data)


def test_national_admin_creates_a_province_account_admin(client, provinces, mailoutbox, commit):
    client.force_login(provinces["national"])
    with commit():
        response = _create(client, provinces["b"], Role.ACCOUNT_ADMIN, "admin.b")
    account = User.objects.get(username="admin.b")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/"
    assert account.is_active and account.is_staff and not account.has_usable_password()
    assert (account.first_name, account.last_name) == ("Nguyễn Văn", "An")
    assert (
        Membership.objects.filter(user=account, role=Role.ACCOUNT_ADMIN).get().unit
        == (provinces["b"])
    )
    assert [m.to for m in mailoutbox] == [["admin.b@example.gov.vn"]]
    actions = AuditEvent.objects.filter(target_id=str(account.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["account.created", "role.granted"]


@pytest.mark.parametrize("unit_key", ["a", "a_dept"])
@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER, Role.OFFICER])
def test_account_admin_creates_reading_roles_in_their_subtree(client, provinces, unit_key, role):
    client.force_login(provinces["admin_a"])
    assert _create(client, provinces[unit_key], role).status_code == 302
    assert Membership.objects.get(user__username="new.viewer").unit == provinces[unit_key]


@pytest.mark.parametrize(
    ("unit_key", "role"),
    [
        ("b", Role.VIEWER),
        ("a", Role.ACCOUNT_ADMIN),
        ("a_dept", Role.ACCOUNT_ADMIN),
        (None, Role.NATIONAL_ADMIN),
        ("a", Role.NATIONAL_ADMIN),
    ],
)
def test_account_admin_grants_nothing_wider(client, provinces, unit_key, role):
    client.force_login(provinces["admin_a"])
    response = _create(client, provinces[unit_key] if unit_key else None, role)
    assert response.status_code == 200  # the form again, with the error
    assert not User.objects.filter(username="new.viewer").exists()


def test_the_form_offers_only_grantable_roles_and_manageable_units(client, provinces):
    client.force_login(provinces["admin_a"])
    form = client.get("/accounts/new/").context["form"]
    assert {value for value, _ in form.fields["role"].choices} == {"viewer", "manager", "officer"}
    assert set(form.fields["unit"].queryset) == {provinces["a"], provinces["a_dept"]}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER, Role.MANAGER])
def test_other_roles_cannot_manage_accounts(client, provinces, role):
    client.force_login(user_with_role(role, provinces["a"]))
    assert client.get("/accounts/").status_code == 403
    assert client.get("/accounts/new/").status_code == 403
    assert _create(client, provinces["a"]).status_code == 403
    target = user_with_role(Role.VIEWER, provinces["a"])
    assert client.get(f"/accounts/{target.pk}/").status_code == 404
    assert client.post(f"/accounts/{target.pk}/deactivate/").status_code == 404
    assert User.objects.get(pk=target.pk).is_active


def test_account_admin_lists_only_their_units_accounts(client, provinces):
    ours = user_with_role(Role.VIEWER, provinces["a_dept"])
    theirs = user_with_role(Role.VIEWER, provinces["b"])
    client.force_login(provinces["admin_a"])
    listed = {account for account, _ in client.get("/accounts/").context["rows"]}
    assert ours in listed and provinces["admin_a"] in listed
    assert theirs not in listed and provinces["national"] not in listed
    assert client.get(f"/accounts/{theirs.pk}/").status_code == 404


def test_account_admin_deactivates_an_account_of_their_unit(client, provinces):
    viewer = user_with_role(Role.VIEWER, provinces["a_dept"])
    client.force_login(provinces["admin_a"])
    response = client.post(f"/accounts/{viewer.pk}/deactivate/")
    assert response.status_code == 302
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert Membership.objects.filter(user=viewer).exists()  # what they did and held stays
    event = AuditEvent.objects.get(action="account.deactivated")
    assert (event.actor, event.target_id, event.unit) == (
        provinces["admin_a"],
        str(viewer.pk),
        provinces["a_dept"],
    )


def test_account_admin_cannot_deactivate_outside_or_above(client, provinces):
    other = user_with_role(Role.VIEWER, provinces["b"])
    peer = user_with_role(Role.ACCOUNT_ADMIN, provinces["a"])
    # Holds a role in A too, but also one in B: not theirs to deactivate.
    both = user_with_role(Role.VIEWER, provinces["a"])
    Membership.objects.create(user=both, role=Role.VIEWER, unit=provinces["b"])
    client.force_login(provinces["admin_a"])
    assert client.post(f"/accounts/{other.pk}/deactivate/").status_code == 404
    assert client.post(f"/accounts/{peer.pk}/deactivate/").status_code == 403
    assert client.post(f"/accounts/{both.pk}/deactivate/").status_code == 403
    natl = provinces["national"].pk
    assert client.post(f"/accounts/{natl}/deactivate/").status_code == 404
    assert User.objects.filter(pk__in=[other.pk, peer.pk, both.pk], is_active=False).count() == 0


def test_nobody_deactivates_themselves(client, provinces):
    client.force_login(provinces["national"])
    assert client.post(f"/accounts/{provinces['national'].pk}/deactivate/").status_code == 403
    assert User.objects.get(pk=provinces["national"].pk).is_active


def test_deactivation_is_a_post(client, provinces):
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    client.force_login(provinces["admin_a"])
    assert client.get(f"/accounts/{viewer.pk}/deactivate/").status_code == 405
    assert User.objects.get(pk=viewer.pk).is_active


def test_a_deactivated_user_cannot_sign_in(client, provinces):
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    client.force_login(provinces["admin_a"])
    client.post(f"/accounts/{viewer.pk}/deactivate/")
    client.logout()
    response = client.post("/login/", {"username": viewer.username, "password": "pw-Secret-123"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_resend_invitation_only_before_a_password_is_set(client, provinces, mailoutbox, commit):
    client.force_login(provinces["admin_a"])
    with commit():
        _create(client, provinces["a"])
    account = User.objects.get(username="new.viewer")
    assert client.post(f"/accounts/{account.pk}/invite/").status_code == 302
    assert len(mailoutbox) == 2
    with_password = user_with_role(Role.VIEWER, provinces["a"])
    client.post(f"/accounts/{with_password.pk}/invite/")
    assert len(mailoutbox) == 2


def test_duplicate_username_is_refused(client, provinces):
    client.force_login(provinces["national"])
    user_with_role(Role.VIEWER, provinces["a"], username="Taken")
    response = _create(client, provinces["a"], username="taken")
    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_account_pages_are_vietnamese_by_default(client, provinces):
    client.force_login(provinces["admin_a"])
    assert "Tạo tài khoản".encode() in client.get("/accounts/new/").content


def test_account_admin_grants_and_revokes_a_role_in_their_subtree(client, provinces):
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    client.force_login(provinces["admin_a"])
    data = {"role": Role.OFFICER, "unit": provinces["a_dept"].pk}
    assert client.post(f"/accounts/{viewer.pk}/roles/", data).status_code == 302
    granted = Membership.objects.get(user=viewer, role=Role.OFFICER)
    assert granted.unit == provinces["a_dept"]
    event = AuditEvent.objects.get(action="role.granted", target_id=str(viewer.pk))
    assert event.data == {"user": viewer.username, "role": "officer", "unit": "PA-IT"}
    response = client.post(f"/accounts/{viewer.pk}/roles/{granted.pk}/revoke/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=granted.pk).exists()
    assert AuditEvent.objects.filter(action="role.revoked", target_id=str(viewer.pk)).count() == 1


@pytest.mark.parametrize(
    ("role", "unit_key"),
    [(Role.VIEWER, "b"), (Role.ACCOUNT_ADMIN, "a_dept"), (Role.NATIONAL_ADMIN, None)],
)
def test_account_admin_grants_no_role_wider_than_their_own(client, provinces, role, unit_key):
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    client.force_login(provinces["admin_a"])
    unit = provinces[unit_key].pk if unit_key else ""
    response = client.post(f"/accounts/{viewer.pk}/roles/", {"role": role, "unit": unit})
    assert response.status_code == 302  # back to the account, with the error
    assert list(Membership.objects.filter(user=viewer).values_list("role", flat=True)) == ["viewer"]
    assert not AuditEvent.objects.filter(action="role.granted").exists()


def test_a_role_of_another_account_cannot_be_revoked_through_this_one(client, provinces):
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    other = user_with_role(Role.VIEWER, provinces["b"])
    theirs = Membership.objects.get(user=other)
    client.force_login(provinces["admin_a"])
    assert client.post(f"/accounts/{viewer.pk}/roles/{theirs.pk}/revoke/").status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_nobody_revokes_their_own_role(client, provinces):
    national = provinces["national"]
    own = Membership.objects.get(user=national)
    client.force_login(national)
    assert client.post(f"/accounts/{national.pk}/roles/{own.pk}/revoke/").status_code == 403
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_deactivated_users_open_session_ends(client, provinces):
    viewer = user_with_role(Role.VIEWER, provinces["a"])
    client.force_login(viewer)
    assert client.get("/units/").status_code == 200
    User.objects.filter(pk=viewer.pk).update(is_active=False)
    assert client.get("/units/")["Location"].startswith("/login/")
