"""The corpus of issue 10 through the command line: each refused file exits non-zero with its
message, leaves the registry tables identical and an import record behind."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registry.models import (
    ImportBatch,
    ImportStatus,
    InformationSystem,
    Membership,
    Unit,
)
from tests.imports import corpus
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db
DAMAGED = "This is not an Excel workbook that can be read (it is damaged or its XML is malformed)"
OVERLOADED = "The workbook unpacks to more than the import accepts"


def registry_tables():
    """Every column of every row of the registry's tables, in primary-key order."""
    history = InformationSystem.history.model
    return {
        model._meta.db_table: list(
            model.objects.order_by("pk").values_list(
                *[f.attname for f in model._meta.concrete_fields]
            )
        )
        for model in (Unit, InformationSystem, history, Membership)
    }


@pytest.fixture
def refused(two_units, tmp_path, capsys):
    """Import a file by the command; assert the refusal and return (message, error lines)."""

    def run(name, data, *options):
        path = tmp_path / name
        path.write_bytes(data)
        before, batches = registry_tables(), ImportBatch.objects.count()
        with pytest.raises(CommandError) as raised:
            call_command("import_systems", str(path), *options)
        assert raised.value.returncode == 1
        assert registry_tables() == before
        assert ImportBatch.objects.count() == batches + 1
        batch = ImportBatch.objects.first()
        assert batch.status == ImportStatus.REJECTED
        assert batch.message.startswith("Nothing was written")
        return str(raised.value), capsys.readouterr().err.splitlines()

    return run


def sheet_of(*xml_rows):
    return corpus.raw_xlsx([corpus.SHEET_HEAD, *xml_rows, corpus.SHEET_TAIL])


HEADER_ROW = corpus.inline_row(1, corpus.HEADERS)
BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    + HEADER_ROW
    + b'<row r="2"><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize(
    "name, build, message",
    [
        ("empty.csv", lambda: b"", "The file is empty (0 bytes)."),
        ("empty.xlsx", lambda: b"", "The file is empty (0 bytes)."),
        ("header-only.csv", lambda: csv_bytes([corpus.HEADERS]), "The file has no data rows."),
        ("header-only.xlsx", lambda: corpus.raw_xlsx(corpus.sheet([])), "no data rows"),
        ("old.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old Excel .xls"),
        ("calc.ods", corpus.ods, "This is an OpenDocument spreadsheet (.ods)"),
        ("not-a-zip.xlsx", lambda: b"PK\x03\x04" + bytes(100), DAMAGED),
        ("bomb.xlsx", lambda: corpus.bomb(200 * 1024 * 1024), OVERLOADED),
        ("lying.xlsx", lambda: corpus.lying_sizes(corpus.bomb(8 * 1024 * 1024)), DAMAGED),
        ("parts.xlsx", lambda: corpus.many_entries(600), OVERLOADED),
        ("laughs.xlsx", lambda: corpus.raw_xlsx([BILLION_LAUGHS]), DAMAGED),
        (
            "undefined-entity.xlsx",
            lambda: sheet_of(
                HEADER_ROW, b'<row r="2"><c t="inlineStr"><is><t>&x;</t></is></c></row>'
            ),
            DAMAGED,
        ),
        (
            "truncated-formula.xlsx",
            lambda: corpus.raw_xlsx(
                [corpus.SHEET_HEAD, HEADER_ROW, b'<row r="2"><c r="A2"><f>SUM(1,2)</f><v>3</v></c>']
            ),
            DAMAGED,
        ),
        (
            "bad-shared-string.xlsx",
            lambda: sheet_of(HEADER_ROW, b'<row r="2"><c r="A2" t="s"><v>99</v></c></row>'),
            DAMAGED,
        ),
        (
            "far-column.xlsx",
            lambda: sheet_of(
                HEADER_ROW, b'<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
            ),
            DAMAGED,
        ),
    ],
)
def test_a_hostile_or_empty_file_is_refused_whole(refused, name, build, message):
    text, _lines = refused(name, build())
    assert message in text


def test_streaming_stops_at_the_row_limit(refused, settings):
    settings.IMPORT_MAX_ROWS = 50
    rows = (corpus.good_row(n) for n in range(1, 5000))
    text, _lines = refused("many.xlsx", corpus.raw_xlsx(corpus.sheet(rows)))
    assert "The file has more than 50 rows" in text


