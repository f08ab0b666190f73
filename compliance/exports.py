"""CSV and XLSX downloads of the pages' tables: the same table, filters and scope as the page.

Rows are read from the table's records with each column's getter worked out once per table
(ExportPlan), not through django-tables2's per-cell machinery (as_values), which inspects each
value method's signature for every cell. The response streams: CSV row by row, XLSX through
openpyxl's write-only mode into a temporary file sent in chunks.

Every cell goes through registry.spreadsheets.safe_cell, so a system or unit name typed as
"=HYPERLINK(...)" is shown as text, never run as a formula. In the XLSX, rates are numbers
with a percent format (0.833 shown as 83.3%, as in the report XLSX), total lines are live
formulas over the rows above them, and the sheet prints landscape, fit to the page's width,
with its header row repeated on every page.
"""

import csv
import datetime
import inspect
import io
import tempfile
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django_tables2 import Column
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from registry.spreadsheets import safe_cell

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A rate column's (numerator, denominator) columns: a total line's rate is their quotient.
RATE_PARTS = {
    "approval_rate": ("approved", "total"),
    "deployment_rate": ("fully_deployed", "total"),
    "deployed_of_approved_rate": ("fully_deployed", "approved"),
}
PERCENT_FORMAT = "0.0%"
BOLD = Font(bold=True)
CHUNK = 64 * 1024


class Rate(Decimal):
    """A percentage (83.3): written as such to CSV, as 0.833 with a percent format to XLSX.
    In a total line, `parts` holds the positions of its numerator and denominator."""

    parts = None


class FooterLine(list):
    """A total line: its counts are sums of the lines above it in the XLSX."""


# Reading a table's rows --------------------------------------------------------------------


class _ColumnGetter:
    """One exported column's value for a row, as as_values() gives it, with the accessor, the
    choices display and the value method's arguments worked out once per table."""

    def __init__(self, table, bound_column):
        self.name = bound_column.name
        self.empty_values = bound_column.column.empty_values
        self.bits = bound_column.accessor.bits
        self.method = _value_method(table, bound_column)
        self.fixed, self.per_cell = {}, ()
        if self.method is not None:
            column = bound_column.column
            available = {"column": column, "bound_column": bound_column, "table": table}
            wanted = list(inspect.signature(self.method).parameters)
            self.fixed = {name: available[name] for name in wanted if name in available}
            self.per_cell = tuple(name for name in wanted if name not in available)
        self.display = None  # whether get_FOO_display gives the value: known at the first row
        self.labels = {}

    def __call__(self, row):
        if not set(self.per_cell) <= {"value", "record"}:
            return row.get_cell_value(self.name)  # wants the bound row: django-tables2's way
        # A choice's label is looked up only for a method that reads it: an empty label is an
        # empty value, so the emptiness test can take the stored value.
        wants_label = self.method is None or "value" in self.per_cell
        value = self._resolve(row.record, wants_label)
        if value in self.empty_values:
            return None
        if self.method is None:
            return value
        cell = {"value": value, "record": row.record}
        return self.method(**self.fixed, **{name: cell[name] for name in self.per_cell})

    def _resolve(self, record, wants_label=True):
        current = record
        for index, bit in enumerate(self.bits):
            if index == len(self.bits) - 1 and isinstance(current, models.Model) and wants_label:
                return self._field_value(current, bit)
            current = getattr(current, bit, None)
            if current is None:
                return None
            if callable(current) and not getattr(current, "do_not_call_in_templates", False):
                current = current()
        return current

    def _field_value(self, instance, name):
        if self.display is None:
            field = _model_field(instance, name)
            has_display = hasattr(instance, f"get_{name}_display")
            self.display = bool(getattr(field, "choices", None)) and has_display
        if self.display:  # a few labels repeated on every row: translated once each
            stored = getattr(instance, name)
            if stored not in self.labels:
                self.labels[stored] = force_str(getattr(instance, f"get_{name}_display")())
            return self.labels[stored]
        value = getattr(instance, name, None)
        return value() if callable(value) else value


def _value_method(table, bound_column):
    """What django-tables2 calls for an exported value: value_<name>, else render_<name>, else
    the column's own value or render when it defines one; None when the value is the datum."""
    for name in (f"value_{bound_column.name}", f"render_{bound_column.name}"):
        method = getattr(table, name, None)
        if method is not None:
            return method
    column = bound_column.column
    if type(column).value is not Column.value:
        return column.value
    if type(column).render is not Column.render:
        return column.render
    return None


def _model_field(instance, name):
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _exported_columns(table):
    # The columns as_values() writes, in its order.
    return [column for column in table.columns.iterall() if not column.column.exclude_from_export]


def _plain(name, value):
    value = force_str(value, strings_only=True)
    if name.endswith("_rate") and isinstance(value, Decimal | int | float):
        return Rate(value)
    return value


