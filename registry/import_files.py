"""Reading the spreadsheets people have: CSV (UTF-8, with or without BOM, comma, semicolon or
tab) and Excel .xlsx (first sheet or a named one), headers in any order, possibly under a title
or on two rows under merged group cells.

A file that cannot be read raises FileError with a message for the user; a cell that cannot be
trusted (a formula, a control character, a line break, a row whose cells do not line up with the
header) becomes a row error, so data is never shifted or dropped silently. Totals and signature
rows are skipped with a note. The rows come out as {field: raw value} with their spreadsheet row
numbers, for registry/imports.py to interpret.

An .xlsx file is a zip archive: its declared sizes are checked before anything is unpacked and
the sheet is read as a stream that stops at the row limit (registry/xlsx_reader.py), so a hostile
file is refused within a small, fixed amount of memory.
"""

import codecs
import csv
import hashlib
import io
import itertools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from registry.import_columns import (
    COLUMNS_BY_FIELD,
    REQUIRED_FIELDS,
    column_for_header,
    is_empty,
    text_key,
)
from registry.spreadsheets import FORMULA_PREFIXES
from registry.text import clean_text
from registry.xlsx_reader import (
    FORMULA,
    MAX_COLUMNS,
    XLSX_MAGIC,
    ExcelError,
    FileError,
    too_many_rows,
    xlsx_rows,
)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
DELIMITERS = (",", ";", "\t")
HEADER_SEARCH_ROWS = 20  # a title block above the header is common in unit files
NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
CHUNK = 1024 * 1024
# The first cell of a totals row, compared by text_key ("Tổng cộng", "TỔNG SỐ", "Cộng:").
TOTALS_WORDS = {"tong", "tong cong", "cong", "tong so", "total", "totals", "grand total", "sum"}
# The words that open a signature block under the table; only rows without a system code.
SIGNATURE = re.compile(
    r"^(nguoi lap|thu truong|ky ten|ky ghi ro|xac nhan|lanh dao|giam doc|chu tich|noi nhan"
    r"|prepared by|approved by|signature)\b|\bngay \w* thang \w* nam\b"
)

NUMBERING = re.compile(r"^\(?(\d{1,2})\)?$")

__all__ = ["FileError", "OversizeError", "Table", "Upload", "read_table", "receive"]


@dataclass
class CellProblem:
    row: int
    field: str  # an import field, or "" for the row as a whole
    message: str


@dataclass
class Table:
    format: str
    headers: dict  # field -> header as written in the file
    rows: list  # [(row number, {field: raw value})]
    ignored_headers: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # [CellProblem]
    notes: list = field(default_factory=list)  # what was skipped, for the report


@dataclass
class Upload:
    """The bytes of an uploaded file (at most the size limit), their checksum and size."""

    name: str
    data: bytes
    checksum: str
    size: int

    @property
    def extension(self):
        return ".xlsx" if self.data.startswith(XLSX_MAGIC) else ".csv"


def receive(handle, name, max_bytes=None):
    """Read a binary file object; FileError if larger than the limit (checksum of the whole)."""
    max_bytes = max_bytes or settings.IMPORT_MAX_BYTES
    digest = hashlib.sha256()
    kept = bytearray()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if size <= max_bytes:
            kept += chunk
    upload = Upload(name=name, data=bytes(kept), checksum=digest.hexdigest(), size=size)
    if size > max_bytes:
        raise OversizeError(upload, max_bytes)
    return upload


class OversizeError(FileError):
    def __init__(self, upload, max_bytes):
        self.upload = upload
        super().__init__(oversize_message(upload.size, max_bytes))


def oversize_message(size, max_bytes):
    return _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
        "size": megabytes(size),
        "limit": megabytes(max_bytes),
    }


def megabytes(size):
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def read_table(data, sheet="", required=REQUIRED_FIELDS, max_rows=None):
    """The header and rows of a CSV or XLSX file given as bytes."""
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    if not data:
        raise FileError(_("The file is empty (0 bytes)."))
    if data.startswith(XLSX_MAGIC):
        fmt, raw_rows = "xlsx", xlsx_rows(data, sheet, max_rows)
    elif data.startswith(OLE2_MAGIC):
        raise FileError(
            _("This is an old Excel .xls file: save it as Excel Workbook (.xlsx) or CSV UTF-8.")
        )
    else:
        fmt, raw_rows = "csv", _csv_rows(data)
    return _table(fmt, raw_rows, required, max_rows)


