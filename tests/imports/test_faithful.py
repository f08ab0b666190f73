"""Awkward files that used to write wrong data: now read as meant, or refused by row and column."""

import datetime
import unicodedata

import pytest

from registry import imports
from registry.exports import export_systems
from registry.models import DossierStatus, ImportBatch, ImportStatus, InformationSystem
from tests.imports import corpus
from tests.imports.conftest import basic_csv, csv_bytes, errors_of, run_import
from tests.imports.test_hostile import registry_tables

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 7, 1)


def test_a_two_row_header_with_merged_group_cells_is_read_as_its_leaf_columns(
    two_units, national_admin
):
    report = run_import(corpus.merged_two_row_header(), national_admin, name="f.xlsx", today=TODAY)
    assert report.ok, errors_of(report)
    assert report.ignored_headers == []
    new = InformationSystem.objects.get(code="NEW-1")
    assert (new.proposed_level, new.dossier_status, new.submitted_on) == (
        3,
        DossierStatus.SUBMITTED,
        datetime.date(2024, 6, 10),
    )


def test_totals_and_signature_rows_are_skipped_with_a_note(two_units, officer_a):
    a = two_units["a"]
    headers = ["STT", "Mã hệ thống", "Tên hệ thống", "Đơn vị chủ quản"]
    data = csv_bytes(
        [
            headers,
            ["1", "NEW-1", "Hệ thống mới", ""],
            ["", "Tổng cộng", "1 hệ thống", ""],
            ["Cộng:", "", "1", ""],
            ["", "", "Hà Nội, ngày 15 tháng 7 năm 2024", ""],
            ["", "", "Người lập biểu", ""],
        ]
    )
    report = run_import(data, officer_a, unit=a["department"], today=TODAY)
    assert (report.ok, report.created) == (True, 1)
    assert report.notes == [
        f"Row {row} (“{text}”) is a totals or signature row: it was skipped."
        for row, text in ((3, "Tổng cộng"), (4, "Cộng:"), (5, "Hà Nội, ngày 15 tháng 7 năm 2024"))
    ] + ["Row 6 (“Người lập biểu”) is a totals or signature row: it was skipped."]
    codes = InformationSystem.objects.filter(owner=a["department"]).values_list("code", flat=True)
    assert set(codes) == {a["sub_system"].code, "NEW-1"}
    assert "Columns not imported: STT." in report.batch.message


def test_a_code_like_total_in_the_code_column_is_a_code(two_units, national_admin):
    data = basic_csv(["TOTAL", "Tổng hợp báo cáo", "Tỉnh A", "2", "15/01/2024"])
    report = run_import(data, national_admin, today=TODAY)
    assert (report.ok, report.created, report.notes) == (True, 1, [])


@pytest.mark.parametrize(
    "spelling",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", "\u2010"),  # a Unicode hyphen
        lambda code: code.replace("-", "\u2212"),  # a minus sign
        lambda code: " " + code + " ",
    ],
)
def test_look_alike_codes_resolve_to_the_same_system(two_units, national_admin, spelling):
    data = export_systems(InformationSystem.objects.all(), "csv").decode("utf-8-sig")
    code = two_units["a"]["system"].code
    data = data.replace(code + ",", spelling(code) + ",", 1)
    before = registry_tables()
    report = run_import(data.encode("utf-8-sig"), national_admin, today=TODAY)
    assert (report.ok, report.created, report.updated) == (True, 0, 0)
    assert registry_tables() == before


def test_a_code_with_an_invisible_character_is_refused_by_row_and_column(two_units, national_admin):
    code = two_units["a"]["system"].code
    report = run_import(basic_csv([code + "\u200b", "Tên", "Tỉnh A", "2", ""]), national_admin)
    assert errors_of(report) == [
        (
            2,
            "Mã hệ thống",
            "This text contains an invisible or control character (U+200B (ZERO WIDTH SPACE)); "
            "remove it.",
        )
    ]


def test_a_code_outside_the_allowed_characters_is_refused(two_units, national_admin):
    report = run_import(basic_csv(["HT 01", "Tên", "Tỉnh A", "2", ""]), national_admin)
    assert [(row, column) for row, column, _message in errors_of(report)] == [(2, "Mã hệ thống")]
    assert "A code may only contain the characters" in report.errors[0].message


