from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry.imports import import_systems
from registry.models import Unit


class Command(BaseCommand):
    help = (
        "Import information systems from a CSV or Excel (.xlsx) file: new codes create, "
        "known codes update; nothing is written if any row is invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", help="unit code: import for this unit (and its units) only")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument("--sheet", default="", help="Excel sheet name (default: the first)")
        parser.add_argument("--user", help="import as this user, within their units")

    def handle(self, *args, file, unit, dry_run, sheet, user, **options):
        unit_obj = get_or_error(Unit, "code", unit, "--unit") if unit else None
        user_obj = get_or_error(get_user_model(), "username", user, "--user") if user else None
        try:
            with open(file, "rb") as handle:
                report = import_systems(
                    handle, Path(file).name, user_obj, dry_run=dry_run, unit=unit_obj, sheet=sheet
                )
        except OSError as error:
            raise CommandError(str(error)) from error
        for error in report.errors:
            self.stderr.write(f"{error.row}\t{error.column}\t{error.message}")
        for note in report.all_notes():
            self.stdout.write(note)
        number = _("import #%(number)s") % {"number": report.batch.pk}
        if not report.ok:
            raise CommandError(f"{report.summary()} ({number})")
        self.stdout.write(f"{report.summary()} ({number})")


def get_or_error(model, field, value, option):
    try:
        return model.objects.get(**{field: value})
    except model.DoesNotExist:
        raise CommandError(
            _("%(option)s: there is no %(kind)s “%(value)s”.")
            % {"option": option, "kind": model._meta.verbose_name, "value": value}
        ) from None
