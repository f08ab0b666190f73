"""Cells and files as people write them: levels, dates, words, headers, encodings, separators."""

import datetime

import pytest

from registry.import_columns import (
    COLUMNS,
    COLUMNS_BY_FIELD,
    CellError,
    column_for_header,
)
from registry.import_files import FileError, read_table
from registry.models import Authority, Deployment, DossierStatus, Lifecycle, SystemType
from tests.imports.conftest import BASIC_HEADERS, basic_csv, csv_bytes, xlsx_bytes

level = COLUMNS_BY_FIELD["proposed_level"].parse
date = COLUMNS_BY_FIELD["declared_on"].parse
dossier = COLUMNS_BY_FIELD["dossier_status"].parse
deployment = COLUMNS_BY_FIELD["deployment"].parse
flag = COLUMNS_BY_FIELD["handles_personal_data"].parse


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3", 3),
        (3, 3),
        (3.0, 3),
        ("Cấp độ 3", 3),
        ("cấp 3", 3),
        ("CẤP ĐỘ 4", 4),
        ("III", 3),
        ("iv", 4),
        ("Level 2", 2),
        ("0", 0),  # read as written; the transition rules reject it with their message
        ("6", 6),
        ("VI", 6),
        ("-1", -1),
    ],
)
def test_levels_as_people_write_them(text, expected):
    assert level(text) == expected


@pytest.mark.parametrize("text", ["ba", "Cấp độ cao", "3a", True])
def test_a_level_that_is_not_a_level_says_how_to_write_one(text):
    with pytest.raises(CellError, match="1 to 5"):
        level(text)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("25/12/2023", datetime.date(2023, 12, 25)),
        ("5/3/2024", datetime.date(2024, 3, 5)),
        ("05-03-2024", datetime.date(2024, 3, 5)),
        ("05.03.2024", datetime.date(2024, 3, 5)),
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2024-03-05 00:00:00", datetime.date(2024, 3, 5)),
        (datetime.datetime(2024, 3, 5, 8, 30), datetime.date(2024, 3, 5)),
        (datetime.date(2024, 3, 5), datetime.date(2024, 3, 5)),
    ],
)
def test_dates_day_first_or_iso(value, expected):
    assert date(value) == expected


def test_impossible_and_unreadable_dates_are_named():
    with pytest.raises(CellError, match="not a real date"):
        date("31/02/2024")
    with pytest.raises(CellError, match="dd/mm/yyyy"):
        date("March 2024")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Đang dự thảo", DossierStatus.DRAFTING),
        ("Đã gửi thẩm định", DossierStatus.SUBMITTED),
        ("Đã thẩm định", DossierStatus.APPRAISED),
        ("Đã được phê duyệt", DossierStatus.APPROVED),
        ("đã phê duyệt", DossierStatus.APPROVED),
        ("Approved", DossierStatus.APPROVED),
        ("sent for appraisal", DossierStatus.SUBMITTED),
        ("Returned for revision", DossierStatus.RETURNED),
        ("Trả lại để chỉnh sửa", DossierStatus.RETURNED),
        ("DA DUOC PHE DUYET", DossierStatus.APPROVED),  # typed without diacritics
    ],
)
def test_dossier_statuses_in_vietnamese_or_english(text, expected):
    assert dossier(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Chưa triển khai", Deployment.NOT_STARTED),
        ("Triển khai một phần", Deployment.PARTIAL),
        ("Triển khai đầy đủ", Deployment.FULL),
        ("Đầy đủ", Deployment.FULL),
        ("full", Deployment.FULL),
        ("Partial", Deployment.PARTIAL),
        ("not started", Deployment.NOT_STARTED),
    ],
)
def test_deployment_words(text, expected):
    assert deployment(text) == expected


def test_other_vocabularies_take_the_export_word_and_the_english_label():
    assert COLUMNS_BY_FIELD["lifecycle"].parse("Đang vận hành") == Lifecycle.OPERATING
    assert COLUMNS_BY_FIELD["lifecycle"].parse("Retired") == Lifecycle.RETIRED
    assert COLUMNS_BY_FIELD["system_type"].parse("Dịch vụ công trực tuyến") == (
        SystemType.PUBLIC_SERVICE
    )
    assert COLUMNS_BY_FIELD["decision_authority"].parse("Chủ quản hệ thống thông tin") == (
        Authority.SYSTEM_OWNER
    )


