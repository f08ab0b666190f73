"""The annual report as an Excel workbook: the same rows and totals as its PDF.

Built with the Appendix IX workbook's helpers (compliance/reports/xlsx.py): every
cell through registry.spreadsheets.safe_cell, dates as dates.
"""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from compliance.annual import labels
from compliance.reports import xlsx as base


def _summary_sheet(workbook, report):
    sheet = base._Sheet(workbook, _("Summary"), widths=[48, 12])
    base._title(sheet, labels.title(report.year), report.unit.name, report.as_of)
    sheet.append([labels.period_text(report)])
    sheet.append([labels.security_rules_text(report)])
    sheet.append([])
    sheet.header([_("Figure"), _("Systems")])
    for label, count in labels.summary(report):
        sheet.append([label, count])
    sheet.append([])
    sheet.append([labels.method_note(report)])


def _systems_sheet(workbook, report, progress):
    widths = [6, 16, 50, 30, 10, 10, 18, 12, 24, 18, 14]
    sheet = base._Sheet(workbook, _("Systems"), widths=widths)
    headers = labels.system_headers()
    decision = [_("Decision number"), _("Decision date"), _("Signing authority")]
    sheet.header(headers[:6] + decision + headers[7:])
    total = len(report.lines) or 1
    for number, line in enumerate(report.lines, start=1):
        sheet.append(  # the sheet writes dates with the date format, text through safe_cell
            [number, line.code, line.name, line.owner, line.proposed_level, line.approved_level]
            + [line.decision_number, line.decision_date, line.decision_authority]
            + [labels.deployment_text(line.deployment), line.inspected_on]
        )
        if progress is not None and number % 500 == 0:
            progress(number / total)


def annual_xlsx(report, progress=None):
    workbook = Workbook(write_only=True)  # rows stream to disk, as the Appendix IX workbook
    _summary_sheet(workbook, report)
    _systems_sheet(workbook, report, progress)
    return base._save(workbook)
