"""Appendix IX reports as A4 PDFs with reportlab.

Text is set in DejaVu Sans, embedded from compliance/reports/fonts/ (full
Vietnamese coverage, Bitstream Vera licence); the built-in Helvetica is never
used, not even for the canvas's initial font. Output is invariant (no creation
time or random id in the file), so the same parameters give the same bytes.
"""

import io
from functools import lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors, fonts
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from compliance.reports import content
from compliance.reports.enclosure import enclosure_line
from compliance.unit_names import own_systems_name

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MARGIN = 15 * mm
LEGEND_Y = 14 * mm  # the colour legend's line, above the footer's (9 mm)
LOW_ROW = colors.HexColor("#f8d7da")  # below 50% approval
LOW_CELL = colors.HexColor("#ffe5b4")  # below 50% deployment
SECTION_ROW = colors.HexColor("#e9ecef")
TOTAL_ROW = colors.HexColor("#dee2e6")
GRID = colors.HexColor("#6c757d")
# Columns (points, 510 fit between A4 margins): No., unit, then the six figures.
FIGURE_WIDTHS = [22, 166] + [54] * 6
OUTSTANDING_WIDTHS = [24, 58, 154, 32, 76, 84, 82]
ROWS_PER_PAGE = 45  # for the progress estimate only
CELL_FONT_SIZE = 7.5
HEADER_FONT_SIZE = 7
CELL_LEADING = 9
CELL_PADDING = 3


def register_fonts():
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    # Italic maps to the upright faces so that no markup can fall back to Helvetica;
    # the upright mappings go last so that the faces themselves read as upright.
    for bold, italic, face in ((0, 1, FONT), (1, 1, FONT_BOLD), (0, 0, FONT), (1, 0, FONT_BOLD)):
        fonts.addMapping(FONT, bold, italic, face)


def _styles():
    register_fonts()  # before any Paragraph is made: they resolve their font when created
    # No paragraph leaves a lone first or last line on a page: a 17th page held only "50%.".
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=8, leading=10, allowWidows=0, allowOrphans=0
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", body, fontName=FONT_BOLD, fontSize=13, leading=17, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle("subtitle", body, fontSize=10, leading=13, alignment=TA_CENTER),
        "enclosure": ParagraphStyle(
            "enclosure", body, fontSize=9, leading=12, alignment=TA_CENTER, spaceAfter=2
        ),
        "heading": ParagraphStyle(
            "heading",
            body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            keepWithNext=1,
        ),
        "th": ParagraphStyle("th", body, fontName=FONT_BOLD, fontSize=7, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", body, fontSize=7.5, leading=9),
        "bold": ParagraphStyle("bold", body, fontName=FONT_BOLD),
        "number": ParagraphStyle("number", body, alignment=TA_RIGHT),
    }


class NumberedCanvas(canvas.Canvas):
    """Holds the pages back until the end so that each can say 'page X of Y'; every page
    also carries the colour legend, so it is always on the page of the coloured rows."""

    footer = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total):
        width, _height = self._pagesize
        self._draw_legend()
        self.setFont(FONT, 7.5)
        self.setFillColor(GRID)
        self.drawString(MARGIN, 9 * mm, self.footer)
        label = _("Page %(page)s of %(pages)s") % {"page": self._pageNumber, "pages": total}
        self.drawRightString(width - MARGIN, 9 * mm, label)

    def _draw_legend(self):
        """A swatch of each highlight colour, then what they mean, above the footer."""
        x, y, side = MARGIN, LEGEND_Y, 2.6 * mm
        for colour in (LOW_ROW, LOW_CELL):
            self.setFillColor(colour)
            self.setStrokeColor(GRID)
            self.rect(x, y - 0.5 * mm, side, side, stroke=1, fill=1)
            x += side + 1 * mm
        self.setFont(FONT, 7)
        self.setFillColor(colors.black)
        self.drawString(x + 1 * mm, y, legend_text())


def legend_text():
    # The msgid keeps the catalog's "%%" (a python-format string); formatting with no
    # values turns it into one "%", where printing it raw showed "50%%".
    legend = _("Shaded rows: approval below 50%%; shaded deployment rate: deployment below 50%%.")
    return legend % {}


def _canvas_class(footer):
    return type("ReportCanvas", (NumberedCanvas,), {"footer": footer})


