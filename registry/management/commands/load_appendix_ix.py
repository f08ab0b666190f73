from django.core.management.base import BaseCommand, CommandError

from registry.baseline import APPENDIX_IX_CSV, BaselineConflict, load_appendix_ix


class Command(BaseCommand):
    help = (
        "Load the Appendix IX baseline (units and synthetic systems matching the published table)."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", nargs="?", default=str(APPENDIX_IX_CSV))
        parser.add_argument("--scale", type=int, default=1, help="systems per published system")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, csv, scale, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        try:
            result = load_appendix_ix(csv, scale=scale, seed=seed)
        except (BaselineConflict, OSError, KeyError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Units created: {result.units_created}; systems created: {result.systems_created}."
        )
