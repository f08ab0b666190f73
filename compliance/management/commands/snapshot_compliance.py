from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.cli import iso_date
from compliance.trends import month_ends, record_snapshots
from registry.data_version import bump_data_version


class Command(BaseCommand):
    help = (
        "Record compliance snapshots (national, per group, per reporting unit) as of a date; "
        "with --monthly-since, also the last day of every month from that date on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--monthly-since",
            type=iso_date,
            help="YYYY-MM-DD: also snapshot each month end from then to --as-of (history "
            "computed from the systems' step dates)",
        )

    def handle(self, *args, as_of, monthly_since, **options):
        as_of = as_of or timezone.localdate()
        if as_of > timezone.localdate():
            raise CommandError("The as-of date is in the future.")
        dates = list(month_ends(monthly_since, as_of)) if monthly_since else []
        if as_of not in dates:
            dates.append(as_of)
        for day in dates:
            written = record_snapshots(day)
            bump_data_version()  # the snapshots are bulk-created: no signal
            self.stdout.write(f"{day.isoformat()}: {written} snapshots recorded")
