"""Load the national series of the published reports (compliance/data/national_progress.csv)."""

from django.db import migrations


def load(apps, schema_editor):
    from compliance.trends import read_published_history

    Snapshot = apps.get_model("compliance", "ComplianceSnapshot")
    for row in read_published_history():
        Snapshot.objects.update_or_create(
            as_of=row.pop("as_of"), scope=row.pop("scope"), unit=None, defaults=row
        )


def unload(apps, schema_editor):
    apps.get_model("compliance", "ComplianceSnapshot").objects.filter(source="published").delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
