"""National administrators manage campaigns and see failed deliveries; nobody else does."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from notifications.messages import message_id
from notifications.models import DeadlineCampaign, Delivery, Status
from notifications.planner import plan_day
from registry.models import Role

from .conftest import seed_deadlines

PASSWORD = "pw-Secret-123"


@pytest.fixture
def admin_client(client, national_admin):
    client.login(username=national_admin.username, password=PASSWORD)
    return client


def test_a_national_administrator_adds_a_campaign_without_code(admin_client, province):
    response = admin_client.post(
        reverse("admin:notifications_deadlinecampaign_add"),
        {
            "name": "Kiểm tra, đánh giá định kỳ 2025",
            "legal_basis": "Nghị định 85/2016/NĐ-CP, Điều 20",
            "issued_on": "2016-07-01",
            "requirement": "inspection",
            "due_date": "2025-06-30",
            "units": [province["province"].pk],
            "levels": ["3", "4", "5"],
            "reminder_days": "30, 7",
            "overdue_interval_days": "14",
            "escalate_when_overdue": "on",
            "is_active": "on",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = DeadlineCampaign.objects.get(name="Kiểm tra, đánh giá định kỳ 2025")
    assert campaign.levels == [3, 4, 5] and campaign.days_before == [30, 7]
    plan = plan_day(datetime.date(2025, 6, 1), dry_run=True)
    assert {d.unit_id for d in plan.new if d.campaign_id == campaign.pk} == {
        province["province"].pk,
        province["department"].pk,
    }


def test_bad_reminder_days_are_refused_with_a_message(admin_client):
    response = admin_client.post(
        reverse("admin:notifications_deadlinecampaign_add"),
        {
            "name": "x",
            "legal_basis": "y",
            "issued_on": "2024-01-01",
            "requirement": "approval",
            "due_date": "2025-01-01",
            "levels": ["1"],
            "reminder_days": "7;1",
            "overdue_interval_days": "7",
            "steps-TOTAL_FORMS": "0",
            "steps-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "dấu phẩy" in response.content.decode()  # "separated by commas", in Vietnamese


def test_failed_deliveries_are_listed_with_the_reason_and_can_be_sent_again(
    admin_client, province, only_approval, mailoutbox, django_capture_on_commit_callbacks
):
    plan_day(datetime.date(2024, 9, 23))
    failed = Delivery.objects.filter(recipient__username="manager-p99").first()
    Delivery.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, reason="550 5.1.1 No such user"
    )
    page = admin_client.get(reverse("admin:notifications_delivery_changelist") + "?status=failed")
    assert page.status_code == 200
    assert "550 5.1.1 No such user" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:notifications_delivery_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk]},
        )
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert [m.to for m in mailoutbox] == [["manager-p99@example.invalid"]]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OFFICER, Role.VIEWER])
def test_other_roles_cannot_see_or_change_reminders(client, role_user, province, role):
    seed_deadlines()
    user = role_user(role, province["province"])
    client.login(username=user.username, password=PASSWORD)
    for name in ("deadlinecampaign", "delivery", "dossiertimelimit", "unknownoutcomedelivery"):
        response = client.get(reverse(f"admin:notifications_{name}_changelist"))
        assert response.status_code == 403
    campaign = DeadlineCampaign.objects.first()
    response = client.post(
        reverse("admin:notifications_deadlinecampaign_change", args=[campaign.pk]), {"name": "x"}
    )
    assert response.status_code in (403, 404)  # the admin's object guard may answer first
    campaign.refresh_from_db()
    assert campaign.name != "x"


def test_unknown_outcomes_are_listed_with_their_message_id_and_resent_only_on_request(
    admin_client, province, only_approval, mailoutbox, django_capture_on_commit_callbacks
):
    plan_day(datetime.date(2024, 9, 23))
    rows = Delivery.objects.filter(kind="campaign").order_by("pk")
    caught, checked, other = rows[0], rows[1], rows[2]
    Delivery.objects.filter(pk__in=[caught.pk, checked.pk]).update(status=Status.UNKNOWN)
    url = reverse("admin:notifications_unknownoutcomedelivery_changelist")
    page = admin_client.get(url).content.decode()
    assert escape(message_id(caught)) in page and escape(message_id(checked)) in page
    assert escape(message_id(other)) not in page  # only the unknown outcomes
    found = admin_client.get(url, {"q": message_id(caught)}).content.decode()
    assert escape(message_id(caught)) in found and escape(message_id(checked)) not in found
    assert admin_client.get(url, {"q": "reminder-x@"}).status_code == 200
    admin_client.post(url, {"action": "mark_delivered", "_selected_action": [checked.pk]})
    assert Delivery.objects.get(pk=checked.pk).status == Status.SENT
    assert mailoutbox == []  # nothing is resent by being listed or marked
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "send_again", "_selected_action": [caught.pk]})
    assert Delivery.objects.get(pk=caught.pk).status == Status.SENT
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [message_id(caught)]
