"""Rows of an .xlsx sheet, read as a stream within a fixed amount of memory.

An .xlsx file is a zip archive of XML parts. A hostile one can declare gigabytes behind a few
kilobytes (a zip bomb), lie about its sizes, nest entity definitions, or hold millions of rows,
merged ranges or shared strings. Before anything is parsed, `check_container` compares the
archive's declared sizes with the IMPORT_XLSX_* settings and unpacks every part once as a stream
(Python's zipfile stops at the declared size and checks the CRC, so a lie is an error, never a
flood), refusing DTDs. The sheet is then parsed element by element, each one dropped as soon as
it is read, and the reading stops at the row limit. Any malformed XML is a FileError with the
same message, never a traceback.
"""

import datetime
import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from posixpath import join, normpath

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.escape import unescape

XLSX_MAGIC = b"PK\x03\x04"
READ_CHUNK = 64 * 1024
MAX_COLUMNS = 1024  # far beyond any inventory; a cell past it is a damaged or hostile sheet
# Elements of a workbook's small parts: styles.xml of a large real workbook has a few thousand.
METADATA_ELEMENTS = 200_000
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# Errors a damaged or hostile archive or XML part raises while it is read.
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ET.ParseError,
    KeyError,
    IndexError,
    ValueError,
    OverflowError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted entry
    TypeError,  # a shared string cell without its index
)


class FileError(Exception):
    """The file as a whole cannot be imported; nothing is written."""


class _Formula:
    """Marks an Excel cell that holds a formula."""


FORMULA = _Formula()


class ExcelError(str):
    """The text of an Excel error cell (#REF!, #N/A…): a computed failure, never data."""


def too_many_rows(max_rows):
    return FileError(
        _("The file has more than %(limit)s rows; split it into smaller files.")
        % {"limit": max_rows}
    )


def not_a_workbook():
    return FileError(
        _(
            "This is not an Excel workbook that can be read (it is damaged or its XML is "
            "malformed): open it in Excel and save it again as .xlsx, or upload a CSV file."
        )
    )


def xlsx_rows(data, sheet, max_rows):
    """(row number, [cell values]) of the sheet's rows that have cells; FileError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except UNREADABLE:
        raise not_a_workbook() from None
    with archive:
        check_container(archive)
        _refuse_open_document(archive)
        try:
            book = _Book(archive, max_rows)
            part = book.sheet_part(sheet)
            yield from _rows(archive, part, book, max_rows)
        except UNREADABLE:
            raise not_a_workbook() from None


def _refuse_open_document(archive):
    """LibreOffice's own format is a zip too: say what to do instead of "damaged"."""
    if "mimetype" in archive.namelist() and b"opendocument" in archive.read("mimetype")[:100]:
        raise FileError(
            _(
                "This is an OpenDocument spreadsheet (.ods): save it as Excel Workbook (.xlsx) "
                "or CSV UTF-8."
            )
        )


def check_container(archive):
    """Refuse an archive whose parts are too many, too big or too compressed; then unpack each
    part once as a stream to prove its declared size and refuse DTDs (entity expansion)."""
    infos = archive.infolist()
    if len(infos) > settings.IMPORT_XLSX_MAX_ENTRIES:
        raise _overloaded()
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > settings.IMPORT_XLSX_MAX_ENTRY_BYTES or (
            info.file_size > READ_CHUNK and ratio > settings.IMPORT_XLSX_MAX_RATIO
        ):
            raise _overloaded()
    if total > settings.IMPORT_XLSX_MAX_TOTAL_BYTES:
        raise _overloaded()
    try:
        for info in infos:
            _prove(archive, info)
    except UNREADABLE:
        raise not_a_workbook() from None


def _prove(archive, info):
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(READ_CHUNK):
            # The previous chunk's end finds a declaration cut in two; UTF-16 XML has a NUL
            # after each ASCII character.
            window = tail + chunk
            if DTD.search(window) or DTD.search(window.replace(b"\x00", b"")):
                raise ValueError("DTD")
            tail = chunk[-32:]


