import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.cli import iso_date, unit_on
from compliance.reports.enclosure import enclosure_from
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
        parser.add_argument(
            "--attached-to",
            nargs=2,
            metavar=("NUMBER", "DATE"),
            help='PDF: print "Kèm theo Báo cáo số NUMBER ngày DATE" under the title '
            "(DATE as YYYY-MM-DD), e.g. --attached-to 123/BC-BTTTT 2024-07-15",
        )

    def handle(self, *args, out, unit, as_of, attached_to, **options):
        path = Path(out)
        report_format = _format(path)
        as_of = as_of or timezone.localdate()
        target = unit_on(unit, as_of) if unit else None
        enclosure = _enclosure(attached_to, report_format)
        data = build(target, as_of, report_format, enclosure=enclosure)
        path.write_bytes(data)
        checksum = hashlib.sha256(data).hexdigest()
        self.stdout.write(f"Wrote {path} ({len(data)} bytes, sha256 {checksum})")


def _enclosure(attached_to, report_format):
    if attached_to is None:
        return None
    if report_format != ReportFormat.PDF:
        raise CommandError("--attached-to is printed in the PDF only: write a .pdf file")
    number, date = attached_to
    try:
        return enclosure_from(number, iso_date(date))
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error


def _format(path):
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ReportFormat.values:
        raise CommandError(f"Give a .pdf or .xlsx file name, not {path.name}")
    return ReportFormat(suffix)
