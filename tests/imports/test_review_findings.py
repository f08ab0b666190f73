"""Files and rows a hostile review used against the import (issue 9/10 review)."""

import io
import zipfile

import pytest

from registry.models import ImportBatch, ImportStatus, InformationSystem, Role
from tests.factories import SubUnitFactory, SystemFactory
from tests.imports.conftest import BASIC_HEADERS, basic_csv, errors_of, run_import, xlsx_bytes


@pytest.mark.django_db
def test_an_excel_error_cell_is_a_row_error_not_a_name(two_units, national_admin):
    # openpyxl stores "#REF!" as Excel does: an error cell (t="e").
    data = xlsx_bytes([BASIC_HEADERS, ["NEW-E", "#REF!", "Tỉnh A", "2", "15/01/2024"]])
    report = run_import(data, national_admin, name="errors.xlsx")
    assert [(row, column) for row, column, _ in errors_of(report)] == [(2, "Tên hệ thống")]
    assert "#REF!" in errors_of(report)[0][2]
    assert not InformationSystem.objects.filter(code="NEW-E").exists()


def _emptied_error_cells(data):
    """The .xlsx with its #REF! error cells written without their text (<c t="e"><v></v></c>),
    as some generators write them."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                body = body.replace(b"<v>#REF!</v>", b"<v></v>")
            target.writestr(item, body)
    return out.getvalue()


@pytest.mark.django_db
def test_an_excel_error_cell_without_its_text_is_still_an_error_not_an_empty_cell(
    two_units, national_admin
):
    system = SystemFactory(owner=two_units["a"]["province"], proposed_level=3, code="SYS-ERR")
    row = ["SYS-ERR", system.name, "Tỉnh A", "#REF!", system.declared_on.strftime("%d/%m/%Y")]
    report = run_import(_emptied_error_cells(xlsx_bytes([BASIC_HEADERS, row])), national_admin)
    assert [(row, column) for row, column, _ in errors_of(report)] == [(2, "Cấp độ đề xuất")]
    system.refresh_from_db()
    assert (report.updated, system.proposed_level) == (0, 3)


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["Ghi chú_x0000_", "Mã hệ thống_x0000_"])
def test_a_nul_in_a_header_is_recorded_as_a_refused_run(two_units, national_admin, header):
    rows = [[header, *BASIC_HEADERS[1:]], ["NEW-1", "Một", "Tỉnh A", "2", "15/01/2024"]]
    if header.startswith("Ghi"):
        rows = [[*BASIC_HEADERS, header], ["NEW-1", "Một", "Tỉnh A", "2", "15/01/2024", "x"]]
    report = run_import(xlsx_bytes(rows), national_admin, name="nul.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.status in (ImportStatus.REJECTED, ImportStatus.DRY_RUN, ImportStatus.APPLIED)
    assert "\x00" not in batch.message and "\x00" not in str(batch.errors)
    assert report.batch == batch


@pytest.mark.django_db
def test_another_units_name_or_code_reads_as_unknown(two_units, officer_a):
    hidden = SubUnitFactory(parent=two_units["b"]["province"], name="Phòng Kín", code="PBM-K")
    SubUnitFactory(parent=two_units["a"]["province"], name="Phòng Kín", code="PAK-K")
    data = basic_csv(
        ["NEW-1", "Một", hidden.code, "2", "15/01/2024"],
        ["NEW-2", "Hai", "PNOPE-XYZ", "2", "15/01/2024"],
        ["NEW-3", "Ba", "Phòng Kín", "2", "15/01/2024"],
    )
    messages = [message for _, _, message in errors_of(run_import(data, officer_a))]
    assert messages[0] == "Unknown unit “PBM-K”." and messages[1] == "Unknown unit “PNOPE-XYZ”."
    assert not any("Tỉnh B" in message or "PBM" in message for message in messages[2:])


@pytest.mark.django_db
def test_a_file_of_nothing_but_errors_is_listed_only_in_part(two_units, role_user):
    officer = role_user(Role.OFFICER, two_units["a"]["province"])
    rows = [[f"NEW-{n}", "", "", "=1", "=1"] for n in range(1500)]
    report = run_import(basic_csv(*rows), officer)
    assert len(report.errors) == 2000
    assert any("2000" in str(note) for note in report.all_notes())
    assert ImportBatch.objects.get().status == ImportStatus.REJECTED


@pytest.mark.django_db
def test_a_dry_run_is_confirmed_once(two_units, national_admin):
    from registry.imports import confirm_import
    from tests.imports import corpus

    dry = run_import(basic_csv(corpus.good_row(1)), national_admin, dry_run=True).batch
    first, second = confirm_import(dry, national_admin), confirm_import(dry, national_admin)
    assert (first.ok, first.created) == (True, 1)
    assert second.file_error == "This dry run has already been confirmed."
    assert second.created == 0
    dry.refresh_from_db()
    assert dry.status == ImportStatus.CONFIRMED


@pytest.mark.django_db
def test_a_shared_string_index_outside_the_table_is_a_damaged_file(national_admin):
    import io
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([BASIC_HEADERS, ["NEW-1", "Một"]])))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<c r="B2".*?</c>', b'<c r="B2" t="s"><v>-1</v></c>', content)
                assert b"<v>-1</v>" in content
            out.writestr(item, content)
    report = run_import(target.getvalue(), national_admin, name="bad.xlsx")
    assert "not an Excel workbook that can be read" in report.file_error
