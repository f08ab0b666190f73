"""Scope in the admin, for each role: lists, form choices and object URLs."""

import datetime

import pytest
from django.urls import reverse

from registry.models import DossierStatus, InformationSystem, Role
from tests.conftest import PASSWORD
from tests.factories import SystemFactory, UnitFactory

LIST_URL = reverse("admin:registry_informationsystem_changelist")


def change_url(system):
    return reverse("admin:registry_informationsystem_change", args=[system.pk])


def history_url(system):
    return reverse("admin:registry_informationsystem_history", args=[system.pk])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def listed_codes(response):
    return {row.code for row in response.context["cl"].result_list}


def form_post_data(system, **changes):
    data = {
        field: getattr(system, field)
        for field in ("code", "name", "system_type", "lifecycle", "dossier_status", "deployment")
    }
    data.update(
        owner=system.owner_id,
        declared_on=system.declared_on.isoformat(),
        proposed_level=system.proposed_level,
    )
    data.update(changes)
    return {key: "" if value is None else value for key, value in data.items()}


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER, Role.MANAGER])
def test_unit_roles_list_only_their_unit_subtree(client, two_units, role_user, role):
    user = role_user(role, two_units["a"]["province"])
    response = login(client, user).get(LIST_URL)
    assert response.status_code == 200
    a = two_units["a"]
    assert listed_codes(response) == {a["system"].code, a["sub_system"].code}


def test_a_department_officer_does_not_see_the_parent_units_systems(client, two_units, role_user):
    user = role_user(Role.OFFICER, two_units["a"]["department"])
    response = login(client, user).get(LIST_URL)
    assert listed_codes(response) == {two_units["a"]["sub_system"].code}


def test_national_admin_lists_every_system(client, two_units, national_admin):
    response = login(client, national_admin).get(LIST_URL)
    assert len(listed_codes(response)) == 4


@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER, Role.MANAGER])
@pytest.mark.parametrize("url_of", [change_url, history_url])
def test_another_units_system_url_is_404(client, two_units, role_user, role, url_of):
    user = role_user(role, two_units["a"]["province"])
    response = login(client, user).get(url_of(two_units["b"]["system"]))
    assert response.status_code == 404
    assert two_units["b"]["system"].name not in response.content.decode()


def test_officer_edits_own_system_and_history_records_who(client, two_units, role_user):
    user = role_user(Role.OFFICER, two_units["a"]["province"])
    system = two_units["a"]["sub_system"]
    data = form_post_data(
        system,
        name="Hệ thống thư điện tử mới",
        dossier_status=DossierStatus.SUBMITTED,
        submitted_on="2024-05-02",
    )
    response = login(client, user).post(change_url(system), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    system.refresh_from_db()
    assert system.name == "Hệ thống thư điện tử mới"
    latest = system.history.latest()
    assert latest.history_user == user
    assert latest.dossier_status == DossierStatus.SUBMITTED


def test_officer_cannot_move_a_system_to_another_unit(client, two_units, role_user):
    user = role_user(Role.OFFICER, two_units["a"]["province"])
    system = two_units["a"]["system"]
    data = form_post_data(system, owner=two_units["b"]["province"].pk)
    response = login(client, user).post(change_url(system), data)
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    system.refresh_from_db()
    assert system.owner == two_units["a"]["province"]


def test_officer_form_offers_only_own_units(client, two_units, role_user):
    user = role_user(Role.OFFICER, two_units["a"]["province"])
    response = login(client, user).get(reverse("admin:registry_informationsystem_add"))
    choices = set(response.context["adminform"].form.fields["owner"].queryset)
    assert choices == {two_units["a"]["province"], two_units["a"]["department"]}


def test_officer_creates_a_system_in_own_unit(client, two_units, role_user):
    user = role_user(Role.OFFICER, two_units["a"]["province"])
    data = form_post_data(
        SystemFactory.build(code="NEW-1", owner=two_units["a"]["department"]),
    )
    response = login(client, user).post(reverse("admin:registry_informationsystem_add"), data)
    assert response.status_code == 302
    assert InformationSystem.objects.get(code="NEW-1").history.get().history_user == user


def test_admin_refuses_an_invalid_transition_with_a_vietnamese_message(
    client, two_units, role_user
):
    user = role_user(Role.OFFICER, two_units["a"]["province"])
    system = two_units["a"]["system"]
    data = form_post_data(system, deployment="full", deployed_full_on="2024-05-01")
    response = login(client, user).post(change_url(system), data)
    assert response.status_code == 200
    assert "Phương án bảo đảm an toàn chỉ được triển khai đầy đủ" in response.content.decode()
    system.refresh_from_db()
    assert system.deployment == "not_started"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_read_only_roles_see_but_cannot_change(client, two_units, role_user, role):
    user = role_user(role, two_units["a"]["province"])
    system = two_units["a"]["system"]
    client = login(client, user)
    page = client.get(change_url(system))
    assert page.status_code == 200
    assert system.name in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    response = client.post(change_url(system), form_post_data(system, name="Đổi tên"))
    assert response.status_code == 403
    system.refresh_from_db()
    assert system.name != "Đổi tên"
    assert client.get(reverse("admin:registry_informationsystem_add")).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICER, Role.NATIONAL_ADMIN])
