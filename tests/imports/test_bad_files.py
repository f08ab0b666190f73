"""Files that must be refused with a clear message, writing nothing."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from registry.models import ImportBatch, ImportStatus, InformationSystem
from tests.imports.conftest import BASIC_HEADERS, basic_csv, csv_bytes, errors_of, run_import

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 7, 1)
GOOD = ["NEW-1", "Hệ thống tốt", "Tỉnh A", "2", "15/01/2024"]


@pytest.fixture
def importer(two_units, national_admin):
    """Imports as a national administrator; asserts that nothing was written."""
    before = set(InformationSystem.objects.values_list("code", "name", "updated_at"))

    def run(data, **options):
        report = run_import(data, national_admin, today=TODAY, **options)
        after = set(InformationSystem.objects.values_list("code", "name", "updated_at"))
        assert after == before
        assert not report.ok
        assert report.batch.status == ImportStatus.REJECTED
        assert report.summary().startswith("Nothing was written")
        return report

    return run


def test_wrong_encoding(importer):
    # A Windows code page (as old Vietnamese Excel saves "CSV"): not UTF-8.
    data = "\n".join([",".join(BASIC_HEADERS), ",".join(GOOD)]).encode("cp1258", "replace")
    report = importer(data)
    assert report.file_error == (
        "The file is not UTF-8 text. In Excel choose Save As → “CSV UTF-8 (Comma delimited)”, "
        "or upload the .xlsx file."
    )


def test_excel_unicode_text_is_utf16_and_accepted(two_units, national_admin):
    data = "\n".join(["\t".join(BASIC_HEADERS), "\t".join(GOOD)]).encode("utf-16")
    report = run_import(data, national_admin, today=TODAY)
    assert (report.ok, report.created) == (True, 1)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\x00\x00",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_not_a_spreadsheet(importer, data):
    assert "not a spreadsheet" in importer(data).file_error


def test_a_zip_that_is_not_a_workbook(importer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "not an Excel workbook" in importer(buffer.getvalue()).file_error


def test_legacy_xls(importer):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert ".xls" in importer(data).file_error


def test_missing_required_columns(importer):
    report = importer(csv_bytes([["Mã hệ thống", "Cấp độ đề xuất"], ["NEW-1", "2"]]))
    assert report.file_error == "Required columns are missing: Tên hệ thống, Đơn vị chủ quản."


def test_no_header_at_all(importer):
    report = importer(csv_bytes([["a", "b"], ["1", "2"]]))
    assert report.file_error.startswith("No header row found")


def test_two_columns_meaning_the_same(importer):
    report = importer(csv_bytes([[*BASIC_HEADERS, "System code"], [*GOOD, "X"]]))
    assert report.file_error == (
        "The columns “Mã hệ thống” and “System code” both mean Mã hệ thống."
    )


def test_duplicate_codes_inside_the_file(importer):
    report = importer(basic_csv(GOOD, ["NEW-2", "Khác", "Tỉnh A", "2", ""], GOOD))
    assert errors_of(report) == [(4, "Mã hệ thống", "The code NEW-1 is also in row 2.")]


@pytest.mark.parametrize("level", ["0", "6", "Cấp độ 6", "VI"])
def test_level_0_or_6(importer, level):
    report = importer(basic_csv(["NEW-1", "Hệ thống", "Tỉnh A", level, ""]))
    assert errors_of(report) == [(2, "Cấp độ đề xuất", "The level must be between 1 and 5.")]


STATUS_HEADERS = [
    *BASIC_HEADERS,
    "Tình trạng hồ sơ",
    "Ngày gửi thẩm định",
    "Triển khai phương án",
    "Ngày triển khai đầy đủ",
]


def test_approval_without_decision(importer):
    row = [*GOOD, "Đã được phê duyệt", "01/03/2024", "Chưa triển khai", ""]
    report = importer(csv_bytes([STATUS_HEADERS, row]))
    messages = {(e.column, e.message) for e in report.errors}
    assert ("Số quyết định phê duyệt", "An approval needs the decision number.") in messages
    assert ("Ngày quyết định phê duyệt", "An approval needs the decision date.") in messages
    assert ("Cấp độ được phê duyệt", "An approval needs the approved level.") in messages


def test_full_deployment_without_approval(importer):
    row = [*GOOD, "Đã gửi thẩm định", "01/03/2024", "Triển khai đầy đủ", "01/05/2024"]
    report = importer(csv_bytes([STATUS_HEADERS, row]))
    assert errors_of(report) == [
        (
            2,
            "Triển khai phương án",
            "A protection plan can only be fully deployed once the dossier is approved.",
        )
    ]


def test_dates_in_the_future_or_impossible(importer):
    report = importer(
        basic_csv(
            ["NEW-1", "Hệ thống", "Tỉnh A", "2", "02/07/2024"],
            ["NEW-2", "Hệ thống", "Tỉnh A", "2", "30/02/2024"],
        )
    )
    assert errors_of(report) == [
        (2, "Ngày khai báo", "This date is in the future."),
        (3, "Ngày khai báo", "“30/02/2024” is not a real date."),
    ]


FORMULA_MESSAGE = "Formulas are not accepted; type the value (start with ' to keep the text)."


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0"])
def test_formulas_in_csv_cells(importer, cell):
    report = importer(basic_csv(["NEW-1", cell, "Tỉnh A", "2", ""]))
    assert errors_of(report) == [(2, "Tên hệ thống", FORMULA_MESSAGE)]


def test_formulas_in_xlsx_cells(importer):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(BASIC_HEADERS)
    sheet.append(["NEW-1", "Hệ thống", "Tỉnh A", "=1+1", "15/01/2024"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importer(buffer.getvalue(), name="x.xlsx")
    assert errors_of(report) == [(2, "Cấp độ đề xuất", FORMULA_MESSAGE)]


def test_a_file_over_the_size_limit(importer, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    data = basic_csv(GOOD) + b"\n" * (1024 * 1024 * 3 // 2)
    report = importer(data)
    assert report.file_error == "The file is 1.5 MB; the limit is 1 MB."
    batch = ImportBatch.objects.get()
    assert (batch.size, batch.source.name) == (len(data), "")


def test_more_rows_than_the_limit(importer, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [[f"NEW-{n}", "Hệ thống", "Tỉnh A", "2", ""] for n in range(4)]
    report = importer(basic_csv(*rows))
    assert report.file_error == "The file has more than 3 rows; split it into smaller files."
    assert run_import(basic_csv(*rows[:3]), None, today=TODAY).ok


def test_a_header_only_file_is_refused(importer):
    assert importer(basic_csv()).file_error == "The file has no data rows."
    assert importer(basic_csv(["", "", "", "", ""])).file_error == "The file has no data rows."