def test_a_sheet_of_empty_rows_stops_early_too(refused, settings):
    settings.IMPORT_MAX_ROWS = 50
    empty = b'<row><c t="inlineStr"><is><t></t></is></c></row>' * 5000
    stored = corpus.raw_xlsx([corpus.SHEET_HEAD, HEADER_ROW, empty, corpus.SHEET_TAIL], level=0)
    text, _lines = refused("blank.xlsx", stored)
    assert "The file has more than 50 rows" in text


def test_a_nul_byte_far_into_the_file_is_refused_in_its_cell(refused):
    _text, lines = refused("nul.csv", corpus.nul_after_8k())
    assert lines == [
        "151\tTên hệ thống\tThis text contains an invisible or control character "
        "(U+0000); remove it."
    ]


def test_an_unclosed_quote_never_swallows_rows_silently(refused):
    _text, lines = refused("quote.csv", corpus.unclosed_quote())
    # The quote ran to the end of the file: one cell of several lines, the row too short.
    assert [line.split("\t")[:2] for line in lines] == [["2", "Tên hệ thống"], ["2", ""]]
    assert "This cell runs over several lines" in lines[0]
    assert "This row has 2 cells but the header has 5" in lines[1]


def test_a_ragged_row_is_an_error_of_that_row(refused):
    rows = [
        corpus.HEADERS,
        corpus.good_row(1),
        [*corpus.good_row(2), "lạc"],
        corpus.good_row(3)[:3],
    ]
    _text, lines = refused("ragged.csv", csv_bytes(rows))
    assert [line.split("\t")[:2] for line in lines] == [["3", ""], ["4", ""]]
    assert "value in column 6, which has no header" in lines[0]
    assert "This row has 3 cells but the header has 5" in lines[1]


def test_a_line_break_in_an_xlsx_cell_is_an_error(refused):
    row = corpus.inline_row(2, ["NEW-1", "Hai\ndòng", "Tỉnh A", "2", "15/01/2024"])
    _text, lines = refused("lines.xlsx", sheet_of(HEADER_ROW, row))
    assert lines[0].startswith("2\tTên hệ thống\tThis cell runs over several lines")


def test_an_escaped_control_character_in_an_xlsx_cell_is_refused_by_name(refused):
    row = corpus.inline_row(2, ["NEW-1", "Tên_x0000_ẩn", "Tỉnh A", "2", "15/01/2024"])
    _text, lines = refused("escaped.xlsx", sheet_of(HEADER_ROW, row))
    assert lines == [
        "2\tTên hệ thống\tThis text contains an invisible or control character (U+0000); remove it."
    ]


def test_a_csv_of_blank_lines_stops_early(refused, settings):
    settings.IMPORT_MAX_ROWS = 50
    data = csv_bytes([corpus.HEADERS, corpus.good_row(1)]) + b"\r\n" * 500
    text, _lines = refused("blank.csv", data)
    assert "The file has more than 50 rows" in text


def test_an_unclosed_quote_before_a_long_tail_is_refused_with_its_line(refused):
    rows = [corpus.good_row(n) for n in range(1, 3000)]
    text = corpus.unclosed_quote() + b"\n" + csv_bytes(rows, bom=False)
    message, _lines = refused("tail.csv", text)
    assert "The CSV file cannot be read from line 2: a cell is far too long" in message


def test_a_flood_of_shared_strings_is_refused(refused, settings):
    settings.IMPORT_MAX_ROWS = 10  # at most 640 distinct strings
    text, _lines = refused("strings.xlsx", corpus.shared_strings_flood(1000))
    assert OVERLOADED in text


def test_a_csv_row_of_thousands_of_cells_is_refused(refused):
    data = csv_bytes([corpus.HEADERS, corpus.good_row(1) + ["x"] * 2000])
    text, _lines = refused("wide.csv", data)
    assert "Row 2 has more than 1024 cells: this is not an inventory." in text


def test_a_flood_of_sheets_or_styles_is_refused(refused):
    sheets = b"".join(
        b'<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (n, n) for n in range(210_000)
    )
    workbook = corpus.WORKBOOK.replace(b"<sheets>", b"<sheets>" + sheets)
    data = corpus.raw_xlsx(corpus.sheet([corpus.good_row(1)]), level=1)
    data = corpus.replaced(data, "xl/workbook.xml", workbook)
    text, _lines = refused("sheets.xlsx", data)
    assert OVERLOADED in text
