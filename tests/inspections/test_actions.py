"""Recording inspections: the derived last inspection date, the due dates, the audit trail,
and the import that keeps carrying the date (registry/inspections/actions.py)."""

import datetime

import pytest
from django.utils import timezone

from compliance.selectors import systems_as_of
from registry.audit.models import AuditEvent
from registry.inspections import actions, rules, selectors
from registry.inspections.models import Inspection, InspectionKind, InspectionResult
from registry.models import InformationSystem, Role
from tests.factories import SystemFactory, user_with_role
from tests.imports.conftest import csv_bytes, run_import
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _inspection(system, day, **values):
    return Inspection(
        system=system,
        inspected_on=day,
        kind=values.get("kind", InspectionKind.AUTHORITY),
        result=values.get("result", InspectionResult.FINDINGS),
        findings=values.get("findings", 2),
    )


@pytest.mark.parametrize("level, months", [(3, 12), (4, 12), (5, 6)])
def test_an_inspection_recorded_today_moves_the_next_due_date_by_the_levels_interval(level, months):
    today = timezone.localdate()
    system = SystemFactory(approved=True, proposed_level=level)
    earlier = InspectionFactory(system=system, inspected_on=D(2023, 1, 10))
    due_before = rules.next_due(level, system.last_inspection_on)
    assert due_before == rules.add_months(earlier.inspected_on, months) < today
    assert list(selectors.systems_due(systems_as_of(today), today)) == [system]

    officer = user_with_role(Role.OFFICER, system.owner)
    actions.record_inspection(_inspection(system, today), actor=officer)

    system.refresh_from_db()
    assert system.last_inspection_on == today
    assert rules.next_due(level, system.last_inspection_on) == rules.add_months(today, months)
    assert list(selectors.systems_due(systems_as_of(today), today)) == []
    event = AuditEvent.objects.get(action="inspection.recorded")
    assert (event.actor, event.unit, event.data["system"]) == (officer, system.owner, system.code)
    assert system.history.latest().history_user == officer  # who changed the derived date


def test_the_last_inspection_is_the_latest_record_whatever_the_order_they_are_recorded():
    system = SystemFactory(approved=True, proposed_level=3)
    actor = user_with_role(Role.NATIONAL_ADMIN)
    actions.record_inspection(_inspection(system, D(2025, 6, 1)), actor=actor)
    late_entry = actions.record_inspection(_inspection(system, D(2024, 6, 1)), actor=actor)
    system.refresh_from_db()
    assert system.last_inspection_on == D(2025, 6, 1)
    late_entry.inspected_on = D(2025, 9, 1)  # a typo corrected
    actions.record_inspection(late_entry, actor=actor)
    system.refresh_from_db()
    assert system.last_inspection_on == D(2025, 9, 1)
    assert AuditEvent.objects.filter(action="inspection.changed").count() == 1


def test_an_invalid_record_changes_nothing():
    system = SystemFactory(approved=True, proposed_level=3)
    future = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(Exception, match="future"):
        actions.record_inspection(_inspection(system, future), actor=None)
    system.refresh_from_db()
    assert system.last_inspection_on is None
    assert not Inspection.objects.exists() and not AuditEvent.objects.exists()


def test_due_as_of_a_past_date_reads_the_ledger_of_that_date():
    system = SystemFactory(approved=True, proposed_level=5)
    InspectionFactory(system=system, inspected_on=D(2025, 1, 10))
    InspectionFactory(system=system, inspected_on=D(2025, 7, 5))
    # On 01/07/2025 the July inspection had not happened: the January one was due 10/07.
    due = selectors.due_rows(systems_as_of(D(2025, 7, 1)), D(2025, 7, 1))
    assert [(row.last_inspected_on, row.due_on, row.overdue) for row in due] == [
        (D(2025, 1, 10), D(2025, 7, 10), False)
    ]
    assert selectors.due_counts(systems_as_of(D(2025, 7, 11)), D(2025, 7, 11)) == {
        "overdue": 0,
        "due_soon": 0,
    }
    assert selectors.due_counts(systems_as_of(D(2026, 1, 6)), D(2026, 1, 6)) == {
        "overdue": 1,
        "due_soon": 0,
    }


def _import_row(system, day):
    headers = ["Mã hệ thống", "Tên hệ thống", "Đơn vị chủ quản", "Ngày kiểm tra gần nhất"]
    return csv_bytes([headers, [system.code, system.name, system.owner.name, day]])


def test_an_imported_last_inspection_date_becomes_a_ledger_record():
    system = SystemFactory(approved=True, proposed_level=3)
    report = run_import(_import_row(system, "15/03/2025"), today=D(2026, 11, 1))
    assert report.ok, report.errors
    record = Inspection.objects.get(system=system)
    assert (record.inspected_on, record.kind, record.result) == (
        D(2025, 3, 15),
        InspectionKind.IMPORTED,
        InspectionResult.NOT_STATED,
    )
    system.refresh_from_db()
    assert system.last_inspection_on == D(2025, 3, 15)
    # The same file again: nothing new in the ledger.
    assert run_import(_import_row(system, "15/03/2025"), today=D(2026, 11, 1)).ok
    assert Inspection.objects.filter(system=system).count() == 1


def test_an_imported_date_never_hides_a_later_inspection_in_the_ledger():
    system = SystemFactory(approved=True, proposed_level=3)
    InspectionFactory(system=system, inspected_on=D(2026, 6, 1))
    for cell in ("01/02/2025", ""):
        assert run_import(_import_row(system, cell), today=D(2026, 11, 1)).ok
        system.refresh_from_db()
        assert system.last_inspection_on == D(2026, 6, 1)
    assert sorted(Inspection.objects.values_list("inspected_on", flat=True)) == [
        D(2025, 2, 1),
        D(2026, 6, 1),
    ]
    assert InformationSystem.objects.get(pk=system.pk).last_inspection_on == D(2026, 6, 1)


def test_the_records_of_a_period_for_a_report():
    system = SystemFactory(approved=True, proposed_level=3)
    for day in (D(2025, 12, 14), D(2025, 12, 15), D(2026, 12, 14), D(2026, 12, 15)):
        InspectionFactory(system=system, inspected_on=day)
    InspectionFactory(inspected_on=D(2026, 1, 1))  # another system
    period = selectors.inspections_between(
        InformationSystem.objects.filter(pk=system.pk), D(2025, 12, 15), D(2026, 12, 14)
    )
    assert [record.inspected_on for record in period] == [D(2025, 12, 15), D(2026, 12, 14)]
