"""The unit's PDF/XLSX report across a merger and a rename."""

from compliance.reports import content
from compliance.reports.forms import ReportRequestForm
from registry.models import Role
from registry.reorganisation.models import ChangeKind
from tests.factories import user_with_role

from .conftest import days_ago, merge, record, today


def test_a_unit_report_is_titled_with_the_name_of_its_date(provinces):
    """A renamed last week: the page as of 20 days ago says "Tỉnh A" (structure.unit), but
    the PDF and XLSX take `report.unit.name`, the unit row of today: "Tỉnh A mới"."""
    a = provinces["A"]
    record(ChangeKind.RENAME, a, days_ago(7), new_name="Tỉnh A mới")
    a.refresh_from_db()
    report = content.unit_report(a, days_ago(20))
    assert report.figures.unit.name == "Tỉnh A"  # the summary row knows the name then
    assert report.unit.name == "Tỉnh A"  # the title of the PDF and the XLSX


def test_a_report_is_not_made_for_a_unit_that_had_ended_by_its_date(provinces):
    """A merged into B last week: A's page for today says "merged into B" and its table
    exports are 404, but the report form takes A for today and the report shows A with 0
    systems — a false figure (its 3 systems count toward B)."""
    a, b = provinces["A"], provinces["B"]
    merge(a, b, days_ago(7))
    user = user_with_role(Role.NATIONAL_ADMIN)
    form = ReportRequestForm(
        {"unit": a.pk, "as_of": today().isoformat(), "format": "pdf"}, user=user
    )
    if form.is_valid():
        assert content.unit_report(a, today()).figures.total == 3


def test_a_successor_trend_includes_a_unit_merged_into_one_of_its_departments(provinces):
    """Province A merged into a department of B: from the date A's 3 systems count toward B
    (the summary says 5), so B's line must include A's history; `predecessors(B)` only takes
    units whose placement is B itself, so B's line jumps from 2 to 5 on the merger."""
    from compliance.selectors import compliance_summary
    from compliance.trends import load_series, record_snapshots
    from tests.factories import SubUnitFactory

    a, b = provinces["A"], provinces["B"]
    department_of_b = SubUnitFactory(parent=b, code="R91-IT")
    record_snapshots(days_ago(20))
    merge(a, department_of_b, days_ago(7))
    assert {row.unit.pk: row.total for row in compliance_summary(today()).units}[b.pk] == 5
    points = load_series(today(), unit=b)[b.pk]
    assert [(point.as_of, point.total) for point in points] == [(days_ago(20), 5)]


def test_the_summary_command_does_not_print_zero_for_a_merged_unit(provinces):
    """`compliance_summary --unit A --as-of today()` after A merged into B last week prints A
    "(no systems declared)" with 0 systems: the command should say A was merged into B (or
    refuse), as the unit page does, never a false 0."""
    import io

    from django.core.management import CommandError, call_command

    a, b = provinces["A"], provinces["B"]
    merge(a, b, days_ago(7))
    out = io.StringIO()
    try:
        call_command("compliance_summary", unit=a.code, as_of=today(), stdout=out)
    except CommandError:
        return  # refusing is a fix
    assert b.name in out.getvalue()
