import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.cli import iso_date, unit_on
from compliance.reports.generation import build
from compliance.reports.models import ReportFormat


class Command(BaseCommand):
    help = (
        "Write the Appendix IX national summary (or a unit's report with --unit) to a file, "
        "synchronously. The format follows the file name: .pdf or .xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="file to write (.pdf or .xlsx)")
        parser.add_argument("--unit", help="unit code: that unit's report instead of the national")
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, out, unit, as_of, **options):
        path = Path(out)
        report_format = _format(path)
        as_of = as_of or timezone.localdate()
        target = unit_on(unit, as_of) if unit else None
        data = build(target, as_of, report_format)
        path.write_bytes(data)
        checksum = hashlib.sha256(data).hexdigest()
        self.stdout.write(f"Wrote {path} ({len(data)} bytes, sha256 {checksum})")


def _format(path):
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ReportFormat.values:
        raise CommandError(f"Give a .pdf or .xlsx file name, not {path.name}")
    return ReportFormat(suffix)
