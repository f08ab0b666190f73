"""CSV and XLSX downloads of the pages' tables: the same table, filters and scope as the page.

Every cell goes through registry.spreadsheets.safe_cell, so a system or unit
name typed as "=HYPERLINK(...)" is shown as text, never run as a formula.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from registry.spreadsheets import safe_cell

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _exported_columns(table):
    # The columns as_values() writes, in its order.
    return [column for column in table.columns.iterall() if not column.column.exclude_from_export]


def footer_line(table):
    """The footer as plain values: the table's footer_value(name) when it has one."""
    value = getattr(table, "footer_value", None)
    return [
        _plain(value(column.name) if value else column.footer)
        for column in _exported_columns(table)
    ]


def table_lines(table):
    """Header and rows of a django-tables2 table as plain values, then its footer if any."""
    lines = [list(line) for line in table.as_values()]
    if table.has_footer():
        lines.append(footer_line(table))
    return lines


def _plain(value):
    return "" if value is None else value


def _cell(value):
    if isinstance(value, str | int | float | Decimal | datetime.date) or value is None:
        return safe_cell(value)
    return safe_cell(str(value))


def csv_bytes(lines):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow(["" if value is None else _cell(value) for value in line])
    # A BOM so that Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(lines, title):
    workbook = Workbook(write_only=True)  # streams rows: several times faster on big tables
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for line in lines:
        sheet.append([_cell(value) for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(lines, fmt, filename):
    """An attachment response holding the lines as CSV or XLSX."""
    body = csv_bytes(lines) if fmt == "csv" else xlsx_bytes(lines, filename)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