def _render(story, title, footer, progress=None, estimated_pages=1):
    """The PDF bytes; `progress(fraction)` hears of each page laid out."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 8 * mm,  # the legend and the footer
        title=title,
        author=_("Security level compliance"),
        lang="vi",
        invariant=1,
        initialFontName=FONT,
        initialFontSize=8,
    )
    if progress is not None:
        doc.setProgressCallBack(partial(_on_progress, progress, max(estimated_pages, 1)))
    doc.build(story, canvasmaker=_canvas_class(footer))
    return buffer.getvalue()


def _on_progress(progress, estimated_pages, kind, value):
    if kind == "PAGE":
        progress(min(value / estimated_pages, 1.0))


def _p(text, style):
    return Paragraph(escape(str(text)), style)


def _header_row(labels, widths):
    """Column titles, bold and centred (_grid_style sets their font and alignment)."""
    return [wrapped(label, width, FONT_BOLD) for label, width in zip(labels, widths, strict=True)]


def _grid_style(header_rows=1):
    return [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_FONT_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, header_rows), (-1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SECTION_ROW),
        ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, HEADER_FONT_SIZE),
        ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
    ]


def _text_grid_style():
    """The grid of a table of text: its header centred, its cells left-aligned."""
    return [c for c in _grid_style() if c[0] != "ALIGN" or c[1] == (0, 0)]


def _title_block(title, subtitle, as_of, styles, enclosure=None):
    """Title, subtitle, date, and the line naming the report this one is attached to."""
    block = [_p(title, styles["title"]), _p(subtitle, styles["subtitle"])]
    if enclosure is not None:
        block.append(_p(enclosure_line(enclosure), styles["enclosure"]))
    block.append(_p(_("As of %(date)s") % {"date": content.date_text(as_of)}, styles["subtitle"]))
    return block + [Spacer(1, 4 * mm)]


def _notes(styles, *texts):
    """The closing notes, kept on one page with their heading: never a page of one tail."""
    paragraphs = [_p(text, styles["body"]) for text in texts]
    return [KeepTogether([_p(_("Notes"), styles["heading"]), *paragraphs])]


def _unit_cell(row, width=FIGURE_WIDTHS[1]):
    text = row.unit.name
    if not row.has_systems:
        text += "\n(" + _("no systems declared") + ")"
    return wrapped(text, width)


@lru_cache(maxsize=8192)
def wrapped(text, width, font=FONT, size=CELL_FONT_SIZE):
    """Text broken into lines that fit a column, as a plain table cell: several times cheaper
    to lay out than a Paragraph, and drawn in the table's font. Cached: statuses and decision
    texts repeat on thousands of rows."""
    register_fonts()
    usable = width - 2 * CELL_PADDING
    lines = []
    for paragraph in str(text).split("\n"):
        lines += simpleSplit(paragraph, font, size, usable) or [""]
    return "\n".join(lines)


def highlight_commands(index, figures):
    """Table style for a unit's row: the row when below 50% approval, the deployment cell
    when below 50% deployment (units with no systems count as both)."""
    commands = []
    if figures.below_50_approval:
        commands.append(("BACKGROUND", (0, index), (-1, index), LOW_ROW))
    if figures.below_50_deployment:
        commands.append(("BACKGROUND", (6, index), (6, index), LOW_CELL))
    return commands


def _total_row(label, figures, styles):
    return ["", _p(label, styles["bold"])] + content.figure_texts(figures)


def _total_commands(index):
    return [
        ("BACKGROUND", (0, index), (-1, index), TOTAL_ROW),
        ("FONT", (0, index), (-1, index), FONT_BOLD, 7.5),
    ]


def national_table(report, styles):
    """Sections I and II with their totals and the national total; the header repeats."""
    data = [_header_row([_("No."), _("Unit")] + content.figure_headers(), FIGURE_WIDTHS)]
    commands = _grid_style()
    for section in report.sections:
        index = len(data)
        data.append([section.number, _p(section.title, styles["bold"])] + [""] * 6)
        commands += [
            ("SPAN", (1, index), (-1, index)),
            ("BACKGROUND", (0, index), (-1, index), SECTION_ROW),
        ]
        for number, row in enumerate(section.rows, start=1):
            commands += highlight_commands(len(data), row)
            data.append([str(number), _unit_cell(row)] + content.figure_texts(row))
        commands += _total_commands(len(data))
        label = _("Total %(section)s") % {"section": section.number}
        data.append(_total_row(label, section.block, styles))
    commands += _total_commands(len(data))
    data.append(_total_row(_("National total"), report.national, styles))
    return Table(data, colWidths=FIGURE_WIDTHS, repeatRows=1, style=TableStyle(commands))


def _simple_table(headers, rows, widths, right_aligned_from=None):
    """A small table of wrapped text cells; the columns from `right_aligned_from` on hold
    numbers, aligned right."""
    data = [_header_row(headers, widths)] + [
        [wrapped(cell, width) for cell, width in zip(row, widths, strict=True)] for row in rows
    ]
    commands = _text_grid_style()
    if right_aligned_from is not None:
        commands.append(("ALIGN", (right_aligned_from, 1), (-1, -1), "RIGHT"))
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(commands))


def _level_mix_table(figures, styles):
    rows = [[label, str(count), share] for label, count, share in content.level_mix(figures)]
    headers = [_("Level"), _("Systems"), _("Share")]
    return _simple_table(headers, rows, [120, 70, 70], right_aligned_from=1)


def _deadline_story(lines, styles):
    if not lines:
        return [_p(_("No active deadlines."), styles["body"])]
    headers = [_("Deadline"), _("Legal basis"), _("Requirement"), _("Due"), _("Status")]
    rows = [
        [
            line.name,
            line.legal_basis,
            line.requirement,
            content.date_text(line.due_date),
            line.state,
        ]
        for line in lines
    ]
    story = [_simple_table(headers, rows, [120, 105, 135, 60, 90])]
    for line in lines:
        if line.missed_by:
            text = _("Missed “%(deadline)s” (%(count)s): %(units)s.") % {
                "deadline": line.name,
                "count": len(line.missed_by),
                "units": "; ".join(line.missed_by),
            }
            story += [Spacer(1, 2 * mm), _p(text, styles["body"])]
    return story


def national_story(report, enclosure=None):
    styles = _styles()
    national = report.national
    story = _title_block(
        _("Appendix IX"),
        _("Number of information systems whose security level is to be approved and deployed"),
        report.as_of,
        styles,
        enclosure,
    )
    story += [national_table(report, styles)]
    story += [_p(_("Units below 50%"), styles["heading"])]
    story += [_p(line, styles["body"]) for line in content.below_50_lines(national)]
    story += [_p(_("Systems by security level"), styles["heading"])]
    story += [_level_mix_table(national, styles)]
    story += [_p(_("Deadlines"), styles["heading"])] + _deadline_story(report.deadlines, styles)
    notes = [content.method_note()]
    if report.not_counted:
        notes.append(content.not_counted_text(report.not_counted))
    return story + _notes(styles, *notes)


def national_pdf(report, progress=None, enclosure=None):
    title = _("Appendix IX — national summary")
    footer = f"{title} — {content.date_text(report.as_of)}"
    pages = 3 + len(report.rows) // ROWS_PER_PAGE
    return _render(national_story(report, enclosure), title, footer, progress, pages)


def _comparison_table(report, styles):
    """The unit beside its reporting group and the nation, figure by figure."""
    headers = [_("Figure"), report.unit.name, _("Group total"), _("National total")]
    blocks = [report.figures, report.group, report.national]
    columns = [
        content.figure_texts(block) + [str(block.levels[level]) for level in range(1, 6)]
        for block in blocks
    ]
    labels = content.figure_headers() + [
        _("Level %(level)s") % {"level": level} for level in range(1, 6)
    ]
    rows = [[label] + [column[i] for column in columns] for i, label in enumerate(labels)]
    return _simple_table(headers, rows, [130, 130, 110, 110], right_aligned_from=1)


def _subunit_table(report, styles):
    data = [_header_row([_("No."), _("Unit")] + content.figure_headers(), FIGURE_WIDTHS)]
    commands = _grid_style()
    for number, row in enumerate(report.subunits, start=1):
        label = _unit_cell(row)
        if row.unit.pk == report.unit.pk:
            label = wrapped(own_systems_name(row.unit), FIGURE_WIDTHS[1])
        commands += highlight_commands(len(data), row)
        data.append([str(number), label] + content.figure_texts(row))
    return Table(data, colWidths=FIGURE_WIDTHS, repeatRows=1, style=TableStyle(commands))


def outstanding_table(lines, styles):
    """Every outstanding system; a LongTable so that thousands of rows lay out in linear time."""
    data = [_header_row(content.outstanding_headers(), OUTSTANDING_WIDTHS)]
    _number, _code, name, _level, status, decision, deployment = OUTSTANDING_WIDTHS
    for number, line in enumerate(lines, start=1):
        data.append(
            [
                str(number),
                line.code,
                wrapped(line.name, name),
                "" if line.level is None else str(line.level),
                wrapped(line.dossier_status, status),
                wrapped(content.decision_text(line), decision),
                wrapped(line.deployment, deployment),
            ]
        )
    commands = _text_grid_style()
    commands.append(("ALIGN", (3, 1), (3, -1), "CENTER"))
    return LongTable(data, colWidths=OUTSTANDING_WIDTHS, repeatRows=1, style=commands)


def unit_story(report, enclosure=None):
    styles = _styles()
    story = _title_block(_("Compliance report"), report.unit.name, report.as_of, styles, enclosure)
    story += [_p(_("The unit beside the national figures"), styles["heading"])]
    story += [_comparison_table(report, styles)]
    story += [_p(_("Subordinate units"), styles["heading"]), _subunit_table(report, styles)]
    story += [_p(_("Deadlines"), styles["heading"])] + _deadline_story(report.deadlines, styles)
    heading = _("Outstanding systems (%(count)s)") % {"count": len(report.outstanding)}
    story += [_p(heading, styles["heading"])]
    if report.outstanding:
        story.append(outstanding_table(report.outstanding, styles))
    else:
        story.append(_p(_("Every system is approved and fully deployed."), styles["body"]))
    return story + _notes(styles, content.method_note())


def unit_pdf(report, progress=None, enclosure=None):
    title = _("Compliance report — %(unit)s") % {"unit": report.unit.name}
    footer = f"{title} — {content.date_text(report.as_of)}"
    pages = 2 + (len(report.outstanding) + len(report.subunits)) // ROWS_PER_PAGE
    return _render(unit_story(report, enclosure), title, footer, progress, pages)
