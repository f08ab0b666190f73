"""Campaigns carry the date their legal basis was issued (issue 14).

Directive 09/CT-TTg was issued on 23/02/2024: its campaigns exist from that day
on, so a page asked as of 31/03/2023 shows nothing of it. A campaign an
administrator added before this migration is taken as issued on the day it was
entered, the earliest date anyone can vouch for.
"""

import datetime

from django.db import migrations, models

DIRECTIVE_09_ISSUED = datetime.date(2024, 2, 23)
DIRECTIVE_09 = "Chỉ thị 09/CT-TTg"


def date_campaigns(apps, schema_editor):
    Campaign = apps.get_model("notifications", "DeadlineCampaign")
    for campaign in Campaign.objects.all():
        if campaign.legal_basis.startswith(DIRECTIVE_09):
            campaign.issued_on = DIRECTIVE_09_ISSUED
        else:
            campaign.issued_on = min(campaign.created_at.date(), campaign.due_date)
        campaign.save(update_fields=["issued_on"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_retries_digests_unknown_outcome")]

    operations = [
        migrations.AddField(
            model_name="deadlinecampaign",
            name="issued_on",
            field=models.DateField(null=True, verbose_name="issued on"),
        ),
        migrations.RunPython(date_campaigns, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="deadlinecampaign",
            name="issued_on",
            field=models.DateField(
                help_text=(
                    "The date the legal basis was issued: before it, the deadline does not exist."
                ),
                verbose_name="issued on",
            ),
        ),
    ]
