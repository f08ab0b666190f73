"""The ledger starts from the dates the registry already holds: each system's last inspection
date becomes a record of kind "imported" (result not stated), so the derived date agrees."""

from django.db import migrations


def ledger_from_dates(apps, schema_editor):
    InformationSystem = apps.get_model("registry", "InformationSystem")
    Inspection = apps.get_model("inspections", "Inspection")
    dated = InformationSystem.objects.filter(last_inspection_on__isnull=False)
    records = [
        Inspection(
            system_id=system_id,
            inspected_on=day,
            kind="imported",
            result="not_stated",
        )
        for system_id, day in dated.values_list("pk", "last_inspection_on").iterator()
    ]
    Inspection.objects.bulk_create(records, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(ledger_from_dates, migrations.RunPython.noop)]
