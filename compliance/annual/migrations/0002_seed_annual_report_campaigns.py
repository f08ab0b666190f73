"""The reminder campaigns of the 2026 annual report (Circular 12/2022, Arts. 13-14).

Operators and specialised units report to the owner before 20/12, the owner to
the national authority before 25/12. Reminders run before each date and, while
the report is not filed, after it; filing stops them (notifications/planner.py).
Later years are new rows an administrator adds, as a new decree would be.
"""

import datetime

from django.db import migrations

CIRCULAR_12 = "Thông tư 12/2022/TT-BTTTT, Điều 13-14"
CIRCULAR_12_ISSUED = datetime.date(2022, 8, 12)
YEAR = 2026
CAMPAIGNS = [
    {
        "name": f"Báo cáo định kỳ năm {YEAR}: đơn vị vận hành, đơn vị chuyên trách gửi chủ quản",
        "due_date": datetime.date(YEAR, 12, 20),
    },
    {
        "name": f"Báo cáo định kỳ năm {YEAR}: chủ quản gửi cơ quan chức năng",
        "due_date": datetime.date(YEAR, 12, 25),
    },
]


def seed(apps, schema_editor):
    Campaign = apps.get_model("notifications", "DeadlineCampaign")
    for campaign in CAMPAIGNS:
        Campaign.objects.get_or_create(
            requirement="annual_report",
            due_date=campaign["due_date"],
            defaults={
                **campaign,
                "legal_basis": CIRCULAR_12,
                "issued_on": CIRCULAR_12_ISSUED,
                "levels": [1, 2, 3, 4, 5],
                "reminder_days": "14,7,3,1",
                "overdue_interval_days": 3,
            },
        )


def unseed(apps, schema_editor):
    Campaign = apps.get_model("notifications", "DeadlineCampaign")
    for campaign in CAMPAIGNS:
        Campaign.objects.filter(
            requirement="annual_report", due_date=campaign["due_date"], legal_basis=CIRCULAR_12
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annual", "0001_initial"),
        ("notifications", "0004_campaign_issued_on"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
