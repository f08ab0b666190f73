"""Cached figures are never stale: every write path to systems and units changes the data
version, so the next page asks the database again. Each test caches a summary, writes through
one product path, and checks the summary a user would see next; remove that path's version
bump and its test fails.

These tests commit (transaction=True): figures read inside a transaction are never cached,
and the version changes only when a write commits.
"""

import csv
import datetime
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from compliance import figures_cache
from registry import data_version
from registry.exports import export_systems
from registry.imports import import_systems
from registry.models import InformationSystem
from registry.reorganisation.changes import ChangeSpec, cancel_change, record_change
from registry.reorganisation.models import ChangeKind
from tests.factories import SystemFactory, UnitFactory

AS_OF = datetime.date(2024, 6, 30)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_version():
    """A version no earlier run cached anything under (the cache may be a shared Redis)."""
    data_version.bump_data_version()


@pytest.fixture
def province():
    unit = UnitFactory(name="Tỉnh Cache")
    SystemFactory(owner=unit, code="C-1", approved=True)
    SystemFactory(owner=unit, code="C-2")
    return unit


def _row(unit):
    return next(row for row in figures_cache.summary(AS_OF).units if row.unit.pk == unit.pk)


def test_a_summary_asked_twice_is_read_once(province, django_assert_num_queries):
    figures_cache.summary(AS_OF)
    with django_assert_num_queries(0):
        assert _row(province).approved == 1


def test_an_approval_saved_through_the_model_shows_at_once(province):
    assert _row(province).approved == 1
    system = InformationSystem.objects.get(code="C-2")
    system.dossier_status, system.submitted_on = "approved", datetime.date(2024, 3, 1)
    system.decision_number, system.decision_date = "9/QĐ", datetime.date(2024, 4, 1)
    system.approved_level = system.proposed_level
    system.save()
    assert _row(province).approved == 2


def test_an_imported_system_counts_at_once(province):
    assert _row(province).total == 2
    exported = export_systems(InformationSystem.objects.filter(code="C-1"), "csv")
    data = exported.replace(b"C-1", b"C-NEW")
    report = import_systems(io.BytesIO(data), "new.csv", None, dry_run=False)
    assert report.ok and report.created == 1
    assert _row(province).total == 3


def test_an_import_updating_systems_shows_at_once(province):
    assert _row(province).total == 2
    exported = export_systems(InformationSystem.objects.filter(code="C-2"), "csv")
    header, line = csv.reader(io.StringIO(exported.decode("utf-8-sig")))
    line[header.index("Ngày khai báo")] = "01/01/2025"  # declared after the date asked
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, line])
    report = import_systems(io.BytesIO(buffer.getvalue().encode()), "x.csv", None, dry_run=False)
    assert report.ok and report.updated == 1, report.summary()
    assert _row(province).total == 1


def test_a_merger_recorded_moves_the_figures_at_once(province):
    successor = UnitFactory(name="Tỉnh Kế thừa")
    assert _row(successor).total == 0
    record_change(
        ChangeSpec(
            kind=ChangeKind.MERGE,
            unit=province,
            successor=successor,
            effective_on=datetime.date(2024, 1, 1),
            legal_basis="Nghị quyết 1/2024",
        )
    )
    assert _row(successor).total == 2
    assert province.pk not in [row.unit.pk for row in figures_cache.summary(AS_OF).units]


def test_a_cancelled_change_gives_the_figures_back_at_once(province):
    successor = UnitFactory(name="Tỉnh Kế thừa")
    later = datetime.date(2030, 1, 1)  # in the future, within the dates a change may take
    change = record_change(
        ChangeSpec(
            kind=ChangeKind.MERGE,
            unit=province,
            successor=successor,
            effective_on=later,
            legal_basis="Nghị quyết 2/2099",
        )
    )
    in_2099 = figures_cache.summary(later)
    assert [row.unit.pk for row in in_2099.units if row.unit.pk == province.pk] == []
    cancel_change(change)
    assert province.pk in [row.unit.pk for row in figures_cache.summary(later).units]


def test_a_renamed_unit_shows_its_new_name_at_once(province):
    assert _row(province).unit.name == "Tỉnh Cache"
    province.name = "Tỉnh Đổi Tên"
    province.save()
    assert _row(province).unit.name == "Tỉnh Đổi Tên"


def test_figures_read_inside_a_transaction_are_not_cached(province):
    with transaction.atomic():
        SystemFactory(owner=province, code="C-3")
        assert _row(province).total == 3
        transaction.set_rollback(True)
    assert _row(province).total == 2


def test_writes_of_one_transaction_bump_the_version_once(province):
    before = data_version.data_version()
    with transaction.atomic():
        for number in range(3):
            SystemFactory(owner=province, code=f"C-X{number}")
        assert data_version.data_version() == before  # not before the commit
    assert data_version.data_version() == before + 1


def test_a_rolled_back_write_leaves_the_version(province):
    before = data_version.data_version()
    with transaction.atomic():
        SystemFactory(owner=province, code="C-RB")
        transaction.set_rollback(True)
    assert data_version.data_version() == before


def test_a_lost_version_starts_anew_without_serving_old_figures(province):
    from django.core.cache import cache

    assert _row(province).total == 2
    cache.delete(data_version.VERSION_KEY)  # evicted, or the cache was flushed
    SystemFactory(owner=province, code="C-4")
    assert _row(province).total == 3