def _overloaded():
    return FileError(
        _(
            "The workbook unpacks to more than the import accepts (%(limit)s MB, or an abnormal "
            "compression): it is damaged or built to overload the server. Save it again in Excel, "
            "or upload a CSV file."
        )
        % {"limit": settings.IMPORT_XLSX_MAX_TOTAL_BYTES // (1024 * 1024)}
    )


def _elements(archive, name):
    """(event, element, depth) of a small part (workbook, relationships, styles), each element
    dropped from its parent once ended, so memory holds one path of the tree, never the tree;
    more elements than such a part ever has (METADATA_ELEMENTS) refuse the file, so what the
    caller keeps from them stays small too."""
    parser = ET.XMLPullParser(events=("start", "end"))
    path, count = [], 0
    with archive.open(name) as stream:
        while chunk := stream.read(READ_CHUNK):
            parser.feed(chunk)
            for event, element, depth in _drain(parser, path):
                count += 1
                if count > 2 * METADATA_ELEMENTS:  # a start and an end event each
                    raise _overloaded()
                yield event, element, depth
        parser.close()
        yield from _drain(parser, path)


def _drain(parser, path):
    for event, element in parser.read_events():
        if event == "start":
            path.append(element)
            yield event, element, len(path)
            continue
        yield event, element, len(path)
        path.pop()
        element.clear()
        if path:
            path[-1].remove(element)


class _Book:
    """What the sheet needs from the rest of the workbook: shared strings, date styles, epoch
    and where each sheet is."""

    def __init__(self, archive, max_rows):
        self.archive = archive
        self.names = set(archive.namelist())
        self.sheets, self.epoch = self._workbook()
        self.targets = self._relationships()
        self.date_styles = self._date_styles()
        self.strings = self._shared_strings(max_rows)

    def _workbook(self):
        if "xl/workbook.xml" not in self.names:
            raise KeyError("xl/workbook.xml")
        sheets, epoch = [], CALENDAR_WINDOWS_1900
        for event, element, _depth in _elements(self.archive, "xl/workbook.xml"):
            if event != "start":
                continue
            if element.tag == MAIN + "workbookPr" and element.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            elif element.tag == MAIN + "sheet":
                sheets.append((element.get("name", ""), element.get(REL + "id", "")))
        return sheets, epoch

    def _relationships(self):
        rels = "xl/_rels/workbook.xml.rels"
        targets = {}
        if rels not in self.names:
            return targets
        for event, element, _depth in _elements(self.archive, rels):
            if event == "start" and element.tag == PACKAGE_REL + "Relationship":
                target = element.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else join("xl", target)
                targets[element.get("Id", "")] = normpath(path)
        return targets

    def sheet_part(self, sheet):
        names = [name for name, _rid in self.sheets]
        if sheet and sheet not in names:
            raise FileError(
                _("The workbook has no sheet “%(sheet)s”; its sheets are: %(sheets)s.")
                % {"sheet": sheet, "sheets": ", ".join(names)}
            )
        if not self.sheets:
            raise KeyError("no sheet")
        rid = dict(self.sheets)[sheet] if sheet else self.sheets[0][1]
        part = self.targets.get(rid) or "xl/worksheets/sheet1.xml"
        if part not in self.names:
            raise KeyError(part)
        return part

    def _date_styles(self):
        """The indexes of the cell styles (cellXfs) whose number format is a date."""
        name = "xl/styles.xml"
        if name not in self.names:
            return set()
        formats, styles, in_xfs = dict(BUILTIN_FORMATS), [], False
        for event, element, _depth in _elements(self.archive, name):
            if element.tag == MAIN + "cellXfs":
                in_xfs = event == "start"
            elif event == "start" and element.tag == MAIN + "numFmt":
                formats[int(element.get("numFmtId", -1))] = element.get("formatCode", "")
            elif event == "start" and in_xfs and element.tag == MAIN + "xf":
                styles.append(int(element.get("numFmtId", 0)))
        dates = {number for number, code in formats.items() if is_date_format(code)}
        return {index for index, number in enumerate(styles) if number in dates}

    def _shared_strings(self, max_rows):
        name = next((n for n in self.names if n.lower() == "xl/sharedstrings.xml"), None)
        if name is None:
            return []
        # More distinct strings than 32 per allowed row cannot be an inventory.
        table = _StringsTarget(limit=max_rows * 32)
        parser = ET.XMLParser(target=table)
        with self.archive.open(name) as stream:
            while chunk := stream.read(READ_CHUNK):
                parser.feed(chunk)
            parser.close()
        return table.strings

    def value(self, kind, style, text, inline):
        if kind == "s":
            index = int(text)
            if not 0 <= index < len(self.strings):  # -1 would silently read the last string
                raise not_a_workbook()
            return self.strings[index]
        if kind == "inlineStr":
            return _unescape(inline)
        if text is None:
            return None
        if kind == "e":
            return ExcelError(text)
        if kind == "str":
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return datetime.datetime.fromisoformat(text)
        if style in self.date_styles:
            return from_excel(float(text), self.epoch)
        return float(text) if any(c in text for c in ".eE") else int(text)


def _rows(archive, part, book, max_rows):
    """Rows in order of the sheet; a row with no cell yields nothing. Rows scanned are capped
    (twice the row limit plus the header search) so a sheet of empty rows stops early too."""
    sheet = _SheetTarget(book, 2 * max_rows + 100, max_rows)
    parser = ET.XMLParser(target=sheet)
    with archive.open(part) as stream:
        while chunk := stream.read(READ_CHUNK):
            parser.feed(chunk)
            yield from sheet.take()
        parser.close()
        yield from sheet.take()


class _SheetTarget:
    """Parser callbacks that keep the cells of rows and nothing else: no element tree is built,
    so an element a sheet repeats millions of times costs time, never memory."""

    def __init__(self, book, scan_limit, max_rows):
        self.book, self.scan_limit, self.max_rows = book, scan_limit, max_rows
        self.done, self.scanned, self.number = [], 0, 0
        self.row = self.cell = None
        self.text = []  # the text of the <v> or <t> being read, if any
        self.reading = False

    def take(self):
        done, self.done = self.done, []
        return done

    def start(self, tag, attrib):
        if tag == ROW:
            self.number = int(attrib.get("r") or self.number + 1)
            self.row, self.last = {}, 0
        elif tag == CELL and self.row is not None:
            self.cell = _Cell(attrib, self.last + 1)
        elif self.cell is not None and tag in (VALUE, TEXT):
            self.reading, self.text = True, []
        elif self.cell is not None and tag == FORMULA_TAG:
            self.cell.formula = True
        elif tag == PHONETIC and self.cell is not None:
            self.cell.phonetic = True

    def data(self, text):
        if self.reading:
            self.text.append(text)

    def end(self, tag):
        if tag in (VALUE, TEXT) and self.reading:
            self.reading = False
            self.cell.read(tag, "".join(self.text))
        elif tag == PHONETIC and self.cell is not None:
            self.cell.phonetic = False
        elif tag == CELL and self.cell is not None:
            cell, self.cell = self.cell, None
            self.row[cell.column] = FORMULA if cell.formula else cell.value(self.book)
            self.last = cell.column
        elif tag == ROW:
            self.scanned += 1
            if self.scanned > self.scan_limit:
                raise too_many_rows(self.max_rows)
            if self.row:
                self.done.append((self.number, _as_list(self.row)))
            self.row = None

    def close(self):
        return None


class _StringsTarget:
    """Parser callbacks that collect the shared strings (<si>: a <t>, or rich text runs of
    <r><t>; the phonetic guide <rPh> is not text), refusing a table past `limit`."""

    def __init__(self, limit):
        self.limit, self.strings = limit, []
        self.parts, self.reading, self.phonetic = [], False, False

    def start(self, tag, attrib):
        if tag == STRING:
            self.parts = []
        elif tag == TEXT and not self.phonetic:
            self.reading = True
        elif tag == PHONETIC:
            self.phonetic = True

    def data(self, text):
        if self.reading:
            self.parts.append(text)

    def end(self, tag):
        if tag == TEXT:
            self.reading = False
        elif tag == PHONETIC:
            self.phonetic = False
        elif tag == STRING:
            self.strings.append(_unescape("".join(self.parts)))
            if len(self.strings) > self.limit:
                raise _overloaded()

    def close(self):
        return None


ROW, CELL, VALUE, TEXT = MAIN + "row", MAIN + "c", MAIN + "v", MAIN + "t"
STRING = MAIN + "si"
FORMULA_TAG, PHONETIC = MAIN + "f", MAIN + "rPh"


class _Cell:
    def __init__(self, attrib, next_column):
        reference = CELL_REF.match(attrib.get("r", "") or "")
        self.column = column_index_from_string(reference[1]) if reference else next_column
        if self.column > MAX_COLUMNS:
            raise ValueError("column")
        self.kind = attrib.get("t", "n")
        self.style = int(attrib.get("s", 0) or 0)
        self.text, self.inline, self.formula, self.phonetic = None, [], False, False

    def read(self, tag, text):
        if tag == VALUE:
            self.text = text
        elif not self.phonetic:
            self.inline.append(text)  # <is><t> or rich text runs <is><r><t>

    def value(self, book):
        return book.value(self.kind, self.style, self.text, "".join(self.inline) or None)


def _unescape(text):
    """Excel writes control characters as _xHHHH_ (a carriage return as _x000D_): decoded, so
    that the import refuses them by name instead of storing the escape."""
    return unescape(text) if text and "_x" in text else text


def _as_list(row):
    cells = [None] * max(row)
    for column, value in row.items():
        cells[column - 1] = value
    return cells
