import datetime

from django.apps import apps

from compliance.deadlines import APPROVAL, DEPLOYMENT, active_deadlines


def test_deadlines_come_from_the_campaigns(db):
    Campaign = apps.get_model("notifications", "DeadlineCampaign")
    Campaign.objects.update(is_active=False)
    Campaign.objects.create(
        name="Phê duyệt theo Nghị định mới",
        legal_basis="Nghị định 331/2026/NĐ-CP",
        issued_on=datetime.date(2026, 8, 19),
        requirement="approval",
        due_date=datetime.date(2027, 3, 31),
    )
    Campaign.objects.create(
        name="Báo cáo năm",
        legal_basis="TT 12",
        requirement="annual_report",
        issued_on="2022-08-12",
        due_date="2026-12-25",
    )
    found = active_deadlines(datetime.date(2026, 11, 1))
    assert [(d.name, d.requirement, d.due_date) for d in found] == [
        ("Phê duyệt theo Nghị định mới", APPROVAL, datetime.date(2027, 3, 31))
    ]
    assert found[0].days_left(datetime.date(2027, 3, 1)) == 30


def test_seeded_campaigns_give_directive_09(db):
    found = active_deadlines()
    assert [(d.requirement, d.due_date) for d in found] == [
        (APPROVAL, datetime.date(2024, 9, 30)),
        (DEPLOYMENT, datetime.date(2024, 12, 31)),
    ]
