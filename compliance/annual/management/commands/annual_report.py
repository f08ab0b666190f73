import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.annual import rules
from compliance.annual.generation import FORMATS, build
from compliance.cli import unit_on


class Command(BaseCommand):
    help = (
        "Write a reporting unit's annual report for a year (the registry as of 14/12 of that "
        "year) to a file, synchronously. The format follows the file name: .pdf or .xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="report year, e.g. 2024")
        parser.add_argument("--unit", required=True, help="code of the reporting unit, e.g. P38")
        parser.add_argument("--out", required=True, help="file to write (.pdf or .xlsx)")

    def handle(self, *args, year, unit, out, **options):
        path = Path(out)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(f"Give a .pdf or .xlsx file name, not {path.name}")
        if not rules.is_valid_year(year):
            raise CommandError(f"No annual report for {year}: give a year from {rules.FIRST_YEAR}")
        target = unit_on(unit, rules.report_as_of(year))
        if not target.is_reporting_unit:
            raise CommandError(f"{unit} is not a reporting unit: its owner reports for it")
        data = build(target, year, fmt)
        path.write_bytes(data)
        checksum = hashlib.sha256(data).hexdigest()
        self.stdout.write(f"Wrote {path} ({len(data)} bytes, sha256 {checksum})")
