"""The report's rows and totals: the registry as of 14/12, totals equal to the summary."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from compliance.annual import rules
from compliance.annual.content import annual_content, security_rules_as_of
from compliance.annual.generation import build
from compliance.selectors import compliance_summary
from registry.models import Deployment, Unit
from tests.factories import SystemFactory
from tests.reports.conftest import pdf_fonts, pdf_text

D = datetime.date


def assert_totals_equal_the_summary(content, unit, year):
    figures = compliance_summary(as_of=rules.report_as_of(year), unit=unit).units[0]
    totals = content.totals
    assert (totals.total, totals.approved, totals.fully_deployed) == (
        figures.total,
        figures.approved,
        figures.fully_deployed,
    )
    assert totals.levels == figures.levels and totals.unleveled == figures.unleveled
    assert len(content.lines) == totals.total


def test_rows_are_the_systems_as_they_stood_on_14_12(world):
    province = world["province"]
    SystemFactory(owner=province, code="P91-LATE", declared_on=D(2024, 12, 15))  # too late
    SystemFactory(owner=province, code="P91-GONE", retired_on=D(2024, 6, 1))
    later = SystemFactory(owner=province, code="P91-4", approved=True, proposed_level=3)
    later.decision_date = D(2025, 1, 10)  # approved after the period: not yet on 14/12
    later.deployed_full_on = D(2025, 2, 1)
    later.deployment = Deployment.FULL
    later.last_inspection_on = D(2023, 12, 14)  # the day before the period
    later.save()
    inspected = world["systems"][0]
    inspected.last_inspection_on = D(2023, 12, 15)
    inspected.save()

    content = annual_content(province, 2024)
    lines = {line.code: line for line in content.lines}
    assert set(lines) == {"P91-1", "P91-2", "P91-3", "P91-4"}
    assert lines["P91-4"].approved_level is None and lines["P91-4"].decision_number == ""
    assert lines["P91-4"].deployment == Deployment.PARTIAL
    assert lines["P91-4"].inspected_on is None
    assert lines["P91-1"].inspected_on == D(2023, 12, 15)
    assert lines["P91-2"].approved_level == 2 and lines["P91-2"].decision_authority
    assert content.totals.inspected == 1
    assert_totals_equal_the_summary(content, province, 2024)


def test_security_rules_as_of_the_date(world):
    province = world["province"]
    assert security_rules_as_of(province, D(2024, 12, 14)) is None
    province.security_rules_number = "12/QC-UBND"
    province.security_rules_issued_on = D(2023, 5, 2)
    province.save()
    province.security_rules_number = "40/QC-UBND"  # replaced in 2025
    province.security_rules_issued_on = D(2025, 3, 1)
    province.save()
    then = security_rules_as_of(province, D(2024, 12, 14))
    assert (then.number, then.issued_on) == ("12/QC-UBND", D(2023, 5, 2))
    assert security_rules_as_of(province, D(2025, 12, 14)).number == "40/QC-UBND"
    assert security_rules_as_of(province, D(2023, 1, 1)) is None


def test_pdf_and_xlsx_list_the_same_rows_and_totals(world):
    province = world["province"]
    province.security_rules_number = "12/QC-UBND"
    province.security_rules_issued_on = D(2023, 5, 2)
    province.save()
    with translation.override("vi"):
        text = pdf_text(build(province, 2024, "pdf"))
        workbook = load_workbook(io.BytesIO(build(province, 2024, "xlsx")))
    for code in ("P91-1", "P91-2", "P91-3"):
        assert code in text
    assert "P92-1" not in text
    assert "12/QC-UBND" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "15/12/2023" in text and "14/12/2024" in text
    fonts = pdf_fonts(build(province, 2024, "pdf"))
    assert all("DejaVuSans" in name for name in fonts) and all(fonts.values()), fonts
    sheets = workbook.worksheets
    codes = [row[1] for row in sheets[1].iter_rows(min_row=2, values_only=True)]
    assert codes == ["P91-1", "P91-2", "P91-3"]
    summary = {row[0]: row[1] for row in sheets[0].iter_rows(values_only=True) if row[0]}
    assert summary["Hệ thống thông tin"] == 3 and summary["Số HTTT đã phê duyệt cấp độ"] == 2


def test_the_same_data_gives_the_same_pdf(world):
    assert build(world["province"], 2024, "pdf") == build(world["province"], 2024, "pdf")


def test_reading_the_report_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for number in range(30):
        SystemFactory(owner=world["department"], code=f"P91-X{number}", approved=True)
    # The systems, the unit's security rules, and the unit structure of 14/12 (units, changes).
    with django_assert_max_num_queries(4):
        annual_content(world["province"], 2024)


@pytest.mark.parametrize("extension", ["pdf", "xlsx"])
def test_thanh_hoa_2024_on_the_baseline(baseline, tmp_path, extension):
    """The issue's check: 856 systems, totals equal to compliance_summary --unit P38."""
    thanh_hoa = Unit.objects.get(code="P38")
    out = tmp_path / f"r.{extension}"
    call_command("annual_report", year=2024, unit="P38", out=str(out))
    content = annual_content(thanh_hoa, 2024)
    assert content.totals.total == 856
    assert_totals_equal_the_summary(content, thanh_hoa, 2024)
    if extension == "xlsx":
        rows = list(load_workbook(out).worksheets[1].iter_rows(min_row=2, values_only=True))
        assert len(rows) == 856
    else:
        text = pdf_text(out.read_bytes())
        assert "(856)" in text and content.lines[-1].code in text