def footer_line(table):
    """The footer as plain values: the table's footer_value(name) when it has one."""
    value = getattr(table, "footer_value", None)
    columns = _exported_columns(table)
    names = [column.name for column in columns]
    line = FooterLine()
    for column in columns:
        cell = _plain(column.name, value(column.name) if value else column.footer)
        if isinstance(cell, Rate) and column.name in RATE_PARTS:
            numerator, denominator = RATE_PARTS[column.name]
            if numerator in names and denominator in names:
                cell.parts = (names.index(numerator), names.index(denominator))
        line.append("" if cell is None else cell)
    return line


def table_lines(table):
    """Header and rows of a django-tables2 table as plain values, then its footer if any."""
    columns = _exported_columns(table)
    getters = [_ColumnGetter(table, column) for column in columns]
    lines = [[force_str(column.header, strings_only=True) for column in columns]]
    for row in table.rows:
        lines.append([_plain(get.name, get(row)) for get in getters])
    if table.has_footer():
        lines.append(footer_line(table))
    return lines


# Writing them ------------------------------------------------------------------------------


def _cell(value):
    if isinstance(value, str | int | float | Decimal | datetime.date) or value is None:
        return safe_cell(value)
    return safe_cell(str(value))


def csv_chunks(lines):
    """The lines as CSV, a row at a time; a BOM first so that Excel reads the text as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    for line in lines:
        writer.writerow(["" if value is None else _cell(value) for value in line])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def csv_bytes(lines):
    return b"".join(csv_chunks(lines))


class _SheetWriter:
    """Appends lines to a write-only sheet: rates as percents, total lines as live formulas.

    A total line's count is written as a formula only where the formula gives the very number
    the page shows: the sum of the lines since the previous total line, or, right after total
    lines, the sum of those (a total of totals). Anything else stays a plain number."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.row = 0
        self.block = []  # (row, line) of the lines since the last total line
        self.totals = []  # (row, line) of the total lines written so far

    def append(self, line):
        self.row += 1
        if isinstance(line, FooterLine):
            cells = [self._total_cell(index, value) for index, value in enumerate(line)]
            self.totals.append((self.row, line))
            self.block = []
        else:
            cells = [self._value(value) for value in line]
            if self.row > 1:
                self.block.append((self.row, line))
        self.sheet.append(cells)

    def _value(self, value):
        if isinstance(value, Rate):
            cell = WriteOnlyCell(self.sheet, value=float(value) / 100)
            cell.number_format = PERCENT_FORMAT
            return cell
        return _cell(value)

    def _total_cell(self, index, value):
        if isinstance(value, Rate) and value.parts:
            cell = WriteOnlyCell(self.sheet, value=self._quotient(*value.parts))
            cell.number_format = PERCENT_FORMAT
        elif _is_count(value) and self._sums_to(index, value):
            cell = WriteOnlyCell(self.sheet, value=self._sum(index))
        else:
            cell = WriteOnlyCell(self.sheet, value=self._value(value))
        cell.font = BOLD
        return cell

    def _summed_lines(self):
        return self.block or self.totals

    def _sums_to(self, index, value):
        lines = self._summed_lines()
        counts = [line[index] for _row, line in lines if index < len(line)]
        return bool(lines) and all(map(_is_count, counts)) and sum(counts) == value

    def _sum(self, index):
        column = get_column_letter(index + 1)
        if self.block:
            first, last = self.block[0][0], self.block[-1][0]
            return f"=SUM({column}{first}:{column}{last})"
        return "=SUM(" + ",".join(f"{column}{row}" for row, _line in self.totals) + ")"

    def _quotient(self, numerator, denominator):
        top = f"{get_column_letter(numerator + 1)}{self.row}"
        bottom = f"{get_column_letter(denominator + 1)}{self.row}"
        return f'=IF(N({bottom})=0,"",{top}/{bottom})'


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _printable(sheet):
    """Landscape, fit to the page's width, the header row repeated on every page."""
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx_file(lines, title):
    """The lines as an XLSX workbook in a temporary file (rewound), written row by row."""
    workbook = Workbook(write_only=True)  # rows go to disk as they come: memory stays flat
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    _printable(sheet)
    writer = _SheetWriter(sheet)
    for line in lines:
        writer.append(line)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it once sent)
    workbook.save(handle)
    handle.seek(0)
    return handle


def xlsx_bytes(lines, title):
    with xlsx_file(lines, title) as handle:
        return handle.read()


def download(lines, fmt, filename):
    """An attachment response streaming the lines as CSV or XLSX."""
    name = f"{filename}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(lines), content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        xlsx_file(lines, filename), as_attachment=True, filename=name, content_type=FORMATS[fmt]
    )