def test_nobody_hard_deletes_a_system(client, two_units, role_user, role):
    unit = None if role == Role.NATIONAL_ADMIN else two_units["a"]["province"]
    user = role_user(role, unit)
    system = two_units["a"]["system"]
    url = reverse("admin:registry_informationsystem_delete", args=[system.pk])
    assert login(client, user).post(url, {"post": "yes"}).status_code == 403
    assert InformationSystem.objects.filter(pk=system.pk).exists()


def test_anonymous_users_are_sent_to_login(client, two_units):
    response = client.get(change_url(two_units["a"]["system"]), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    assert response.status_code == 200
    assert two_units["a"]["system"].name not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_units_and_roles_admin_are_scoped(client, two_units, role_user):
    user = role_user(Role.OFFICER, two_units["a"]["province"])
    client = login(client, user)
    units = client.get(reverse("admin:registry_unit_changelist")).context["cl"].result_list
    assert set(units) == {two_units["a"]["province"], two_units["a"]["department"]}
    other = reverse("admin:registry_unit_change", args=[two_units["b"]["province"].pk])
    assert client.get(other).status_code == 404
    assert client.get(reverse("admin:registry_unit_add")).status_code == 403
    assert client.get(reverse("admin:registry_membership_changelist")).status_code == 403


def test_search_without_diacritics_and_filters(client, national_admin, db):
    hanoi = UnitFactory(name="Hà Nội")
    SystemFactory(owner=hanoi, name="Cổng dịch vụ công", proposed_level=3)
    SystemFactory(owner=UnitFactory(name="Đắk Lắk"), name="Hệ thống một cửa điện tử")
    client = login(client, national_admin)
    assert len(listed_codes(client.get(LIST_URL, {"q": "ha noi"}))) == 1
    assert len(listed_codes(client.get(LIST_URL, {"q": "cong dich vu"}))) == 1
    assert len(listed_codes(client.get(LIST_URL, {"q": "Đắk"}))) == 1
    assert len(listed_codes(client.get(LIST_URL, {"unit": hanoi.pk}))) == 1
    assert len(listed_codes(client.get(LIST_URL, {"level": "3"}))) == 1
    assert len(listed_codes(client.get(LIST_URL, {"dossier_status__exact": "drafting"}))) == 2


def _list_queries(client, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.OFFICER])
def test_admin_list_query_budget_does_not_grow_with_size(
    client, role_user, django_assert_max_num_queries, role
):
    province = UnitFactory(name="Thanh Hóa")
    user = role_user(role, None if role == Role.NATIONAL_ADMIN else province)
    client = login(client, user)
    SystemFactory.create_batch(5, owner=province, approved=True)
    # A national administrator's session also loads its verified second-factor device;
    # others read the units merged into theirs. The unit filter lists today's units from the
    # unit structure (units, unit changes: registry/reorganisation).
    budget = 12
    small = _list_queries(client, django_assert_max_num_queries, budget)
    SystemFactory.create_batch(
        60, owner=province, deployed=True, declared_on=datetime.date(2020, 1, 1)
    )
    assert _list_queries(client, django_assert_max_num_queries, budget) == small
