"""Export (scoped, neutralised, every template column) and export → import as a no-op; the
realistic province workbook; the management commands."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from registry import scope
from registry.exports import export_systems, template
from registry.import_columns import COLUMNS
from registry.models import (
    Deployment,
    DossierStatus,
    ImportBatch,
    InformationSystem,
    Lifecycle,
    Role,
)
from tests.factories import SystemFactory
from tests.imports.conftest import errors_of, run_import

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 7, 1)
HEADERS = [column.header for column in COLUMNS]


def _csv_rows(data):
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_template_has_every_column_with_vietnamese_headers_and_a_guide():
    assert _csv_rows(template("csv")) == [HEADERS]
    workbook = load_workbook(io.BytesIO(template("xlsx")))
    assert workbook.sheetnames == ["Hệ thống thông tin", "Hướng dẫn"]
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADERS
    guide = {row[0]: row for row in workbook["Hướng dẫn"].iter_rows(values_only=True)}
    assert guide["Tình trạng hồ sơ"][2].startswith("Đang dự thảo; Đã gửi thẩm định")
    assert guide["Mã hệ thống"][1] == "Có"


def test_export_writes_vietnamese_words_dates_and_neutralises_formulas(two_units):
    system = SystemFactory(
        deployed=True,
        owner=two_units["a"]["province"],
        operator=two_units["a"]["department"],
        name='=HYPERLINK("http://evil")',
        decision_number="-12/QĐ",
        handles_personal_data=True,
    )
    rows = _csv_rows(export_systems(InformationSystem.objects.filter(pk=system.pk), "csv"))
    exported = dict(zip(HEADERS, rows[1], strict=True))
    assert exported["Tên hệ thống"] == '\'=HYPERLINK("http://evil")'
    assert exported["Số quyết định phê duyệt"] == "'-12/QĐ"
    assert exported["Đơn vị chủ quản"] == "Tỉnh A"
    assert exported["Đơn vị vận hành"] == "Sở TT&TT A"
    assert exported["Tình trạng hồ sơ"] == "Đã được phê duyệt"
    assert exported["Triển khai phương án"] == "Triển khai đầy đủ"
    assert exported["Dữ liệu cá nhân"] == "Có"
    assert exported["Bí mật nhà nước"] == "Không"
    assert exported["Ngày triển khai đầy đủ"] == "01/05/2024"
    assert exported["Cấp độ được phê duyệt"] == "2"

    workbook = load_workbook(io.BytesIO(export_systems(InformationSystem.objects.all(), "xlsx")))
    cells = {c.value: c for c in workbook.worksheets[0]["A"]}
    row = cells[system.code].row
    name_cell = workbook.worksheets[0].cell(row=row, column=HEADERS.index("Tên hệ thống") + 1)
    assert (name_cell.value, name_cell.data_type) == ('\'=HYPERLINK("http://evil")', "s")


def test_an_ambiguous_unit_name_is_exported_as_its_code(two_units):
    twin = SystemFactory(owner__name="Tỉnh A", owner__code="A-TWIN")
    rows = _csv_rows(export_systems(InformationSystem.objects.filter(pk=twin.pk), "csv"))
    assert rows[1][HEADERS.index("Đơn vị chủ quản")] == "A-TWIN"


def _unchanged_roundtrip(systems, user, fmt):
    history_before = InformationSystem.history.count()
    data = export_systems(systems, fmt)
    report = run_import(data, user, name=f"export.{fmt}", today=TODAY)
    assert errors_of(report) == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, systems.count())
    assert InformationSystem.history.count() == history_before
    return report


def test_export_then_import_of_every_kind_of_record_is_a_no_op(two_units, national_admin):
    owner = two_units["a"]["province"]
    SystemFactory(
        deployed=True,
        owner=owner,
        proposed_level=4,
        approved_level=4,
        decision_authority="system_owner",
        last_inspection_on=datetime.date(2024, 6, 1),
    )
    SystemFactory(submitted=True, owner=owner, name="+84 tổng đài", go_live_on=None)
    SystemFactory(
        owner=owner,
        lifecycle=Lifecycle.RETIRED,
        retired_on=datetime.date(2024, 2, 1),
        dossier_status=DossierStatus.RETURNED,
        submitted_on=datetime.date(2023, 3, 1),
        returned_on=datetime.date(2023, 4, 1),
        deployment=Deployment.PARTIAL,
        handles_state_secrets=True,
        proposed_level=None,
    )
    for fmt in ("csv", "xlsx"):
        _unchanged_roundtrip(InformationSystem.objects.all(), national_admin, fmt)


def test_the_whole_baseline_exports_and_imports_back_unchanged(baseline, national_admin):
    report = _unchanged_roundtrip(InformationSystem.objects.all(), national_admin, "csv")
    assert report.unchanged == 7008


def test_an_officer_exports_their_units_and_imports_them_back(baseline, role_user):
    from registry.models import Unit

    officer = role_user(Role.OFFICER, Unit.objects.get(code="B05"))
    systems = scope.visible_systems(officer)
    data = export_systems(systems, "xlsx")
    codes = [
        row[0]
        for row in load_workbook(io.BytesIO(data))
        .worksheets[0]
        .iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(codes) == sorted(systems.values_list("code", flat=True))
    assert all(code.startswith("B05-") for code in codes)
    _unchanged_roundtrip(systems, officer, "xlsx")


def test_a_realistic_province_workbook_imports_with_a_clean_report(baseline, role_user):
    from registry.models import Unit

    province = Unit.objects.get(code="P38")
    officer = role_user(Role.OFFICER, province)
    pending = InformationSystem.objects.filter(
        owner=province, dossier_status=DossierStatus.APPROVED, deployment=Deployment.PARTIAL
    ).first()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh mục HTTT"
    sheet.append(["UBND TỈNH THANH HOÁ"])
    sheet.append(["DANH MỤC HỆ THỐNG THÔNG TIN VÀ CẤP ĐỘ AN TOÀN (cập nhật 30/6/2024)"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Tên hệ thống thông tin",
            "Mã HTTT",
            "Cơ quan chủ quản",
            "Đơn vị vận hành",
            "Cấp độ",
            "Tình trạng hồ sơ",
            "Ngày gửi thẩm định",
            "Ngày thẩm định",
            "Số quyết định",
            "Ngày quyết định",
            "Cấp phê duyệt",
            "Cấp độ được phê duyệt",
            "Triển khai phương án",
            "Ngày triển khai đầy đủ",
            "Ghi chú",
        ]
    )
    sheet.append(
        [
            1,
            "Hệ thống thông tin báo cáo tỉnh",
            "TH-2024-01",
            "UBND tỉnh Thanh Hoá",
            "Sở Thông tin và Truyền thông Thanh Hoá",
            "Cấp độ 3",
            "Đã được phê duyệt",
            datetime.datetime(2024, 2, 1),
            "15/02/2024",
            "123/QĐ-UBND",
            "01/03/2024",
            "Chủ quản hệ thống",
            "III",
            "Triển khai đầy đủ",
            "20/05/2024",
            "",
        ]
    )
    sheet.append(
        [
            2,
            "Cổng dữ liệu mở",
            "TH-2024-02",
            "Thanh Hóa",
            "",
            "cấp 2",
            "Đã gửi thẩm định",
            "01/03/2024",
            None,
            None,
            None,
            None,
            None,
            "Chưa triển khai",
            None,
            "chờ kết quả",
        ]
    )
    sheet.append(
        [
            3,
            "Hệ thống camera giao thông",
            "TH-2024-03",
            "sở thông tin và truyền thông thanh hóa",
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG - THANH HÓA",
            1,
            "Đang dự thảo",
            None,
            None,
            None,
            None,
            None,
            None,
            "Một phần",
            None,
            None,
        ]
    )
    sheet.append(
        [
            4,
            pending.name,
            pending.code,
            "Thanh Hóa",
            None,
            pending.proposed_level,
            "Đã được phê duyệt",
            pending.submitted_on,
            pending.appraised_on,
            pending.decision_number,
            pending.decision_date,
            "Đơn vị chuyên trách ATTT" if pending.approved_level <= 2 else "Chủ quản",
            pending.approved_level,
            "Đầy đủ",
            datetime.date(2024, 6, 30),
            "đã hoàn thành",
        ]
    )
    sheet.append([None] * 16)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run_import(buffer.getvalue(), officer, name="thanh-hoa.xlsx", today=TODAY)

    assert errors_of(report) == []
    assert (report.created, report.updated, report.unchanged) == (3, 1, 0)
    assert report.ignored_headers == ["STT", "Ghi chú"]
    first = InformationSystem.objects.get(code="TH-2024-01")
    assert (first.owner.code, first.operator.code, first.approved_level) == ("P38", "P38-IT", 3)
    assert (first.deployment, first.deployed_full_on) == (
        Deployment.FULL,
        datetime.date(2024, 5, 20),
    )
    assert InformationSystem.objects.get(code="TH-2024-03").owner.code == "P38-IT"
    pending.refresh_from_db()
    assert (pending.deployment, pending.deployed_full_on) == (
        Deployment.FULL,
        datetime.date(2024, 6, 30),
    )


def test_commands_export_then_import_dry_run_and_real(two_units, tmp_path, capsys):
    out = tmp_path / "a.xlsx"
    call_command("export_systems", "--out", str(out), "--unit", two_units["a"]["province"].code)
    assert "Exported 2 systems" in capsys.readouterr().out
    call_command("import_systems", str(out), "--dry-run")
    assert "Dry run: 0 to create, 0 to update, 2 unchanged" in capsys.readouterr().out
    assert ImportBatch.objects.get().file_name == "a.xlsx"

    csv_file = tmp_path / "new.csv"
    csv_file.write_text("Mã hệ thống;Tên hệ thống\nNEW-1;Hệ thống mới\n", encoding="utf-8")
    call_command("import_systems", str(csv_file), "--unit", two_units["b"]["department"].code)
    assert "Imported: 1 created" in capsys.readouterr().out
    assert InformationSystem.objects.get(code="NEW-1").owner == two_units["b"]["department"]


def test_import_command_reports_rows_and_fails_on_errors(two_units, tmp_path, capsys, role_user):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    path = tmp_path / "bad.csv"
    path.write_text(
        "Mã hệ thống,Tên hệ thống,Đơn vị chủ quản\nNEW-1,Một,Tỉnh A\nNEW-2,Hai,Tỉnh B\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Nothing was written: 1 row has errors"):
        call_command("import_systems", str(path), "--user", officer.username)
    assert "3\tĐơn vị chủ quản\tUnknown unit “Tỉnh B”." in capsys.readouterr().err
    assert not InformationSystem.objects.filter(code__startswith="NEW-").exists()
    with pytest.raises(CommandError, match="no unit"):
        call_command("import_systems", str(path), "--unit", "NOPE")


def test_export_command_scopes_to_a_user_and_infers_the_format(two_units, tmp_path, role_user):
    viewer = role_user(Role.VIEWER, two_units["b"]["province"])
    out = tmp_path / "b.csv"
    call_command("export_systems", "--out", str(out), "--user", viewer.username)
    codes = [row[0] for row in _csv_rows(out.read_bytes())[1:]]
    assert sorted(codes) == sorted(
        [two_units["b"]["system"].code, two_units["b"]["sub_system"].code]
    )
    with pytest.raises(CommandError, match="--format"):
        call_command("export_systems", "--out", str(tmp_path / "x.txt"))