def _national_forecasts(as_of):
    summary = figures_cache.summary(as_of)
    due = figures_cache.deadlines(as_of)
    series = figures_cache.series(as_of, all_units=True)
    return figures_cache.national_forecasts(as_of, summary, due, series)


def test_forecasts_are_computed_once_per_date_and_again_after_a_snapshot(
    province, django_assert_num_queries
):
    from compliance.tasks import record_monthly_snapshot

    first = _national_forecasts(AS_OF)
    assert set(first) == {province.pk, figures_cache.NATIONAL}
    with django_assert_num_queries(0):
        assert _national_forecasts(AS_OF) == first
    record_monthly_snapshot("2024-05-31")
    series = figures_cache.series(AS_OF, all_units=True)
    assert [point.as_of for point in series[province.pk]] == [datetime.date(2024, 5, 31)]


def test_a_redetermined_level_moves_the_level_counts_at_once(province):
    from registry.models import Role
    from tests.dossiers.test_actions import redetermine
    from tests.factories import user_with_role

    after_decision = datetime.date(2025, 6, 30)
    system = InformationSystem.objects.get(code="C-1")  # approved at level 2
    figures = figures_cache.summary(after_decision)
    assert next(r for r in figures.units if r.unit.pk == province.pk).levels[3] == 0
    redetermine(system, user_with_role(Role.NATIONAL_ADMIN), level=3)  # rounds only: no system save
    figures = figures_cache.summary(after_decision)
    assert next(r for r in figures.units if r.unit.pk == province.pk).levels[3] == 1


def _inspections(as_of):
    from registry.inspections import selectors

    return selectors.national_context(figures_cache.summary(as_of))["inspections"]


def test_an_inspection_entered_late_moves_the_inspections_due_of_its_date_at_once(province):
    from registry.inspections import actions
    from registry.inspections.models import Inspection, InspectionKind, InspectionResult
    from registry.models import Role
    from tests.factories import user_with_role

    system = SystemFactory(owner=province, code="C-L3", approved=True, proposed_level=3)
    admin = user_with_role(Role.NATIONAL_ADMIN)

    def inspect(day):
        entry = Inspection(
            system=system,
            inspected_on=day,
            kind=InspectionKind.AUTHORITY,
            result=InspectionResult.PASSED,
        )
        actions.record_inspection(entry, actor=admin)

    inspect(datetime.date(2025, 6, 1))
    overdue = _inspections(AS_OF).overdue  # never inspected by 30/06/2024
    # Entered late, dated before the date asked: the system's last inspection (2025) stays,
    # so only the ledger's own write can tell the cache.
    inspect(datetime.date(2024, 3, 1))
    assert _inspections(AS_OF).overdue == overdue - 1


def test_an_organisation_assessment_recorded_clears_the_unit_from_the_overdue_list(province):
    from registry.inspections import actions
    from registry.inspections.models import InspectionResult, OrganisationAssessment
    from registry.models import Role
    from tests.factories import user_with_role

    assert province in [unit for unit, _ in _inspections(AS_OF).units_assessment_overdue]
    assessment = OrganisationAssessment(
        unit=province, inspected_on=datetime.date(2024, 5, 1), result=InspectionResult.PASSED
    )
    actions.record_assessment(assessment, actor=user_with_role(Role.NATIONAL_ADMIN))
    assert province not in [unit for unit, _ in _inspections(AS_OF).units_assessment_overdue]


def _unit_page(client, unit, **query):
    response = client.get(f"/units/{unit.code}/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_unit_pages_tables_show_a_change_at_once(province, client):
    """The unit page's tables are rendered once per data version: a renamed system, a system
    approved, a new subordinate unit show on the next view, in either table."""
    from registry.models import Role
    from tests.factories import user_with_role

    client.force_login(user_with_role(Role.VIEWER, province))
    with CaptureQueriesContext(connection) as rendered:
        first = _unit_page(client, province)
    assert "C-2" in first and "Hệ thống đổi tên" not in first
    with CaptureQueriesContext(connection) as cached:
        assert "C-2" in _unit_page(client, province)
    assert len(cached) < len(rendered)  # the list of systems came from the cache
    system = InformationSystem.objects.get(code="C-2")
    system.name = "Hệ thống đổi tên"
    system.save()
    assert "Hệ thống đổi tên" in _unit_page(client, province)
    UnitFactory(name="Phòng Mới Lập", parent=province)
    assert "Phòng Mới Lập" in _unit_page(client, province)


def test_the_unit_pages_tables_follow_the_query_and_the_language(province, client):
    from registry.models import Role
    from tests.factories import user_with_role

    SystemFactory(owner=province, code="C-L4", proposed_level=4)
    client.force_login(user_with_role(Role.VIEWER, province))
    every_level = _unit_page(client, province)
    level_4 = _unit_page(client, province, level="4")
    assert "C-2" in every_level and "C-L4" in every_level
    assert "C-2" not in level_4 and "C-L4" in level_4
    client.cookies["django_language"] = "en"
    assert "Still missing" in _unit_page(client, province)
    client.cookies["django_language"] = "vi"
    assert "Still missing" not in _unit_page(client, province)
