from django.db import migrations, models

BATCH = 2000


def backfill_first_history(apps, schema_editor):
    """A first history row ("created") for every system that has none.

    The baseline used to be loaded with a bare bulk_create, so those systems had no history
    row: their first change showed no fields. The row records the system as it is now, dated
    when it was last saved (for a system never changed since loading, its creation)."""
    system_model = apps.get_model("registry", "InformationSystem")
    history_model = apps.get_model("registry", "HistoricalInformationSystem")
    fields = [f.attname for f in system_model._meta.concrete_fields]
    with_history = history_model.objects.values("id")
    missing = system_model.objects.exclude(pk__in=with_history).order_by("pk")
    rows = []
    for system in missing.iterator(chunk_size=BATCH):
        values = {name: getattr(system, name) for name in fields}
        rows.append(history_model(**values, history_date=system.updated_at, history_type="+"))
        if len(rows) == BATCH:
            history_model.objects.bulk_create(rows)
            rows = []
    history_model.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_code_charset"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importbatch",
            name="status",
            field=models.CharField(
                choices=[
                    ("dry_run", "Dry run"),
                    ("applied", "Applied"),
                    ("rejected", "Rejected, nothing written"),
                    ("failed", "Failed on an error, nothing written"),
                ],
                max_length=16,
                verbose_name="outcome",
            ),
        ),
        migrations.RunPython(backfill_first_history, migrations.RunPython.noop),
    ]
