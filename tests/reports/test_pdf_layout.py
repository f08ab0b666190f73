"""PDF fixes of issue 15: no doubled percent sign, the colour legend on every page (so on the
page of the first coloured row), no page holding only a paragraph's tail, and the optional
"Kèm theo Báo cáo số … ngày …" line from the reports page and the command."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from compliance.reports.enclosure import Enclosure, enclosure_from
from compliance.reports.generation import build
from compliance.reports.models import GeneratedReport
from registry.models import Role
from tests.factories import SystemFactory, UnitFactory, user_with_role
from tests.reports.conftest import pdf_pages

TODAY_2026 = datetime.date(2026, 11, 29)
LEGEND_VI = (
    "Dòng tô màu: tỷ lệ phê duyệt dưới 50%; ô tỷ lệ triển khai tô màu: tỷ lệ triển khai dưới 50%."
)
COVERING = Enclosure("123/BC-BTTTT", datetime.date(2024, 7, 15))


@pytest.fixture
def thanh_hoa_pdf(baseline, directive_09, tmp_path):
    out = tmp_path / "p38.pdf"
    with translation.override("vi"):
        call_command("appendix_ix_pdf", "--unit", "P38", "--as-of", "2026-11-29", "--out", str(out))
    return pdf_pages(out.read_bytes())


def test_the_national_pdf_writes_one_percent_sign_and_its_legend_on_every_page(
    baseline, directive_09
):
    with translation.override("vi"):
        pages = pdf_pages(build(None, TODAY_2026, "pdf"))
    assert len(pages) >= 3
    for page in pages:
        assert "%%" not in page
        assert LEGEND_VI in page


def test_no_page_of_the_thanh_hoa_pdf_holds_only_a_paragraphs_tail(thanh_hoa_pdf):
    pages = thanh_hoa_pdf
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert LEGEND_VI in page  # the subunits' table has coloured rows too
        footer = f"Trang {number}/{len(pages)}"
        assert footer in page
        body = page.replace(LEGEND_VI, "").split("Báo cáo bảo đảm an toàn HTTT theo cấp độ —")[0]
        assert len(body.split()) > 12, (number, body)
    # The notes close the report whole, heading and text on one page.
    assert "Ghi chú Tỷ lệ tính trên tổng số HTTT" in pages[-1]


def test_the_enclosure_line_is_printed_under_the_title(db, directive_09):
    unit = UnitFactory(name="Tỉnh Nhà")
    SystemFactory(owner=unit)
    with translation.override("vi"):
        national = pdf_pages(build(None, TODAY_2026, "pdf", enclosure=COVERING))
        unit_pages = pdf_pages(build(unit, TODAY_2026, "pdf", enclosure=COVERING))
        without = pdf_pages(build(unit, TODAY_2026, "pdf"))
    line = "(Kèm theo Báo cáo số 123/BC-BTTTT ngày 15/07/2024)"
    assert line in national[0] and line in unit_pages[0]
    assert national[0].index("Phụ lục IX") < national[0].index(line)
    assert "Kèm theo" not in " ".join(without)


@pytest.mark.parametrize(
    ("number", "date", "field"),
    [
        ("123/BC-BTTTT", None, "enclosure_date"),
        ("", datetime.date(2024, 7, 15), "enclosure_number"),
        ("123/BC BTTTT", datetime.date(2024, 7, 15), "enclosure_number"),
        ("<b>1</b>", datetime.date(2024, 7, 15), "enclosure_number"),
        ("/123", datetime.date(2024, 7, 15), "enclosure_number"),
        ("1" * 41, datetime.date(2024, 7, 15), "enclosure_number"),
        ("12\u200b3/BC", datetime.date(2024, 7, 15), "enclosure_number"),
    ],
)
def test_an_enclosure_needs_a_number_as_printed_and_a_date(number, date, field):
    with pytest.raises(ValidationError) as error:
        enclosure_from(number, date)
    assert field in error.value.message_dict


def test_no_enclosure_is_no_line_and_a_number_is_kept_as_written():
    assert enclosure_from("", None) is None
    assert enclosure_from(" 45/BC-UBND.VX ", datetime.date(2024, 7, 15)) == Enclosure(
        "45/BC-UBND.VX", datetime.date(2024, 7, 15)
    )


def _ask(client, django_capture_on_commit_callbacks, **data):
    payload = {"as_of": "30/06/2024", "format": "pdf", **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("reports:list"), payload)


def test_the_reports_page_asks_for_the_enclosure_and_the_pdf_carries_it(
    client, db, directive_09, django_capture_on_commit_callbacks
):
    unit = UnitFactory(name="Tỉnh Nhà")
    SystemFactory(owner=unit)
    client.force_login(_officer(unit))
    page = client.get(reverse("reports:list")).content.decode()
    assert "Kèm theo Báo cáo số" in page
    response = _ask(
        client,
        django_capture_on_commit_callbacks,
        unit=unit.pk,
        enclosure_number="123/BC-UBND",
        enclosure_date="15/07/2024",
    )
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert (report.enclosure_number, report.enclosure_date) == ("123/BC-UBND", COVERING.date)
    text = " ".join(pdf_pages(report.file.open("rb").read()))
    assert "(Kèm theo Báo cáo số 123/BC-UBND ngày 15/07/2024)" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"enclosure_number": "123/BC-UBND"}, "Hãy nhập cả ngày của báo cáo"),
        ({"enclosure_date": "15/07/2024"}, "Hãy nhập cả số của báo cáo"),
        (
            {"enclosure_number": "1/BC", "enclosure_date": "15/07/2024", "format": "xlsx"},
            "Chỉ bản PDF có dòng này",
        ),
        ({"enclosure_number": "1 BC", "enclosure_date": "15/07/2024"}, "Hãy ghi số báo cáo"),
        ({"enclosure_number": "1/BC", "enclosure_date": "31/02/2024"}, "ngày"),
    ],
)
def test_a_half_or_bad_enclosure_is_refused_in_vietnamese_and_nothing_is_made(
    client, db, django_capture_on_commit_callbacks, data, message
):
    unit = UnitFactory()
    client.force_login(_officer(unit))
    response = _ask(client, django_capture_on_commit_callbacks, unit=unit.pk, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GeneratedReport.objects.exists()


def test_the_command_prints_the_enclosure_and_refuses_a_bad_one(db, directive_09, tmp_path):
    UnitFactory(code="P99")
    out = tmp_path / "unit.pdf"
    args = ["appendix_ix_pdf", "--unit", "P99", "--as-of", "2024-06-30", "--out", str(out)]
    call_command(*args, "--attached-to", "123/BC-BTTTT", "2024-07-15")
    assert "123/BC-BTTTT" in " ".join(pdf_pages(out.read_bytes()))
    with pytest.raises(CommandError):
        call_command(*args, "--attached-to", "123 BC", "2024-07-15")
    with pytest.raises(CommandError):
        call_command(*args, "--attached-to", "123/BC", "15/07/2024")
    xlsx = ["appendix_ix_pdf", "--unit", "P99", "--out", str(tmp_path / "unit.xlsx")]
    with pytest.raises(CommandError):
        call_command(*xlsx, "--attached-to", "123/BC", "2024-07-15")


def _officer(unit):
    return user_with_role(Role.OFFICER, unit)
