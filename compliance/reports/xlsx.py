"""The same Appendix IX tables as an Excel workbook, for officers who re-type them elsewhere.

Every cell goes through registry.spreadsheets.safe_cell (a unit or system name
starting with '=' stays text). Rates are stored as the printed whole percent
(e.g. 0.83 shown as 83%), so the workbook shows what the PDF shows.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from compliance.rates import percent
from compliance.reports import content
from compliance.unit_names import own_systems_name
from registry.spreadsheets import safe_cell

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
LOW_ROW = PatternFill("solid", fgColor="F8D7DA")
LOW_CELL = PatternFill("solid", fgColor="FFE5B4")
HEADER = PatternFill("solid", fgColor="E9ECEF")
RATE_COLUMNS = (2, 4, 5)  # positions of the rates in content.figure_values


def _figure_cells(figures):
    values = content.figure_values(figures)
    return [
        (content.NO_RATE if value is None else float(value) / 100)
        if index in RATE_COLUMNS
        else value
        for index, value in enumerate(values)
    ]


def _append(sheet, values, font=None, fill=None, percent_format="0%"):
    sheet.append([safe_cell(value) for value in values])
    row = sheet[sheet.max_row]
    for cell in row:
        if isinstance(cell.value, float):
            cell.number_format = percent_format
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
    return row


def _header(sheet, labels):
    for cell in _append(sheet, labels, font=BOLD, fill=HEADER):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{sheet.max_row + 1}"


def _widths(sheet, widths):
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _title(sheet, title, subtitle, as_of):
    _append(sheet, [title], font=TITLE)
    if subtitle:
        _append(sheet, [subtitle])
    _append(sheet, [_("As of %(date)s") % {"date": content.date_text(as_of)}])
    sheet.append([])


def _unit_row(sheet, number, figures, label=None):
    note = "" if figures.has_systems else _("no systems declared")
    row = _append(sheet, [number, label or figures.unit.name, *_figure_cells(figures), note])
    if figures.below_50_approval:
        for cell in row:
            cell.fill = LOW_ROW
    if figures.below_50_deployment:
        row[6].fill = LOW_CELL


def _figure_header(sheet):
    _header(sheet, [_("No."), _("Unit"), *content.figure_headers(), _("Note")])
    _widths(sheet, [6, 48, 12, 12, 12, 12, 12, 12, 24])


def _national_sheet(sheet, report):
    sheet.title = _("Appendix IX")
    _title(
        sheet,
        _("Appendix IX"),
        _("Number of information systems whose security level is to be approved and deployed"),
        report.as_of,
    )
    _figure_header(sheet)
    for section in report.sections:
        _append(sheet, [section.number, section.title], font=BOLD)
        for number, row in enumerate(section.rows, start=1):
            _unit_row(sheet, number, row)
        label = _("Total %(section)s") % {"section": section.number}
        _append(sheet, ["", label, *_figure_cells(section.block)], font=BOLD)
    _append(sheet, ["", _("National total"), *_figure_cells(report.national)], font=BOLD)
    sheet.append([])
    for line in content.below_50_lines(report.national):
        _append(sheet, ["", line])
    _append(sheet, ["", content.method_note()])
    if report.not_counted:
        _append(sheet, ["", content.not_counted_text(report.not_counted)])


def _levels_sheet(sheet, figures):
    sheet.title = _("Levels")
    _header(sheet, [_("Level"), _("Systems"), _("Share")])
    for label, count, _share in content.level_mix(figures):
        share = percent(count, figures.total, places=1)
        share = content.NO_RATE if share is None else float(share) / 100
        _append(sheet, [label, count, share], percent_format="0.0%")
    _widths(sheet, [24, 12, 12])


def _deadlines_sheet(sheet, lines):
    sheet.title = _("Deadlines")
    _header(
        sheet,
        [_("Deadline"), _("Legal basis"), _("Requirement"), _("Due"), _("Status"), _("Missed by")],
    )
    for line in lines:
        _append(
            sheet,
            [
                line.name,
                line.legal_basis,
                line.requirement,
                line.due_date,
                line.state,
                "; ".join(line.missed_by),
            ],
        )
    for cell in sheet["D"][1:]:
        cell.number_format = "DD/MM/YYYY"
    _widths(sheet, [40, 30, 40, 12, 22, 60])


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def national_xlsx(report, progress=None):
    workbook = Workbook()
    _national_sheet(workbook.active, report)
    _levels_sheet(workbook.create_sheet(), report.national)
    _deadlines_sheet(workbook.create_sheet(), report.deadlines)
    return _save(workbook)


def _comparison_sheet(sheet, report):
    sheet.title = _("Figures")
    _title(sheet, _("Compliance report"), report.unit.name, report.as_of)
    _header(sheet, [_("Figure"), report.unit.name, _("Group total"), _("National total")])
    blocks = [report.figures, report.group, report.national]
    columns = [_figure_cells(block) for block in blocks]
    for index, label in enumerate(content.figure_headers()):
        _append(sheet, [label, *(column[index] for column in columns)])
    for level in range(1, 6):
        label = _("Level %(level)s") % {"level": level}
        _append(sheet, [label, *(block.levels[level] for block in blocks)])
    _widths(sheet, [28, 20, 16, 16])


def _subunits_sheet(sheet, report):
    sheet.title = _("Subordinate units")
    _figure_header(sheet)
    for number, row in enumerate(report.subunits, start=1):
        label = None
        if row.unit.pk == report.unit.pk:
            label = own_systems_name(row.unit)
        _unit_row(sheet, number, row, label)


def _outstanding_sheet(sheet, report, progress):
    sheet.title = _("Outstanding systems")
    headers = content.outstanding_headers()
    _header(sheet, headers[:5] + [_("Decision number"), _("Decision date"), headers[6]])
    total = len(report.outstanding) or 1
    for number, line in enumerate(report.outstanding, start=1):
        sheet.append(
            [
                number,
                safe_cell(line.code),
                safe_cell(line.name),
                line.level,
                safe_cell(line.dossier_status),
                safe_cell(line.decision_number),
                line.decision_date,
                safe_cell(line.deployment),
            ]
        )
        if progress is not None and number % 500 == 0:
            progress(number / total)
    for cell in sheet["G"][1:]:
        cell.number_format = "DD/MM/YYYY"
    _widths(sheet, [6, 16, 60, 8, 22, 20, 14, 16])


def unit_xlsx(report, progress=None):
    workbook = Workbook()
    _comparison_sheet(workbook.active, report)
    _subunits_sheet(workbook.create_sheet(), report)
    _outstanding_sheet(workbook.create_sheet(), report, progress)
    _deadlines_sheet(workbook.create_sheet(), report.deadlines)
    return _save(workbook)