def test_an_unknown_word_lists_the_accepted_ones():
    with pytest.raises(CellError) as caught:
        dossier("Đang chờ")
    assert "Đang dự thảo" in str(caught.value) and "Đã được phê duyệt" in str(caught.value)


@pytest.mark.parametrize("text", ["Có", "có", "x", "Yes", "1", True])
def test_yes(text):
    assert flag(text) is True


@pytest.mark.parametrize("text", ["Không", "no", "0", False])
def test_no(text):
    assert flag(text) is False


def test_every_column_has_its_vietnamese_header_english_alias_and_field_name():
    for column in COLUMNS:
        assert column_for_header(column.header) is column
        assert column_for_header(column.header.upper()) is column
        assert column_for_header(column.field) is column
        assert column_for_header(column.aliases[0] if column.aliases else column.header) is column
    assert column_for_header("Cấp độ đề xuất (1-5)").field == "proposed_level"
    assert column_for_header("System code").field == "code"
    assert column_for_header("STT") is None


ROW = ["HT-01", "Cổng thông tin", "Hà Nội", "Cấp độ 2", "01/02/2023"]


def _only_row(table):
    (number, values), *rest = table.rows
    assert not rest
    return number, values


def test_csv_with_bom_comma():
    table = read_table(basic_csv(ROW))
    assert _only_row(table) == (
        2,
        dict(zip(["code", "name", "owner", "proposed_level", "declared_on"], ROW, strict=True)),
    )


def test_csv_without_bom_semicolon_headers_in_another_order_in_english():
    headers = ["Declared on", "Owner unit", "System code", "Proposed level", "System name"]
    row = ["01/02/2023", "Hà Nội", "HT-01", "2", "Cổng thông tin"]
    table = read_table(csv_bytes([headers, row], delimiter=";", bom=False))
    _number, values = _only_row(table)
    assert values["code"] == "HT-01" and values["owner"] == "Hà Nội"
    assert values["declared_on"] == "01/02/2023"


def test_a_title_block_above_the_header_and_unknown_columns_are_skipped():
    rows = [
        ["DANH MỤC HỆ THỐNG THÔNG TIN TỈNH THANH HÓA"],
        [],
        ["STT", *BASIC_HEADERS, "Ghi chú"],
        ["1", *ROW, "ok"],
        [],
    ]
    table = read_table(csv_bytes(rows))
    assert _only_row(table)[0] == 4
    assert table.ignored_headers == ["STT", "Ghi chú"]


def test_xlsx_first_sheet_or_a_named_one():
    data = xlsx_bytes(
        [["ignore me"]],
        title="Bìa",
        extra_sheets=[("Danh mục", [BASIC_HEADERS, ROW])],
    )
    with pytest.raises(FileError, match="No header row"):
        read_table(data)
    table = read_table(data, sheet="Danh mục")
    assert _only_row(table)[1]["code"] == "HT-01"
    with pytest.raises(FileError, match="Bìa, Danh mục"):
        read_table(data, sheet="Sheet9")


def test_xlsx_date_and_number_cells():
    data = xlsx_bytes([BASIC_HEADERS, ["HT-01", "Cổng", "Hà Nội", 3, datetime.date(2023, 2, 1)]])
    _number, values = _only_row(read_table(data))
    assert values["proposed_level"] == 3
    assert date(values["declared_on"]) == datetime.date(2023, 2, 1)


def test_xlsx_rows_keep_their_spreadsheet_numbers_below_empty_rows():
    data = xlsx_bytes([[], [], ["Danh mục"], BASIC_HEADERS, [], ROW])
    table = read_table(data)
    assert _only_row(table) == (
        6,
        dict(zip(["code", "name", "owner", "proposed_level", "declared_on"], ROW, strict=True)),
    )


def test_a_workbook_with_a_formula_is_read_cell_by_cell_to_name_it():
    data = xlsx_bytes([BASIC_HEADERS, ROW, [*ROW[:3], "=2+1", ROW[4]]])
    table = read_table(data)
    assert [(p.row, p.field) for p in table.problems] == [(3, "proposed_level")]
    assert table.rows[0] == (
        2,
        dict(zip(["code", "name", "owner", "proposed_level", "declared_on"], ROW, strict=True)),
    )


def test_the_apostrophe_the_export_adds_before_formula_like_text_is_removed():
    table = read_table(basic_csv(["HT-01", "'=Cổng", "Hà Nội", "2", "01/02/2023"]))
    assert _only_row(table)[1]["name"] == "=Cổng"
    assert not table.problems
