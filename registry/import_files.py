"""Reading the spreadsheets people have: CSV (UTF-8, with or without BOM, comma, semicolon or
tab) and Excel .xlsx (first sheet or a named one), headers in any order, possibly under a title.

A file that cannot be read raises FileError with a message for the user; a cell that holds a
formula becomes a row error. The rows come out as {field: raw value} with their spreadsheet
row numbers, for registry/imports.py to interpret.
"""

import codecs
import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from registry.import_columns import COLUMNS_BY_FIELD, REQUIRED_FIELDS, column_for_header, is_empty
from registry.spreadsheets import FORMULA_PREFIXES

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
DELIMITERS = (",", ";", "\t")
HEADER_SEARCH_ROWS = 20  # a title block above the header is common in unit files
NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")
CHUNK = 1024 * 1024


class FileError(Exception):
    """The file as a whole cannot be imported; nothing is written."""


@dataclass
class CellProblem:
    row: int
    field: str
    message: str


@dataclass
class Table:
    format: str
    headers: dict  # field -> header as written in the file
    rows: list  # [(row number, {field: raw value})]
    ignored_headers: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # [CellProblem]


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
        super().__init__(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(max_bytes)}
        )


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def read_table(data, sheet="", required=REQUIRED_FIELDS, max_rows=None):
    """The header and rows of a CSV or XLSX file given as bytes."""
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    if data.startswith(XLSX_MAGIC):
        fmt, raw_rows = "xlsx", _xlsx_rows(data, sheet)
    elif data.startswith(OLE2_MAGIC):
        raise FileError(
            _("This is an old Excel .xls file: save it as Excel Workbook (.xlsx) or CSV UTF-8.")
        )
    else:
        fmt, raw_rows = "csv", _csv_rows(data)
    return _table(fmt, raw_rows, required, max_rows)


def _csv_rows(data):
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text": UTF-16 with a BOM, tab separated.
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in data[:8192]:
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
    try:
        yield from reader
    except csv.Error as error:
        raise FileError(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def _guess_delimiter(text):
    """The separator under which the first lines show the most known headers."""
    head = text.splitlines()[:HEADER_SEARCH_ROWS]
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


def _xlsx_rows(data, sheet):
    """Rows of the sheet: read fast by calamine, or by openpyxl when a cell holds a formula
    (calamine gives only the values, openpyxl says which cells are formulas)."""
    if _has_formulas(data):
        return _openpyxl_rows(data, sheet)
    return _calamine_rows(data, sheet)


NOT_A_WORKBOOK = _lazy(
    "This is not an Excel workbook that can be read: upload a .xlsx or CSV file."
)
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            if "xl/workbook.xml" not in archive.namelist():
                raise FileError(str(NOT_A_WORKBOOK))
            return any(FORMULA_TAG.search(archive.read(name)) for name in sheets)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise FileError(str(NOT_A_WORKBOOK)) from None


def _calamine_rows(data, sheet):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        _check_sheet(workbook.sheet_names, sheet)
        worksheet = workbook.get_sheet_by_name(sheet or workbook.sheet_names[0])
        # From A1, empty leading rows included: the row numbers are the spreadsheet's.
        for row in worksheet.to_python(skip_empty_area=False):
            yield [None if value == "" else value for value in row]
    except CalamineError:
        raise FileError(str(NOT_A_WORKBOOK)) from None


def _openpyxl_rows(data, sheet):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileError(str(NOT_A_WORKBOOK)) from None
    try:
        _check_sheet(workbook.sheetnames, sheet)
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        for cells in worksheet.iter_rows():
            yield [FORMULA if cell.data_type == "f" else cell.value for cell in cells]
    finally:
        workbook.close()


def _check_sheet(names, sheet):
    if sheet and sheet not in names:
        raise FileError(
            _("The workbook has no sheet “%(sheet)s”; its sheets are: %(sheets)s.")
            % {"sheet": sheet, "sheets": ", ".join(names)}
        )


class _Formula:
    """Marks an Excel cell that holds a formula."""


FORMULA = _Formula()


def _known_headers(row):
    return sum(1 for cell in row if column_for_header(cell) is not None)


def _table(fmt, raw_rows, required, max_rows):
    rows = iter(raw_rows)
    header_number, columns = _find_header(rows)
    headers = {column.field: header for column, header in columns.values() if column}
    missing = [COLUMNS_BY_FIELD[f].header for f in required if f not in headers]
    if missing:
        raise FileError(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    table = Table(fmt, headers, [], ignored_headers=list(_ignored(columns)))
    for number, raw in enumerate(rows, start=header_number + 1):
        values = {}
        for index, (column, _header) in columns.items():
            if column is not None and index < len(raw):
                values[column.field] = _cell(raw[index], number, column.field, table)
        if all(is_empty(value) for value in values.values()):
            continue
        if len(table.rows) == max_rows:
            raise FileError(
                _("The file has more than %(limit)s rows; split it into smaller files.")
                % {"limit": max_rows}
            )
        table.rows.append((number, values))
    return table


def _find_header(rows):
    """(row number, {cell index: (column or None, header)}) of the first row that names columns."""
    for number, raw in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        if _known_headers(raw) >= 2:
            return number, _map_header(raw)
    names = ", ".join(COLUMNS_BY_FIELD[f].header for f in REQUIRED_FIELDS)
    raise FileError(
        _("No header row found in the first %(count)s rows; the file needs the columns: %(names)s.")
        % {"count": HEADER_SEARCH_ROWS, "names": names}
    )


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


def _cell(value, number, field_name, table):
    """The cell's value; formulas become a problem of the row."""
    if value is FORMULA or _looks_like_formula(value):
        table.problems.append(
            CellProblem(
                number,
                field_name,
                _("Formulas are not accepted; type the value (start with ' to keep the text)."),
            )
        )
        return None
    if isinstance(value, str):
        value = value.strip()
        # Undo the apostrophe the export puts before formula-like text (registry.spreadsheets).
        if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
            return value[1:]
    return value


def _looks_like_formula(value):
    if not isinstance(value, str):
        return False
    text = value.strip()
    return len(text) > 1 and text.startswith(("=", "+", "-", "@")) and not NUMBER.match(text)
