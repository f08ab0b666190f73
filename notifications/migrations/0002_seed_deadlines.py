"""The deadlines in force when the product was written (DOMAIN.md §1 and §4).

Directive 09/CT-TTg of 23/02/2024: 100% of systems approved within September
2024, protection plans fully deployed within December 2024. Dossier time
limits of Decree 85/2016 and Circular 12/2022. Administrators edit these rows;
new decrees are new rows, not code.
"""

import datetime

from django.db import migrations

DIRECTIVE_09 = "Chỉ thị 09/CT-TTg ngày 23/02/2024 của Thủ tướng Chính phủ"
DECREE_85 = "Nghị định 85/2016/NĐ-CP; Thông tư 12/2022/TT-BTTTT"

CAMPAIGNS = [
    {
        "name": "Phê duyệt hồ sơ đề xuất cấp độ cho 100% hệ thống thông tin",
        "legal_basis": DIRECTIVE_09,
        "requirement": "approval",
        "due_date": datetime.date(2024, 9, 30),
    },
    {
        "name": "Triển khai đầy đủ phương án bảo đảm an toàn cho 100% hệ thống thông tin",
        "legal_basis": DIRECTIVE_09,
        "requirement": "deployment",
        "due_date": datetime.date(2024, 12, 31),
    },
]
# (stage, level, days, working days)
TIME_LIMITS = [
    ("appraisal", 3, 15, False),
    ("appraisal", 4, 30, False),
    ("appraisal", 5, 30, False),
] + [("approval", level, 7, True) for level in range(1, 6)]


def seed(apps, schema_editor):
    Campaign = apps.get_model("notifications", "DeadlineCampaign")
    TimeLimit = apps.get_model("notifications", "DossierTimeLimit")
    for campaign in CAMPAIGNS:
        Campaign.objects.get_or_create(
            requirement=campaign["requirement"],
            due_date=campaign["due_date"],
            defaults={**campaign, "levels": [1, 2, 3, 4, 5]},
        )
    for stage, level, days, working in TIME_LIMITS:
        TimeLimit.objects.get_or_create(
            stage=stage,
            level=level,
            defaults={"days": days, "working_days": working, "legal_basis": DECREE_85},
        )


def unseed(apps, schema_editor):
    Campaign = apps.get_model("notifications", "DeadlineCampaign")
    TimeLimit = apps.get_model("notifications", "DossierTimeLimit")
    for campaign in CAMPAIGNS:
        Campaign.objects.filter(
            requirement=campaign["requirement"], due_date=campaign["due_date"]
        ).delete()
    TimeLimit.objects.filter(legal_basis=DECREE_85).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
