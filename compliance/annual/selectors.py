"""Reads about annual reports: the status of every reporting unit for a year (page and CSV
alike), the units that have filed (the reminders stop for them) and the due date."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from compliance.annual import rules
from compliance.annual.models import AnnualReport
from compliance.annual.rules import FilingStatus
from compliance.selectors import REQUIREMENT_ANNUAL_REPORT, compliance_summary
from notifications.models import DeadlineCampaign


def filing_due_date(year):
    """The owners' due date of `year`'s report: the latest date of the year's annual-report
    campaigns aimed at every unit (data: a new decree is a new campaign), else 25/12."""
    latest = (
        DeadlineCampaign.objects.in_force(rules.report_as_of(year))
        .filter(requirement=REQUIREMENT_ANNUAL_REPORT, due_date__year=year, units__isnull=True)
        .aggregate(due=Max("due_date"))["due"]
    )
    return latest or rules.default_due_date(year)


def filed_unit_ids(year):
    """Ids of the reporting units whose report of `year` is filed (submitted or received)."""
    filed = AnnualReport.objects.filter(year=year, status__in=rules.FILED)
    return set(filed.values_list("unit_id", flat=True))


@dataclass
class FilingRow:
    unit: object
    report: AnnualReport | None
    status: FilingStatus
    filed_late: bool


def filing_rows(year, today=None):
    """Every reporting unit of `year`'s structure (as of 14/12) with its report's status."""
    today = today or timezone.localdate()
    due = filing_due_date(year)
    units = [row.unit for row in compliance_summary(as_of=rules.report_as_of(year)).units]
    reports = {
        report.unit_id: report
        for report in AnnualReport.objects.filter(year=year, unit__in=units).select_related(
            "submitted_by", "decided_by"
        )
    }
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        status = rules.shown_status(report.status if report else None, today, due)
        submitted_on = (
            timezone.localdate(report.submitted_at) if report and report.submitted_at else None
        )
        rows.append(FilingRow(unit, report, status, rules.filed_late(submitted_on, due)))
    return rows


def status_counts(rows):
    """[(status, count)] for every status, in the workflow's order, zeros included."""
    counts = Counter(row.status for row in rows)
    return [(status, counts[status]) for status in FilingStatus]
