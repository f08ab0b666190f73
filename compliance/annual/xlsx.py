"""The annual report as an Excel workbook: the same rows and totals as its PDF.

Built with the Appendix IX workbook's helpers (compliance/reports/xlsx.py): every
cell through registry.spreadsheets.safe_cell, dates as dates.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from compliance.annual import labels
from compliance.reports import xlsx as base
from registry.spreadsheets import safe_cell

DATE_FORMAT = "DD/MM/YYYY"


def _summary_sheet(sheet, report):
    sheet.title = _("Summary")
    base._title(sheet, labels.title(report.year), report.unit.name, report.as_of)
    base._append(sheet, [labels.period_text(report)])
    base._append(sheet, [labels.security_rules_text(report)])
    sheet.append([])
    base._header(sheet, [_("Figure"), _("Systems")])
    for label, count in labels.summary(report):
        base._append(sheet, [label, count])
    sheet.append([])
    base._append(sheet, [labels.method_note(report)])
    base._widths(sheet, [48, 12])


def _systems_sheet(sheet, report, progress):
    sheet.title = _("Systems")
    headers = labels.system_headers()
    decision = [_("Decision number"), _("Decision date"), _("Signing authority")]
    base._header(sheet, headers[:6] + decision + headers[7:])
    total = len(report.lines) or 1
    for number, line in enumerate(report.lines, start=1):
        sheet.append(
            [number]
            + [safe_cell(text) for text in (line.code, line.name, line.owner)]
            + [line.proposed_level, line.approved_level]
            + [safe_cell(line.decision_number), line.decision_date, line.decision_authority]
            + [labels.deployment_text(line.deployment), line.inspected_on]
        )
        if progress is not None and number % 500 == 0:
            progress(number / total)
    for column in ("H", "K"):
        for cell in sheet[column][1:]:
            cell.number_format = DATE_FORMAT
    base._widths(sheet, [6, 16, 50, 30, 10, 10, 18, 12, 24, 18, 14])


def annual_xlsx(report, progress=None):
    workbook = Workbook()
    _summary_sheet(workbook.active, report)
    _systems_sheet(workbook.create_sheet(), report, progress)
    return base._save(workbook)