def _csv_rows(data):
    """(row number, cells) of each record; a record's number is its spreadsheet row."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text": UTF-16 with a BOM, tab separated.
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in data[:8192]:
        # Binary files have NULs early; a NUL further on is refused in its cell (clean_text).
        raise FileError(_("This is not a spreadsheet: upload a CSV or Excel .xlsx file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError(
            _(
                "The file is not UTF-8 text. In Excel choose Save As → “CSV UTF-8 "
                "(Comma delimited)”, or upload the .xlsx file."
            )
        ) from None
    delimiter = _guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1  # where the record being read starts
    try:
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS:
                raise FileError(
                    _("Row %(row)s has more than %(limit)s cells: this is not an inventory.")
                    % {"row": number, "limit": MAX_COLUMNS}
                )
            yield number, cells
            line = reader.line_num + 1
    except csv.Error:
        # In practice a quote that is never closed: the cell grew past the csv module's limit.
        raise FileError(
            _(
                "The CSV file cannot be read from line %(line)s: a cell is far too long, "
                'probably because a quote (") is never closed. Correct the file and import it '
                "again."
            )
            % {"line": line}
        ) from None


def _guess_delimiter(text):
    """The separator under which the first lines show the most known headers."""
    head = list(itertools.islice(io.StringIO(text, newline=""), HEADER_SEARCH_ROWS))
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(head, delimiter=delimiter))
        except csv.Error:
            continue
        score = max((_known_headers(row) for row in rows), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _known_headers(row):
    return sum(1 for cell in row if column_for_header(cell) is not None)


def _table(fmt, raw_rows, required, max_rows):
    rows = iter(raw_rows)
    header_number, header, pending = _find_header(rows)
    columns = _map_header(header)
    headers = {column.field: name for column, name in columns.values() if column}
    missing = [COLUMNS_BY_FIELD[f].header for f in required if f not in headers]
    if missing:
        raise FileError(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    table = Table(fmt, headers, [], ignored_headers=list(_ignored(columns)))
    width = _width(header)
    # Blank lines count too, so that a file of millions of them stops early as well.
    scan_limit = 2 * max_rows + HEADER_SEARCH_ROWS
    for scanned, (number, raw) in enumerate(_chain(pending, rows), start=1):
        if scanned > scan_limit:
            raise too_many_rows(max_rows)
        if _skipped(number, raw, columns, table):
            continue
        values = {}
        for index, (column, _header) in columns.items():
            if column is not None and index < len(raw):
                values[column.field] = _cell(raw[index], number, column.field, table)
        if all(is_empty(value) for value in values.values()) and _width(raw) <= width:
            continue
        _check_width(number, raw, width, fmt, table)
        if len(table.rows) == max_rows:
            raise too_many_rows(max_rows)
        table.rows.append((number, values))
    if not table.rows:
        raise FileError(_("The file has no data rows."))
    return table


def _chain(pending, rows):
    if pending is not None:
        yield pending
    yield from rows


def _find_header(rows):
    """(row number, header cells, the row after the header or None).

    The header is the first row that names two known columns. When the next row holds more
    headers under the first row's group cells (a two-row header with merged cells), the two
    rows are read as one: each column takes the lower cell when there is one.
    """
    for number, raw in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        if _known_headers(raw) >= 2:
            following = next(rows, None)
            if following is not None and _is_sub_header(raw, following[1]):
                return following[0], _merge_headers(raw, following[1]), None
            return number, raw, following
    names = ", ".join(COLUMNS_BY_FIELD[f].header for f in REQUIRED_FIELDS)
    raise FileError(
        _("No header row found in the first %(count)s rows; the file needs the columns: %(names)s.")
        % {"count": HEADER_SEARCH_ROWS, "names": names}
    )


def _is_sub_header(header, raw):
    """A row that names columns, and is empty under every column the header row already names
    (a data row always has its code there)."""
    if _known_headers(raw) == 0:
        return False
    for index, cell in enumerate(raw):
        above = header[index] if index < len(header) else None
        if not is_empty(cell) and column_for_header(above) is not None:
            return False
    return True


def _merge_headers(top, bottom):
    size = max(len(top), len(bottom))
    top, bottom = _padded(top, size), _padded(bottom, size)
    return [low if not is_empty(low) else high for high, low in zip(top, bottom, strict=True)]


def _padded(cells, size):
    return list(cells) + [None] * (size - len(cells))


def _map_header(raw):
    columns, seen = {}, {}
    for index, cell in enumerate(raw):
        if is_empty(cell):
            continue
        header = str(cell).strip()
        column = column_for_header(header)
        if column is not None and column.field in seen:
            raise FileError(
                _("The columns “%(first)s” and “%(second)s” both mean %(meaning)s.")
                % {"first": seen[column.field], "second": header, "meaning": column.header}
            )
        if column is not None:
            seen[column.field] = header
        columns[index] = (column, header)
    return columns


def _ignored(columns):
    return (header for column, header in columns.values() if column is None)


def _width(raw):
    """The number of cells up to the last non-empty one."""
    for index in range(len(raw) - 1, -1, -1):
        if not is_empty(raw[index]):
            return index + 1
    return 0


def _check_width(number, raw, width, fmt, table):
    """A row with a value beyond the header, or (in CSV) fewer cells than the header, has its
    cells shifted: a separator or a quote is missing or extra."""
    if _width(raw) > width:
        message = _(
            "This row has a value in column %(column)s, which has no header: a separator or a "
            "quote is probably missing or extra, so the values may be shifted."
        ) % {"column": _width(raw)}
    elif fmt == "csv" and len(raw) < width:
        message = _(
            "This row has %(cells)s cells but the header has %(header)s: a separator or a quote "
            "is probably missing or extra, so the values may be shifted."
        ) % {"cells": len(raw), "header": width}
    else:
        return
    table.problems.append(CellProblem(number, "", message))


def _skipped(number, raw, columns, table):
    """Totals, signature and column-numbering rows: skipped, with a note in the report."""
    cells = [str(cell).strip() for cell in raw if not is_empty(cell)]
    if not cells:
        return False
    if _is_numbering(cells):
        table.notes.append(
            _("Row %(row)s numbers the columns (1, 2, 3…): it was skipped.") % {"row": number}
        )
        return True
    first = cells[0]
    code_index = next((i for i, (c, _h) in columns.items() if c and c.field == "code"), None)
    code = raw[code_index] if code_index is not None and code_index < len(raw) else None
    totals = not _could_be_code(first, code) and text_key(first.rstrip(":")) in TOTALS_WORDS
    signature = is_empty(code) and any(SIGNATURE.search(text_key(cell)) for cell in cells)
    if not (totals or signature):
        return False
    table.notes.append(
        _("Row %(row)s (“%(text)s”) is a totals or signature row: it was skipped.")
        % {"row": number, "text": first[:60]}
    )
    return True


def _is_numbering(cells):
    """(1) (2) (3)… or 1 2 3… under the header, as official report forms number their columns."""
    if len(cells) < 3 or not NUMBERING.match(cells[0]):
        return False  # a data row's first cell (its code) settles it
    numbers = [NUMBERING.match(cell) for cell in cells]
    if not all(numbers):
        return False
    values = [int(match[1]) for match in numbers]
    return values == list(range(values[0], values[0] + len(values)))


def _could_be_code(first, code):
    """'TOTAL' in the code column may be a real system code; 'Tổng cộng' never is."""
    return first == str(code).strip() and first.isascii() and " " not in first


def _cell(value, number, field_name, table):
    """The cell's value, clean; formulas, line breaks and invisible characters become a
    problem of the row."""
    if value is None or type(value) is str and value == "":
        return value  # most cells of a sheet: nothing to check (an empty ExcelError is not one)
    if isinstance(value, ExcelError):
        return _problem(
            table,
            number,
            field_name,
            _("This cell holds the Excel error %(error)s; type the value.") % {"error": value},
        )
    if value is FORMULA or _looks_like_formula(value):
        return _problem(
            table,
            number,
            field_name,
            _("Formulas are not accepted; type the value (start with ' to keep the text)."),
        )
    if not isinstance(value, str):
        return value
    if "\n" in value or "\r" in value:
        return _problem(
            table,
            number,
            field_name,
            _(
                "This cell runs over several lines (a line break, or a quote that is never "
                "closed); write the value on one line."
            ),
        )
    try:
        value = clean_text(value)
    except ValidationError as error:
        return _problem(table, number, field_name, " ".join(error.messages))
    # Undo the apostrophe the export puts before formula-like text (registry.spreadsheets).
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _problem(table, number, field_name, message):
    table.problems.append(CellProblem(number, field_name, message))
    return None


def _looks_like_formula(value):
    if not isinstance(value, str):
        return False
    text = value.strip()
    return len(text) > 1 and text.startswith(("=", "+", "-", "@")) and not NUMBER.match(text)
