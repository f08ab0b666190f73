"""The same Appendix IX tables as an Excel workbook, for officers who re-type them elsewhere.

Every cell goes through registry.spreadsheets.safe_cell (a unit or system name
starting with '=' stays text); only the formulas this module writes are formulas. Rates are
numbers with a percent format, at the printed whole percent (0.83 shown as 83%), so the
workbook shows what the PDF shows. Total lines are live formulas (sums of the rows above,
rates as their quotients), and every sheet prints landscape, fit to the page's width, with
its header row repeated on each page. Written in openpyxl's write-only mode.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from compliance.rates import percent
from compliance.reports import content
from compliance.unit_names import own_systems_name
from registry.spreadsheets import safe_cell

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
LOW_ROW = PatternFill("solid", fgColor="F8D7DA")
LOW_CELL = PatternFill("solid", fgColor="FFE5B4")
HEADER = PatternFill("solid", fgColor="E9ECEF")
WRAPPED = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD/MM/YYYY"
RATE_COLUMNS = (2, 4, 5)  # positions of the rates in content.figure_values
# A rate's (numerator, denominator) positions in content.figure_values: a total line's rate
# is their quotient, rounded half-up to a whole percent as printed.
RATE_PARTS = {2: (1, 0), 4: (3, 0), 5: (3, 1)}
FIRST_FIGURE_COLUMN = 3  # C: after the number and the unit


def _figure_cells(figures):
    values = content.figure_values(figures)
    return [
        (content.NO_RATE if value is None else float(value) / 100)
        if index in RATE_COLUMNS
        else value
        for index, value in enumerate(values)
    ]


class _Sheet:
    """A write-only sheet (rows stream to disk as they are appended) that knows its row
    number, so that total lines can refer to the rows above them."""

    def __init__(self, workbook, title, widths=()):
        self.sheet = workbook.create_sheet(title[:31])
        self.row = 0
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        _printable(self.sheet)

    def append(self, values, font=None, fill=None, percent_format="0%", fills=None):
        """Append a row; `fills` gives some cells a fill of their own ({position: fill})."""
        self.row += 1
        cells = []
        for index, value in enumerate(values):
            cell_fill = (fills or {}).get(index, fill)
            cells.append(self._cell(value, font, cell_fill, percent_format))
        self.sheet.append(cells)
        return self.row

    def _cell(self, value, font, fill, percent_format):
        is_formula = isinstance(value, Formula)
        value = value if is_formula else safe_cell(value)
        number_format = percent_format if isinstance(value, float) else None
        if is_formula:
            number_format = value.number_format
        elif hasattr(value, "year"):
            number_format = DATE_FORMAT
        if not (font or fill or number_format):
            return value
        cell = WriteOnlyCell(self.sheet, value=str(value) if is_formula else value)
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        return cell

    def header(self, labels):
        """The column titles: bold, wrapped, frozen and repeated at the top of every page."""
        self.sheet.freeze_panes = f"A{self.row + 2}"
        self.sheet.print_title_rows = f"{self.row + 1}:{self.row + 1}"
        row = self.row + 1
        cells = []
        for label in labels:
            cell = WriteOnlyCell(self.sheet, value=safe_cell(label))
            cell.font, cell.fill, cell.alignment = BOLD, HEADER, WRAPPED
            cells.append(cell)
        self.sheet.append(cells)
        self.row = row
        return row


class Formula(str):
    """A formula the workbook writes itself (never a value from the data)."""

    number_format = None

    @classmethod
    def percent(cls, text):
        formula = cls(text)
        formula.number_format = "0%"
        return formula


def _printable(sheet):
    """Landscape, fit to the page's width (as many pages down as needed)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def total_formulas(row, rows):
    """Live figure cells of a total line on `row`: each count the sum of the same column over
    `rows` (a (first, last) range, or a list of rows), each rate its quotient on that line."""
    cells = []
    for index in range(len(content.figure_headers())):
        if index in RATE_PARTS:
            top, bottom = (_figure_column(part) for part in RATE_PARTS[index])
            cells.append(
                Formula.percent(
                    f'=IF(N({bottom}{row})=0,"{content.NO_RATE}",ROUND({top}{row}/{bottom}{row},2))'
                )
            )
        else:
            column = _figure_column(index)
            if isinstance(rows, tuple):
                cells.append(Formula(f"=SUM({column}{rows[0]}:{column}{rows[1]})"))
            else:
                cells.append(Formula("=SUM(" + ",".join(f"{column}{r}" for r in rows) + ")"))
    return cells


def _figure_column(index):
    return get_column_letter(FIRST_FIGURE_COLUMN + index)


def _title(sheet, title, subtitle, as_of):
    sheet.append([title], font=TITLE)
    if subtitle:
        sheet.append([subtitle])
    sheet.append([_("As of %(date)s") % {"date": content.date_text(as_of)}])
    sheet.append([])


