from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from registry import scope
from registry.exports import FORMATS, export_chunks
from registry.management.commands.import_systems import get_or_error
from registry.models import InformationSystem, Unit
from registry.reorganisation.structure import Structure


class Command(BaseCommand):
    help = "Export information systems with every column of the import template (CSV or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file extension")
        parser.add_argument("--unit", help="unit code: this unit and its units only")
        parser.add_argument("--user", help="only what this user may see")

    def handle(self, *args, out, format, unit, user, **options):
        fmt = format or Path(out).suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise CommandError(
                _("Give --format csv or xlsx (or an --out ending in .csv or .xlsx).")
            )
        systems = InformationSystem.objects.all()
        if user:
            systems = scope.visible_systems(
                get_or_error(get_user_model(), "username", user, "--user")
            )
        if unit:
            unit_obj = get_or_error(Unit, "code", unit, "--unit")
            # Today's structure: a successor's export holds the systems of units merged into it.
            systems = systems.filter(owner_id__in=sorted(Structure.load().subtree(unit_obj.pk)))
        try:
            with open(out, "wb") as handle:
                for chunk in export_chunks(systems, fmt):
                    handle.write(chunk)
        except OSError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Exported %(count)s systems to %(file)s.") % {"count": systems.count(), "file": out}
        )
