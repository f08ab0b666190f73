"""What every admin form refuses, whichever admin (ours or a library's) renders it (issue 9)."""

import pytest

from notifications.models import DeadlineCampaign
from registry.models import Unit
from tests.factories import UnitFactory


@pytest.fixture
def national_client(client, national_admin):
    client.force_login(national_admin)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, status",
    [
        ("Chiến dịch\r\nBcc: evil@example.invalid", 200),  # the form again, with its error
        ("Chiến\u200bdịch", 400),  # invisible anywhere in a request: refused up front
    ],
)
def test_one_line_text_with_line_breaks_or_invisible_characters_is_refused(
    national_client, name, status
):
    unit = UnitFactory()
    response = national_client.post(
        "/admin/notifications/deadlinecampaign/add/",
        {
            "name": name,
            "legal_basis": "Chỉ thị 09/CT-TTg",
            "issued_on": "23/02/2024",
            "requirement": "approval",
            "due_date": "30/09/2024",
            "units": [unit.pk],
            "levels": ["1", "2"],
            "reminder_days": "30,7,1",
            "overdue_interval_days": "7",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == status
    assert status == 400 or "U+000D" in response.content.decode()
    assert not DeadlineCampaign.objects.filter(name__startswith="Chiến").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "99999999999999999999999999", "1e309", "-"])
@pytest.mark.parametrize(
    "url, field",
    [
        ("/admin/registry/unit/add/", "parent"),
        ("/admin/reorganisation/unitchange/add/", "successor"),
        ("/admin/registry/membership/add/", "unit"),
        ("/admin/notifications/deadlinecampaign/add/", "units"),
    ],
)
def test_a_posted_related_id_that_is_no_id_is_a_clean_400(national_client, url, field, value):
    before = Unit.objects.count()
    response = national_client.post(url, {"code": "X1", "name": "Tên", field: value})
    assert response.status_code == 400
    assert Unit.objects.count() == before


@pytest.mark.django_db
def test_an_action_on_ids_that_are_no_ids_is_a_clean_400(national_client):
    response = national_client.post(
        "/admin/notifications/delivery/",
        {"action": "send_again", "_selected_action": ["abc", "99999999999999999999999999"]},
    )
    assert response.status_code == 400


def _form_data(system, **changes):
    from django.forms.models import model_to_dict

    data = {}
    for name, value in {**model_to_dict(system), **changes}.items():
        if hasattr(value, "strftime"):
            value = value.strftime("%d/%m/%Y")
        data[name] = "" if value is None else getattr(value, "pk", value)
    return {**data, "_save": "1"}


@pytest.mark.django_db
def test_an_officer_keeps_an_operator_outside_their_scope_but_cannot_choose_one(
    two_units, role_user, client
):
    from registry.models import Role

    a, b = two_units["a"], two_units["b"]
    system = a["system"]
    system.operator = b["department"]  # set by a national administrator
    system.save()
    client.force_login(role_user(Role.OFFICER, a["province"]))
    url = f"/admin/registry/informationsystem/{system.pk}/change/"

    response = client.post(url, _form_data(system, name="Cổng thông tin mới"))
    assert response.status_code == 302, response.content.decode()[:300]
    system.refresh_from_db()
    assert (system.name, system.operator) == ("Cổng thông tin mới", b["department"])

    response = client.post(url, _form_data(system, operator=b["province"].pk))
    assert response.status_code == 200  # the form again: not a unit they may choose
    system.refresh_from_db()
    assert system.operator == b["department"]


@pytest.mark.django_db
def test_a_message_id_search_with_a_huge_number_finds_nothing(national_client):
    response = national_client.get(
        "/admin/notifications/unknownoutcomedelivery/", {"q": f"reminder-{'9' * 5000}@x"}
    )
    assert response.status_code == 200
