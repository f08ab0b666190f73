"""Reports benchmarks: the national and the largest unit's PDF against a bare reportlab table
of the same rows (same embedded font, plain strings, no styling), and their query counts.

The bare side gets its rows ready-made; the product side reads them from the database,
so the ratio is the whole price of the report over the cheapest PDF of the same rows.
"""

import datetime
import io

from django.db.models import Count
from reportlab.lib.pagesizes import A4
from reportlab.platypus import LongTable, SimpleDocTemplate

from bench.common import best_of, count_queries
from compliance.reports import content, pdf
from compliance.reports.generation import build
from registry.models import InformationSystem, Unit

AS_OF = datetime.date(2024, 6, 30)


def _bare_pdf(rows):
    pdf.register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=pdf.FONT, invariant=1)
    style = [("FONT", (0, 0), (-1, -1), pdf.FONT, 7.5)]
    doc.build([LongTable(rows, repeatRows=1, style=style)])
    return buffer.getvalue()


def _national_rows():
    report = content.national_report(AS_OF)
    header = ["No.", "Unit", *content.figure_headers()]
    return [header] + [
        [str(number), row.unit.name, *content.figure_texts(row)]
        for number, row in enumerate(report.rows, start=1)
    ]


def _unit_rows(unit):
    report = content.unit_report(unit, AS_OF)
    return [content.outstanding_headers()] + [
        [
            str(number),
            line.code,
            line.name,
            str(line.level or ""),
            line.dossier_status,
            content.decision_text(line),
            line.deployment,
        ]
        for number, line in enumerate(report.outstanding, start=1)
    ]


def largest_unit():
    """The reporting unit with the most systems (Thanh Hóa in the baseline)."""
    top = (
        InformationSystem.objects.values("owner__reporting_unit")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()
    )
    return Unit.objects.get(pk=top["owner__reporting_unit"])


def run(ctx):
    national_rows = _national_rows()
    ctx.compare(
        "national PDF vs bare reportlab table",
        lambda: build(None, AS_OF, "pdf"),
        lambda: _bare_pdf(national_rows),
        target=2,
    )
    ctx.report("national PDF queries", count_queries(lambda: build(None, AS_OF, "pdf")))
    unit = largest_unit()
    unit_rows = _unit_rows(unit)
    ctx.compare(
        f"unit PDF, {unit.code} ({len(unit_rows) - 1} outstanding)",
        lambda: build(unit, AS_OF, "pdf"),
        lambda: _bare_pdf(unit_rows),
        repeat=2,
        target=2,
    )
    ctx.report("unit PDF queries", count_queries(lambda: build(unit, AS_OF, "pdf")))
    seconds = best_of(lambda: build(unit, AS_OF, "xlsx"), repeat=2)
    ctx.report(f"unit XLSX, {unit.code}", f"{seconds * 1000:.0f}", "ms")