def test_an_nfd_file_identical_to_the_registry_changes_nothing(two_units, national_admin):
    data = export_systems(InformationSystem.objects.all(), "csv").decode("utf-8-sig")
    nfd = unicodedata.normalize("NFD", data)
    assert nfd != data
    before = registry_tables()
    report = run_import(nfd.encode("utf-8-sig"), national_admin, today=TODAY)
    assert (report.ok, report.created, report.updated) == (True, 0, 0)
    assert report.unchanged == InformationSystem.objects.count()
    assert registry_tables() == before


def test_another_units_code_reads_exactly_like_an_unknown_code(two_units, officer_a):
    """An officer cannot learn from the messages whether a code exists in another unit."""
    headers = ["Mã hệ thống", "Tên hệ thống", "Đơn vị chủ quản"]
    taken = two_units["b"]["system"].code
    rows = [headers, [taken, "", "Tỉnh A"], ["NOT-THERE", "", "Tỉnh A"]]
    report = run_import(csv_bytes(rows), officer_a)
    (row_2, column_2, message_2), (row_3, column_3, message_3) = errors_of(report)
    assert (row_2, row_3, column_2, column_3) == (2, 3, "Tên hệ thống", "Tên hệ thống")
    assert message_2 == message_3


def test_a_crash_is_recorded_with_a_readable_message(two_units, national_admin, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(imports, "validate_system", crash)
    before = registry_tables()
    report = run_import(basic_csv(corpus.good_row(1)), national_admin, today=TODAY)
    assert registry_tables() == before
    assert report.batch.status == ImportStatus.FAILED
    assert report.batch.message == (
        "Nothing was written: The import stopped on an unexpected error; nothing was written. "
        "Tell the administrators the import number."
    )


def test_a_crash_while_writing_leaves_nothing_but_its_record(
    two_units, national_admin, monkeypatch
):
    def crash(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(imports, "copy_created_history", crash)
    before = registry_tables()
    report = run_import(basic_csv(corpus.good_row(1)), national_admin, today=TODAY)
    assert registry_tables() == before
    assert list(ImportBatch.objects.values_list("status", flat=True)) == [ImportStatus.FAILED]
    assert not report.ok


def test_the_command_prints_notes_in_the_users_language(two_units, tmp_path, capsys):
    from django.core.management import call_command
    from django.utils import translation

    path = tmp_path / "f.csv"
    rows = [["STT", *corpus.HEADERS], ["1", *corpus.good_row(1)], ["Tổng cộng", "", "", "", "", ""]]
    path.write_bytes(csv_bytes(rows))
    with translation.override("vi"):
        call_command("import_systems", str(path))
    out = capsys.readouterr().out
    assert "Các cột không được nhập: STT." in out
    assert "Dòng 3 (“Tổng cộng”) là dòng tổng cộng hoặc chữ ký: đã bỏ qua." in out
    assert "Ignored" not in out and "import #" not in out


def test_a_name_too_long_is_one_error_of_its_column(two_units, national_admin):
    report = run_import(basic_csv(["NEW-1", "H" * 300, "Tỉnh A", "2", ""]), national_admin)
    assert errors_of(report) == [
        (2, "Tên hệ thống", "Ensure this value has at most 255 characters (it has 300).")
    ]


def test_a_run_is_recorded_whatever_its_name_and_size(two_units, national_admin):
    from registry.imports import record_refused_upload

    report = record_refused_upload("bad\x00name\n.csv", 5 * 1024**3, national_admin)
    assert (report.batch.file_name, report.batch.size) == ("bad?name?.csv", 2**31 - 1)
    assert report.batch.message == "Nothing was written: The file is 5120 MB; the limit is 10 MB."


def test_a_column_numbering_row_under_the_header_is_skipped_with_a_note(two_units, national_admin):
    rows = [corpus.HEADERS, ["(1)", "(2)", "(3)", "(4)", "(5)"], corpus.good_row(1)]
    report = run_import(csv_bytes(rows), national_admin, today=TODAY)
    assert (report.ok, report.created) == (True, 1)
    assert report.notes == ["Row 2 numbers the columns (1, 2, 3…): it was skipped."]
    numbered = [corpus.HEADERS, ["1", "2", "3", "4", "5"], corpus.good_row(2)]
    assert run_import(csv_bytes(numbered), national_admin, today=TODAY).notes == [
        "Row 2 numbers the columns (1, 2, 3…): it was skipped."
    ]
