import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from compliance.cli import fit_words, iso_date, unit_on
from compliance.selectors import compliance_summary


class Command(BaseCommand):
    help = "Print the compliance summary (per unit, per group, national) as of a date."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--unit", help="unit code: that unit's figures only")
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, format, unit, as_of, **options):
        target = unit_on(unit, as_of or timezone.localdate()) if unit else None
        summary = compliance_summary(as_of=as_of, unit=target)
        if format == "json":
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_table(summary))


def _rate(value):
    return "—" if value is None else f"{value}%"


LABEL_WIDTH = 44
NO_SYSTEMS = " (no systems declared)"


def _label(row):
    """The unit's name cut at a word to fit its column; the no-systems note is never cut."""
    if row.has_systems:
        return fit_words(row.unit.name, LABEL_WIDTH)
    return fit_words(row.unit.name, LABEL_WIDTH - len(NO_SYSTEMS)) + NO_SYSTEMS


def _line(label, figures):
    return (
        f"{label:<{LABEL_WIDTH}} {figures.total:>7} {figures.approved:>8}"
        f" {_rate(figures.approval_rate):>7} {figures.fully_deployed:>8}"
        f" {_rate(figures.deployment_rate):>7} {_rate(figures.deployed_of_approved_rate):>7}"
    )


def _table(summary):
    header = (
        f"{'unit':<{LABEL_WIDTH}} {'total':>7} {'approved':>8} {'rate':>7}"
        f" {'deployed':>8} {'rate':>7} {'dep/app':>7}"
    )
    lines = [f"Compliance summary as of {summary.as_of.isoformat()}", header]
    for row in summary.units:
        lines.append(_line(_label(row), row))
    for key, block in summary.groups.items():
        lines.append(_line(f"TOTAL {key}", block))
    national = summary.national
    lines.append(_line("TOTAL national", national))
    lines.append(
        f"Units below 50% approval: {national.units_below_50_approval}/{national.unit_count}; "
        f"below 50% deployment: {national.units_below_50_deployment}/{national.unit_count}"
    )
    levels = ", ".join(f"L{level}: {count}" for level, count in national.levels.items())
    lines.append(f"Levels: {levels}")
    return "\n".join(lines)
