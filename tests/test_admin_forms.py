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
        ("/admin/registry/unit/add/", "successor"),
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
