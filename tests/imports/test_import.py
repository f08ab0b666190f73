"""Upsert by code, dry run, atomicity, history and scope."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import (
    DossierStatus,
    ImportBatch,
    ImportStatus,
    InformationSystem,
    Role,
)
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory
from tests.imports.conftest import basic_csv, csv_bytes, errors_of, run_import

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 7, 1)


def _row(system, **changes):
    values = {
        "code": system.code,
        "name": system.name,
        "owner": system.owner.name,
        "level": str(system.proposed_level),
        "declared": system.declared_on.strftime("%d/%m/%Y"),
    }
    values.update(changes)
    return list(values.values())


def test_new_codes_create_known_codes_update_identical_rows_are_unchanged(two_units, officer_a):
    a = two_units["a"]
    data = basic_csv(
        ["NEW-1", "Hệ thống một cửa điện tử", "Tỉnh A", "Cấp độ 3", "15/01/2024"],
        _row(a["system"], name="Cổng thông tin điện tử tỉnh A"),
        _row(a["sub_system"]),
    )
    report = run_import(data, officer_a, today=TODAY)

    assert report.summary() == "Imported: 1 created, 1 updated, 1 unchanged."
    assert (report.created, report.updated, report.unchanged, report.errors) == (1, 1, 1, [])
    new = InformationSystem.objects.get(code="NEW-1")
    assert (new.owner, new.proposed_level, new.declared_on) == (
        a["province"],
        3,
        datetime.date(2024, 1, 15),
    )
    assert new.name_ascii == "he thong mot cua dien tu"
    a["system"].refresh_from_db()
    assert a["system"].name == "Cổng thông tin điện tử tỉnh A"


def test_history_points_to_the_recorded_import(two_units, officer_a):
    a = two_units["a"]
    data = basic_csv(
        ["NEW-1", "Hệ thống mới", "Tỉnh A", "2", "15/01/2024"],
        _row(a["system"], level="3"),
        _row(a["sub_system"]),
    )
    report = run_import(data, officer_a, name="thanh-hoa.csv", today=TODAY)

    batch = ImportBatch.objects.get()
    assert report.batch == batch
    assert (batch.user, batch.file_name, batch.status) == (
        officer_a,
        "thanh-hoa.csv",
        ImportStatus.APPLIED,
    )
    assert batch.checksum == hashlib.sha256(data).hexdigest() and batch.size == len(data)
    assert (batch.total_rows, batch.created, batch.updated, batch.unchanged) == (3, 1, 1, 1)
    assert batch.source.read() == data

    created = InformationSystem.objects.get(code="NEW-1").history.get()
    assert (created.history_type, created.import_batch, created.history_user) == (
        "+",
        batch,
        officer_a,
    )
    updated = a["system"].history.latest()
    assert (updated.history_type, updated.import_batch, updated.proposed_level) == ("~", batch, 3)
    assert "thanh-hoa.csv" in updated.history_change_reason
    assert not a["sub_system"].history.filter(import_batch=batch).exists()
    assert batch.historical_systems.count() == 2


def test_dry_run_reports_the_same_counts_and_writes_nothing(two_units, officer_a):
    a = two_units["a"]
    data = basic_csv(["NEW-1", "Hệ thống mới", "Tỉnh A", "2", ""], _row(a["system"], level="4"))
    report = run_import(data, officer_a, dry_run=True, today=TODAY)

    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert report.summary().startswith("Dry run: 1 to create, 1 to update")
    assert [(c.row, c.code, c.action, c.columns) for c in report.changes] == [
        (2, "NEW-1", "create", []),
        (3, a["system"].code, "update", ["Cấp độ đề xuất"]),
    ]
    assert not InformationSystem.objects.filter(code="NEW-1").exists()
    a["system"].refresh_from_db()
    assert a["system"].proposed_level == 2
    assert ImportBatch.objects.get().status == ImportStatus.DRY_RUN


def test_one_bad_row_writes_nothing_and_names_the_row(two_units, officer_a):
    a = two_units["a"]
    data = basic_csv(
        ["NEW-1", "Hệ thống mới", "Tỉnh A", "2", "15/01/2024"],
        _row(a["system"], name="Đổi tên"),
        ["NEW-2", "Hệ thống lỗi", "Tỉnh A", "Cấp độ 7", "15/01/2024"],
    )
    report = run_import(data, officer_a, today=TODAY)

    assert errors_of(report) == [(4, "Cấp độ đề xuất", "The level must be between 1 and 5.")]
    assert report.summary() == (
        "Nothing was written: 1 row has errors; correct them and import again."
    )
    assert not InformationSystem.objects.filter(code__startswith="NEW-").exists()
    a["system"].refresh_from_db()
    assert a["system"].name != "Đổi tên"
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.error_rows) == (ImportStatus.REJECTED, 1)
    assert batch.errors == [
        {"row": 4, "column": "Cấp độ đề xuất", "message": "The level must be between 1 and 5."}
    ]


def test_updates_go_through_the_transition_rules(two_units, national_admin):
    approved = SystemFactory(approved=True, owner=two_units["a"]["province"])
    headers = ["Mã hệ thống", "Tên hệ thống", "Đơn vị chủ quản", "Tình trạng hồ sơ"]
    data = csv_bytes([headers, [approved.code, approved.name, "Tỉnh A", "Đang dự thảo"]])
    report = run_import(data, national_admin, today=TODAY)

    messages = [(e.column, e.message) for e in report.errors]
    assert ("Tình trạng hồ sơ", "A dossier cannot go from “Approved” to “Drafting”.") in messages
    approved.refresh_from_db()
    assert approved.dossier_status == DossierStatus.APPROVED


def test_an_officer_imports_only_for_their_units(two_units, officer_a):
    a, b = two_units["a"], two_units["b"]
    data = basic_csv(
        ["NEW-A", "Hệ thống A", "Sở TT&TT A", "2", "15/01/2024"],  # a subordinate unit: fine
        ["NEW-B", "Hệ thống B", "Tỉnh B", "2", "15/01/2024"],
        _row(b["system"], owner="Tỉnh A"),  # taking over another unit's system
    )
    report = run_import(data, officer_a, today=TODAY)

    assert errors_of(report) == [
        # Another unit reads exactly like a unit that does not exist.
        (3, "Đơn vị chủ quản", "Unknown unit “Tỉnh B”."),
        (
            4,
            "Mã hệ thống",
            f"The code {b['system'].code} is already used in the registry; choose another code.",
        ),
    ]
    assert not InformationSystem.objects.filter(code="NEW-A").exists()
    b["system"].refresh_from_db()
    assert b["system"].owner == b["province"]
    assert a["department"].systems.count() == 1


def test_a_unit_limits_the_rows_and_owns_those_without_one(two_units, officer_a):
    a = two_units["a"]
    headers = ["Mã hệ thống", "Tên hệ thống", "Đơn vị chủ quản"]
    data = csv_bytes([headers, ["NEW-1", "Hệ thống mới", ""], ["NEW-2", "Khác", "Tỉnh A"]])
    report = run_import(data, officer_a, unit=a["department"], today=TODAY)
    assert errors_of(report) == [
        (3, "Đơn vị chủ quản", "“Tỉnh A” is not one of the units you may import for.")
    ]

    without_owner_column = csv_bytes([headers[:2], ["NEW-1", "Hệ thống mới"]])
    report = run_import(without_owner_column, officer_a, unit=a["department"], today=TODAY)
    assert report.ok
    new = InformationSystem.objects.get(code="NEW-1")
    assert (new.owner, new.declared_on) == (a["department"], TODAY)


def test_importing_for_a_unit_outside_ones_scope_is_refused(two_units, officer_a):
    data = basic_csv(["NEW-1", "Hệ thống", "Tỉnh B", "2", "15/01/2024"])
    report = run_import(data, officer_a, unit=two_units["b"]["province"], today=TODAY)
    assert report.file_error == "You may not import systems for “Tỉnh B”."
    assert not InformationSystem.objects.filter(code="NEW-1").exists()


def test_a_viewer_can_import_nothing(two_units, role_user):
    viewer = role_user(Role.VIEWER, two_units["a"]["province"])
    report = run_import(basic_csv(["NEW-1", "Hệ thống", "Tỉnh A", "2", ""]), viewer, today=TODAY)
    assert [e.column for e in report.errors] == ["Đơn vị chủ quản"]
    assert not InformationSystem.objects.filter(code="NEW-1").exists()


def test_unknown_and_ambiguous_unit_names_are_row_errors_naming_candidates(national_admin):
    province_x, province_y = UnitFactory(name="Tỉnh X"), UnitFactory(name="Tỉnh Y")
    SubUnitFactory(parent=province_x, name="Sở Tài chính", code="X-STC")
    SubUnitFactory(parent=province_y, name="Sở Tài chính", code="Y-STC")
    data = basic_csv(
        ["NEW-1", "Hệ thống", "Tỉnh Không Có", "2", ""],
        ["NEW-2", "Hệ thống", "sở tài chính", "2", ""],
        ["NEW-3", "Hệ thống", "Y-STC", "2", ""],
    )
    report = run_import(data, national_admin, today=TODAY)
    assert errors_of(report) == [
        (2, "Đơn vị chủ quản", "Unknown unit “Tỉnh Không Có”."),
        (
            3,
            "Đơn vị chủ quản",
            "The unit name “sở tài chính” is ambiguous: Sở Tài chính (X-STC, Tỉnh X); "
            "Sở Tài chính (Y-STC, Tỉnh Y).",
        ),
    ]


def test_empty_cells_clear_optional_values_and_keep_required_ones(two_units, national_admin):
    system = SystemFactory(owner=two_units["a"]["province"], go_live_on=datetime.date(2023, 5, 1))
    headers = [
        "Mã hệ thống",
        "Tên hệ thống",
        "Đơn vị chủ quản",
        "Ngày đưa vào vận hành",
        "Ngày khai báo",
        "Tình trạng hồ sơ",
    ]
    data = csv_bytes([headers, [system.code, system.name, "Tỉnh A", "", "", "-"]])
    report = run_import(data, national_admin, today=TODAY)
    assert report.ok and report.updated == 1
    system.refresh_from_db()
    assert system.go_live_on is None
    assert system.declared_on == datetime.date(2023, 1, 15)
    assert system.dossier_status == DossierStatus.DRAFTING


def test_required_values_for_a_new_system(national_admin, two_units):
    data = basic_csv(["NEW-1", "", "Tỉnh A", "2", ""], ["", "Không mã", "Tỉnh A", "2", ""])
    report = run_import(data, national_admin, today=TODAY)
    assert errors_of(report) == [
        (2, "Tên hệ thống", "This column needs a value."),
        (3, "Mã hệ thống", "The system code is empty."),
    ]


def test_text_longer_than_the_registry_keeps_is_an_error(national_admin, two_units):
    data = basic_csv(["X" * 65, "Hệ thống", "Tỉnh A", "2", ""])
    report = run_import(data, national_admin, today=TODAY)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Mã hệ thống")]
    assert "64" in report.errors[0].message


def _rows(count, prefix="Q"):
    return [
        [f"{prefix}-{n:04d}", f"Hệ thống {n}", "Tỉnh A", "2", "15/01/2024"] for n in range(count)
    ]


def _queries(data, user, **options):
    user = type(user).objects.get(pk=user.pk)  # no membership cache from an earlier run
    with CaptureQueriesContext(connection) as captured:
        report = run_import(data, user, today=TODAY, **options)
    assert report.ok, report.errors[:3]
    return len(captured)


def test_query_count_does_not_grow_with_the_rows(two_units, officer_a):
    small = _queries(basic_csv(*_rows(3)), officer_a, dry_run=True)
    large = _queries(basic_csv(*_rows(120)), officer_a, dry_run=True)
    # 11: the unit structure of the import's date (units, unit changes) and the scope's
    # units merged into the importer's (registry/reorganisation) add three to the eight.
    assert small == large <= 11

    # A real run adds the batch and the bulk writes; both sizes fit one write batch here
    # (SQLite caps a batch at 999 parameters, PostgreSQL at WRITE_BATCH rows).
    small = _queries(basic_csv(*_rows(3, "S")), officer_a)
    large = _queries(basic_csv(*_rows(20, "L")), officer_a)
    assert small == large <= 15

    renamed = [[code, "Tên mới", "Tỉnh A", "3", "15/01/2024"] for code, *_ in _rows(20, "L")]
    small = _queries(basic_csv(*renamed[:3]), officer_a)
    large = _queries(basic_csv(*renamed[3:]), officer_a)
    assert small == large <= 15
    assert InformationSystem.objects.filter(name="Tên mới", proposed_level=3).count() == 20