def _unit_row(sheet, number, figures, label=None):
    note = "" if figures.has_systems else _("no systems declared")
    values = [number, label or figures.unit.name, *_figure_cells(figures), note]
    fill = LOW_ROW if figures.below_50_approval else None
    fills = {6: LOW_CELL} if figures.below_50_deployment else None
    return sheet.append(values, fill=fill, fills=fills)


def _figure_header(sheet):
    sheet.header([_("No."), _("Unit"), *content.figure_headers(), _("Note")])


FIGURE_WIDTHS = [6, 48, 12, 12, 12, 12, 12, 12, 24]


def _national_sheet(workbook, report):
    sheet = _Sheet(workbook, _("Appendix IX"), FIGURE_WIDTHS)
    _title(
        sheet,
        _("Appendix IX"),
        _("Number of information systems whose security level is to be approved and deployed"),
        report.as_of,
    )
    _figure_header(sheet)
    section_totals = []
    for section in report.sections:
        sheet.append([section.number, section.title], font=BOLD)
        rows = [_unit_row(sheet, number, row) for number, row in enumerate(section.rows, 1)]
        label = _("Total %(section)s") % {"section": section.number}
        if rows:
            figures = total_formulas(sheet.row + 1, (rows[0], rows[-1]))
        else:
            figures = _figure_cells(section.block)
        section_totals.append(sheet.append(["", label, *figures], font=BOLD))
    national = total_formulas(sheet.row + 1, section_totals)
    sheet.append(["", _("National total"), *national], font=BOLD)
    sheet.append([])
    for line in content.below_50_lines(report.national):
        sheet.append(["", line])
    sheet.append(["", content.method_note()])
    if report.not_counted:
        sheet.append(["", content.not_counted_text(report.not_counted)])


def _levels_sheet(workbook, figures):
    sheet = _Sheet(workbook, _("Levels"), [24, 12, 12])
    sheet.header([_("Level"), _("Systems"), _("Share")])
    for label, count, _share in content.level_mix(figures):
        share = percent(count, figures.total, places=1)
        share = content.NO_RATE if share is None else float(share) / 100
        sheet.append([label, count, share], percent_format="0.0%")


def _deadlines_sheet(workbook, lines):
    sheet = _Sheet(workbook, _("Deadlines"), [40, 30, 40, 12, 22, 60])
    sheet.header(
        [_("Deadline"), _("Legal basis"), _("Requirement"), _("Due"), _("Status"), _("Missed by")],
    )
    for line in lines:
        sheet.append(
            [
                line.name,
                line.legal_basis,
                line.requirement,
                line.due_date,
                line.state,
                "; ".join(line.missed_by),
            ],
        )


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def national_xlsx(report, progress=None):
    workbook = Workbook(write_only=True)  # rows stream to disk: no cell objects kept
    _national_sheet(workbook, report)
    _levels_sheet(workbook, report.national)
    _deadlines_sheet(workbook, report.deadlines)
    return _save(workbook)


def _comparison_sheet(workbook, report):
    sheet = _Sheet(workbook, _("Figures"), [28, 20, 16, 16])
    _title(sheet, _("Compliance report"), report.unit.name, report.as_of)
    sheet.header([_("Figure"), report.unit.name, _("Group total"), _("National total")])
    blocks = [report.figures, report.group, report.national]
    columns = [_figure_cells(block) for block in blocks]
    for index, label in enumerate(content.figure_headers()):
        sheet.append([label, *(column[index] for column in columns)])
    for level in range(1, 6):
        label = _("Level %(level)s") % {"level": level}
        sheet.append([label, *(block.levels[level] for block in blocks)])


def _subunits_sheet(workbook, report):
    sheet = _Sheet(workbook, _("Subordinate units"), FIGURE_WIDTHS)
    _figure_header(sheet)
    for number, row in enumerate(report.subunits, start=1):
        label = None
        if row.unit.pk == report.unit.pk:
            label = own_systems_name(row.unit)
        _unit_row(sheet, number, row, label)


def _outstanding_sheet(workbook, report, progress):
    sheet = _Sheet(workbook, _("Outstanding systems"), [6, 16, 60, 8, 22, 20, 14, 16])
    headers = content.outstanding_headers()
    sheet.header(headers[:5] + [_("Decision number"), _("Decision date"), headers[6]])
    total = len(report.outstanding) or 1
    for number, line in enumerate(report.outstanding, start=1):
        sheet.append(
            [
                number,
                line.code,
                line.name,
                line.level,
                line.dossier_status,
                line.decision_number,
                line.decision_date,
                line.deployment,
            ]
        )
        if progress is not None and number % 500 == 0:
            progress(number / total)


def unit_xlsx(report, progress=None):
    workbook = Workbook(write_only=True)  # rows stream to disk: no cell objects kept
    _comparison_sheet(workbook, report)
    _subunits_sheet(workbook, report)
    _outstanding_sheet(workbook, report, progress)
    _deadlines_sheet(workbook, report.deadlines)
    return _save(workbook)
