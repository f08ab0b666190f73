"""The national Appendix IX PDF: every unit and figure as published, in the embedded font."""

import csv
import datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from compliance.reports import content, pdf
from compliance.reports.generation import build
from registry.baseline import APPENDIX_IX_CSV, read_appendix_ix
from tests.factories import SystemFactory, UnitFactory
from tests.reports.conftest import normalize, pdf_fonts, pdf_pages, pdf_text

PUBLISHED = datetime.date(2024, 6, 30)


def _command_pdf(tmp_path, *args):
    out = tmp_path / "appendix-ix.pdf"
    call_command("appendix_ix_pdf", "--out", str(out), *args)
    return out.read_bytes()


def _rate(part, whole):
    return "—" if not whole else f"{content.whole_percent(part, whole)}%"


def _row_text(row):
    """A table row as the extracted text reads it: name then the six figures."""
    figures = [
        row.total,
        row.approved,
        _rate(row.approved, row.total),
        row.fully_deployed,
        _rate(row.fully_deployed, row.total),
        _rate(row.fully_deployed, row.approved),
    ]
    return " ".join(str(value) for value in figures)


def test_published_table_reproduced_as_of_2024_06_30(baseline, directive_09, tmp_path):
    with translation.override("en"):
        data = _command_pdf(tmp_path, "--as-of", "2024-06-30")
    pages = pdf_pages(data)
    text = " ".join(pages)
    published = read_appendix_ix()
    assert len(published) == 91
    for row in published:
        # The name exactly as stored, followed by the unit's published counts and our rates.
        expected = f"{normalize(row.name)} {'(no systems declared) ' if not row.total else ''}"
        expected += _row_text(row)
        assert expected in text, row.name
    assert "22/91 units below 50% approval (of which 4 with no systems declared)" in text
    assert "Total I 1113 702 63% 483 43% 69%" in text
    assert "National total 7008 5323 76% 3957 56% 74%" in text
    assert "As of 30/06/2024" in text
    # A4, numbered, the table header on every page that carries table rows.
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    for page in pages[:2]:
        assert "No. Unit Total systems Approved systems Approval rate" in page


def test_rates_round_half_up_like_the_published_table(baseline, directive_09, tmp_path):
    text = pdf_text(_command_pdf(tmp_path, "--as-of", "2024-06-30"))
    with open(APPENDIX_IX_CSV, encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle) if int(row["total_systems"])]
    for row in rows:
        published_rate = row["approved_pct_as_published"]
        assert f"{row['approved_systems']} {published_rate}" in text, row["unit"]


def test_vietnamese_text_and_only_the_embedded_font(baseline, directive_09, tmp_path):
    with translation.override("vi"):
        data = _command_pdf(tmp_path, "--as-of", "2024-06-30")
    text = pdf_text(data)
    for name in ("Thừa Thiên Huế", "Bà Rịa Vũng Tàu", "Đắk Nông", "Bộ Lao động - Thương binh"):
        assert name in text
    assert "Phụ lục IX" in text
    assert "Trang 1/" in text
    assert "Không tính trong tổng hợp này: Bộ Quốc phòng, Bộ Công an." in text
    fonts = pdf_fonts(data)
    assert fonts, "no fonts found"
    assert all("DejaVuSans" in name for name in fonts), fonts
    assert all(fonts.values()), "every font must be embedded"
    assert not any("Helvetica" in name for name in fonts)


def test_past_date_and_deadline_missed(db, directive_09, tmp_path):
    unit = UnitFactory(name="Tỉnh Quá Hạn")
    late = SystemFactory(owner=unit, approved=True)  # decision dated 2024-04-01
    on_time = UnitFactory(name="Tỉnh Đúng Hạn")
    SystemFactory(owner=on_time, approved=True)
    with translation.override("en"):
        before = pdf_text(_command_pdf(tmp_path, "--as-of", "2024-03-31"))
        assert "Tỉnh Quá Hạn 1 0 0% 0 0% —" in before
        assert "183 days left" in before
        late.decision_date = None  # now: never approved (the dossier went back)
        late.dossier_status = "submitted"
        late.decision_number = ""
        late.approved_level = None
        late.decision_authority = ""
        late.deployment = "partial"
        late.save()
        on_due_date = pdf_text(_command_pdf(tmp_path, "--as-of", "2024-09-30"))
    assert "due on this date" in on_due_date
    assert "Missed “Phê duyệt hồ sơ cấp độ” (1): Tỉnh Quá Hạn." in on_due_date
    assert "Tỉnh Đúng Hạn" not in on_due_date.split("Missed")[1]


def test_units_not_counted_are_configurable(db, directive_09, settings):
    settings.REPORTS_UNITS_NOT_COUNTED = ["Bộ Quốc phòng"]
    UnitFactory()
    with translation.override("en"):
        text = pdf_text(build(None, PUBLISHED, "pdf"))
    assert "Not counted in this summary: Bộ Quốc phòng." in text
    assert "Bộ Công an" not in text


def test_rows_below_half_are_highlighted(db, directive_09):
    low = UnitFactory(name="Thấp", group="province")
    SystemFactory(owner=low)  # 0% approved
    high = UnitFactory(name="Cao", group="province")
    SystemFactory(owner=high, deployed=True)  # 100% approved and deployed
    half_deployed = UnitFactory(name="Nửa", group="province")
    SystemFactory(owner=half_deployed, approved=True)  # approved, not deployed
    report = content.national_report(PUBLISHED)
    table = pdf.national_table(report, pdf._styles())
    shaded = {(cmd[1], cmd[2], cmd[3]) for cmd in table._bkgrndcmds}
    rows = {getattr(row[1], "text", row[1]): index for index, row in enumerate(table._cellvalues)}
    low_row, high_row, half_row = rows["Thấp"], rows["Cao"], rows["Nửa"]
    assert ((0, low_row), (-1, low_row), pdf.LOW_ROW) in shaded
    assert ((6, low_row), (6, low_row), pdf.LOW_CELL) in shaded
    assert not any(start[1] == high_row for start, _end, _colour in shaded)
    assert ((0, half_row), (-1, half_row), pdf.LOW_ROW) not in shaded
    assert ((6, half_row), (6, half_row), pdf.LOW_CELL) in shaded


def test_same_parameters_same_bytes(db, directive_09):
    SystemFactory(approved=True)
    assert build(None, PUBLISHED, "pdf") == build(None, PUBLISHED, "pdf")


def _queries_for_national_pdf():
    with CaptureQueriesContext(connection) as captured:
        build(None, PUBLISHED, "pdf")
    return len(captured)


def _add_units(count, systems_each):
    for _ in range(count):
        unit = UnitFactory()
        for _ in range(systems_each):
            SystemFactory(owner=unit, deployed=True)


def test_national_pdf_in_constant_queries(db, directive_09):
    _add_units(2, 1)
    small = _queries_for_national_pdf()
    _add_units(15, 4)
    large = _queries_for_national_pdf()
    assert small == large
    assert large <= 3  # the reporting units and one GROUP BY (deadlines are patched here)
