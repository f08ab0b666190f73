"""Units marked inactive with a successor, before unit changes existed, become dated mergers.

The old flag dropped an inactive unit's systems from every figure; a merger counts them
toward the successor from its date. The date of the flag is not known: the day of this
migration is used, and the change says so. An inactive unit with no successor stays a
unit (its systems keep counting); a national administrator records what became of it."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Unit = apps.get_model("registry", "Unit")
    UnitChange = apps.get_model("reorganisation", "UnitChange")
    today = timezone.localdate()
    for unit in Unit.objects.filter(is_active=False, successor__isnull=False):
        UnitChange.objects.get_or_create(
            unit=unit,
            kind="merge",
            cancelled_at=None,
            defaults={
                "successor_id": unit.successor_id,
                "effective_on": today,
                "legal_basis": "Marked inactive before unit changes were recorded",
                "note": "Recorded by the migration from the former 'active' flag.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reorganisation", "0001_initial"), ("registry", "0006_import_confirmed")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
