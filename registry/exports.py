"""Export of information systems, and the empty import template, as CSV or XLSX.

Exports stream: the systems are read in chunks of 2,000, CSV goes out a row at a time, and the
XLSX is written by openpyxl's write-only mode into a temporary file sent in chunks, so that
memory stays flat whatever the number of systems (bench/registry.py prints the peak).

Same columns, headers and words as the import (registry/import_columns.py), so an exported file
imports back as "unchanged". Text that a spreadsheet would run as a formula is neutralised with
registry.spreadsheets.safe_cell. Callers pass a queryset already scoped to the user.
"""

import codecs
import csv
import datetime
import io
import tempfile

from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.import_columns import COLUMNS, FALSE_WORDS, TRUE_WORDS
from registry.models import Unit
from registry.names import UnitResolver
from registry.spreadsheets import safe_cell

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMAT = "%d/%m/%Y"
CSV_LINES_PER_CHUNK = 200
FILE_CHUNK = 256 * 1024
SHEET_TITLE = "Hệ thống thông tin"
GUIDE_TITLE = "Hướng dẫn"
KIND_HELP = {
    "date": "Ngày dạng dd/mm/yyyy (hoặc yyyy-mm-dd).",
    "level": "Cấp độ 1 đến 5: 3, Cấp độ 3, cấp 3 hoặc III.",
    "bool": f"{TRUE_WORDS[0]} hoặc {FALSE_WORDS[0]} (cũng nhận x, Yes/No).",
    "unit": "Tên đơn vị (mọi cách viết: có/không dấu, “Tỉnh”, “TP.”) hoặc mã đơn vị.",
    "text": "",
    "code": "Chữ cái A–Z, chữ số và . _ - (không dấu, không khoảng trắng); chữ thường được "
    "đổi thành chữ hoa.",
}


def export_chunks(systems, fmt):
    """The systems (a queryset) as a file in `fmt` ("csv" or "xlsx"), in chunks of bytes;
    nothing is read before the first chunk is asked for."""
    rows = _rows(systems.select_related("owner", "operator").order_by("code"))
    return WRITERS[fmt](rows)


def export_systems(systems, fmt):
    """The systems as file bytes, for callers that need them whole."""
    return b"".join(export_chunks(systems, fmt))


def template(fmt):
    """The empty import template: headers (and for XLSX the guide sheet)."""
    return b"".join(WRITERS[fmt](iter(())))


def file_name(prefix, fmt, when=None):
    when = when or timezone.localdate()
    return f"{prefix}-{when:%Y%m%d}.{fmt}"


def _rows(systems):
    labels = _UnitLabels()
    for system in systems.iterator(chunk_size=2000):
        yield [_cell(system, column, labels) for column in COLUMNS]


def _cell(system, column, labels):
    if column.kind == "unit":
        return labels.label(getattr(system, column.field))
    return safe_cell(column.render(getattr(system, column.field)))


class _UnitLabels:
    """A unit's name, or its code when the name would not resolve back to it on import."""

    def __init__(self):
        self.resolver = None
        self.cache = {}

    def label(self, unit):
        if unit is None:
            return ""
        if unit.pk not in self.cache:
            self.cache[unit.pk] = safe_cell(self._label(unit))
        return self.cache[unit.pk]

    def _label(self, unit):
        if self.resolver is None:
            self.resolver = UnitResolver(list(Unit.objects.select_related("parent")))
        try:
            if self.resolver.resolve(unit.name) == unit:
                return unit.name
        except ValidationError:  # an ambiguous name: the code always resolves
            pass
        return unit.code


def _csv(rows):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    yield codecs.BOM_UTF8  # lets Excel open the file as UTF-8
    writer.writerow([column.header for column in COLUMNS])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(value) for value in row])
        if count % CSV_LINES_PER_CHUNK == 0:
            yield _drained(buffer)
    yield _drained(buffer)


def _drained(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def _csv_value(value):
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return value


def _xlsx(rows):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = max(14, len(column.header) + 2)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value, WriteOnlyCell) for value in row])
    _guide(workbook.create_sheet(GUIDE_TITLE))
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        yield from iter(lambda: handle.read(FILE_CHUNK), b"")


def _xlsx_value(sheet, value, cell_class):
    if isinstance(value, datetime.date):
        cell = cell_class(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return value


def _letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _guide(sheet):
    sheet.append(["Cột", "Bắt buộc", "Giá trị", "Ghi chú"])
    for column in COLUMNS:
        accepted = "; ".join(column.accepted()) if column.words else KIND_HELP[column.kind]
        sheet.append([column.header, "Có" if column.required else "", accepted, column.help])
    sheet.append([])
    sheet.append(["Mã đã có thì cập nhật, mã mới thì tạo mới; ô trống ở cột ngày/cấp độ là xoá."])


WRITERS = {"csv": _csv, "xlsx": _xlsx}
