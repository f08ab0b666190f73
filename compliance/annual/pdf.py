"""The annual report as an A4 PDF in the layout of an official report.

Built with the Appendix IX PDF's fonts, styles, page footer and table conventions
(compliance/reports/pdf.py): DejaVu Sans embedded, invariant output.
"""

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, Spacer, Table, TableStyle

from compliance.annual import labels
from compliance.reports import pdf as base
from compliance.reports.content import date_text

SYSTEM_WIDTHS = [22, 54, 110, 70, 30, 30, 86, 58, 50]
SUMMARY_WIDTHS = [300, 80]
ROWS_PER_PAGE = 40  # for the progress estimate only


def _styles():
    styles = base._styles()
    centered = ParagraphStyle("centered", styles["body"], fontSize=9, leading=12)
    centered.alignment = TA_CENTER
    styles["centered"] = centered
    styles["centered_bold"] = ParagraphStyle("centered_bold", centered, fontName=base.FONT_BOLD)
    return styles


def _heading_block(report, styles):
    """The two-column heading of an official document: the issuing unit on the left, the
    national motto and the place and date (left blank to be filled in on signing) right."""
    left = [
        base._p(report.unit.name.upper(), styles["centered_bold"]),
        base._p(_("No.: ........"), styles["centered"]),
    ]
    right = [
        base._p(_("SOCIALIST REPUBLIC OF VIETNAM"), styles["centered_bold"]),
        base._p(_("Independence - Freedom - Happiness"), styles["centered_bold"]),
        base._p(_("........, date ........"), styles["centered"]),
    ]
    return Table([[left, right]], colWidths=[220, 290], style=_plain_table_style())


def _title_block(report, styles):
    period = labels.period_text(report)
    return [
        Spacer(1, 6 * mm),
        base._p(_("REPORT"), styles["title"]),
        base._p(labels.title(report.year), styles["subtitle"]),
        base._p(period, styles["subtitle"]),
        Spacer(1, 2 * mm),
        base._p(_("To: the national authority for information security"), styles["subtitle"]),
        Spacer(1, 4 * mm),
    ]


def _summary_table(report, styles):
    rows = [[label, str(value)] for label, value in labels.summary(report)]
    headers = [_("Figure"), _("Systems")]
    return base._simple_table(headers, rows, SUMMARY_WIDTHS, right_aligned_from=1)


def _system_table(report, styles):
    """Every system; a LongTable so that thousands of rows lay out in linear time."""
    cell = styles["cell"]
    data = [base._header_row(labels.system_headers(), SYSTEM_WIDTHS)]
    for number, line in enumerate(report.lines, start=1):
        data.append(
            [str(number)]
            + [Paragraph(escape(str(text)), cell) for text in labels.system_cells(line)]
        )
    commands = [c for c in base._grid_style() if c[0] != "ALIGN"]
    commands.append(("ALIGN", (4, 1), (5, -1), "CENTER"))
    return LongTable(data, colWidths=SYSTEM_WIDTHS, repeatRows=1, style=commands)


def _signature_block(styles):
    block = [
        base._p(_("HEAD OF THE REPORTING UNIT"), styles["centered_bold"]),
        base._p(_("(signature, full name and seal)"), styles["centered"]),
    ]
    return Table([["", block]], colWidths=[260, 250], style=_plain_table_style())


def _plain_table_style():
    """No grid; the embedded font even for empty cells, so Helvetica is never named."""
    return TableStyle([("FONT", (0, 0), (-1, -1), base.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")])


def annual_story(report):
    styles = _styles()
    story = [_heading_block(report, styles)] + _title_block(report, styles)
    story += [base._p(_("I. Internal security rules"), styles["heading"])]
    story += [base._p(labels.security_rules_text(report), styles["body"])]
    story += [base._p(_("II. Summary"), styles["heading"]), _summary_table(report, styles)]
    heading = _("III. Information systems (%(count)s)") % {"count": report.totals.total}
    story += [base._p(heading, styles["heading"])]
    if report.lines:
        story.append(_system_table(report, styles))
    else:
        story.append(base._p(_("No systems were declared on that date."), styles["body"]))
    story += [Spacer(1, 3 * mm), base._p(labels.method_note(report), styles["body"])]
    story += [Spacer(1, 8 * mm), _signature_block(styles)]
    return story


def annual_pdf(report, progress=None):
    title = labels.title(report.year)
    footer = f"{title} — {report.unit.name} — {date_text(report.as_of)}"
    pages = 2 + len(report.lines) // ROWS_PER_PAGE
    return base._render(annual_story(report), title, footer, progress, pages)
