"""Record unit changes from CSV files (docs/unit_changes.md), or the bundled 2025
reorganisation when no file is given. Running it twice changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from registry.reorganisation import changes, files


class Command(BaseCommand):
    help = "Record unit changes from CSV files; with none, the bundled 2025 reorganisation."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="CSV files (default: the bundled tables)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, record nothing"
        )

    def handle(self, *args, **options):
        paths = options["files"] or files.BUNDLED
        try:
            outcome = files.record_files(paths, dry_run=options["dry_run"])
        except (files.FileError, OSError) as error:
            raise CommandError(str(error)) from None
        if not options["dry_run"]:
            # Changes recorded earlier that have come into force since (the daily task's job).
            changes.apply_due_changes()
        prefix = "Dry run: would record" if options["dry_run"] else "Recorded"
        self.stdout.write(
            f"{prefix} {len(outcome.recorded)} unit changes; {outcome.skipped} already recorded."
        )
        for unit in outcome.units_created:
            self.stdout.write(f"New unit {unit.code} {unit.name} from {unit.established_on}")
        for spec in outcome.split_functions:
            names = ", ".join(str(unit) for unit in spec.other_successors)
            self.stdout.write(
                f"Split: {spec.unit.code} {spec.unit.name} → {spec.successor.name}; "
                f"functions also went to {names}: its systems stay with {spec.successor.name} "
                "until a national administrator reassigns them."
            )
