"""A unit PDF: its figures beside the national ones, its subunits, every outstanding system."""

import datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from compliance.reports.generation import build
from compliance.selectors import outstanding_systems
from registry.models import DossierStatus, InformationSystem, Unit
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory
from tests.reports.conftest import normalize, pdf_pages, pdf_text

PUBLISHED = datetime.date(2024, 6, 30)


def test_thanh_hoa_lists_every_outstanding_system_on_numbered_pages(
    baseline, directive_09, tmp_path
):
    out = tmp_path / "p38.pdf"
    with translation.override("en"):
        call_command("appendix_ix_pdf", "--unit", "P38", "--as-of", "2024-06-30", "--out", str(out))
    pages = pdf_pages(out.read_bytes())
    text = " ".join(pages)
    unit = Unit.objects.get(code="P38")
    codes = list(outstanding_systems(unit, PUBLISHED).values_list("code", flat=True))
    assert len(codes) > 400
    assert f"Outstanding systems ({len(codes)})" in text
    for code in codes:
        assert f" {code} " in text, code
    # Figures beside the group and the nation (Thanh Hóa: 856 declared, all approved, 368 full).
    assert "Total systems 856 5895 7008" in text
    assert "Approved systems 856 4621 5323" in text
    assert "Fully deployed systems 368 3474 3957" in text
    assert "Thanh Hóa (systems it owns directly)" in text
    assert normalize("Sở Thông tin và Truyền thông Thanh Hóa") in text
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        if number > 1:  # the outstanding table continues with its header on every page
            assert "No. Code System Level Dossier status Decision Deployment" in page


def _bulk_systems(unit, count):
    InformationSystem.objects.bulk_create(
        InformationSystem(
            code=f"BULK-{index:05d}",
            name=f"Hệ thống thư điện tử công vụ số {index}",
            name_ascii=f"he thong {index}",
            owner=unit,
            declared_on=datetime.date(2023, 1, 1),
            proposed_level=1 + index % 5,
        )
        for index in range(count)
    )


def test_more_than_900_rows_stay_complete(db, directive_09):
    unit = UnitFactory(name="Tỉnh Rất Lớn")
    _bulk_systems(unit, 950)
    with translation.override("en"):
        text = pdf_text(build(unit, PUBLISHED, "pdf"))
    assert "Outstanding systems (950)" in text
    for index in range(950):
        assert f"BULK-{index:05d} Hệ thống thư điện tử công vụ số {index} " in text
    assert " 950 BULK-" in text  # numbered to the last row


def test_statuses_and_decisions_as_of_the_date(db, directive_09):
    unit = UnitFactory()
    # Submitted 01/03, appraised 20/03, approved 01/04/2024 by decision; deployment partial.
    system = SystemFactory(owner=unit, approved=True, name="Cổng dịch vụ công")
    line = f"{system.code} Cổng dịch vụ công 2"
    with translation.override("en"):
        submitted = pdf_text(build(unit, datetime.date(2024, 3, 10), "pdf"))
        appraised = pdf_text(build(unit, datetime.date(2024, 3, 25), "pdf"))
        approved = pdf_text(build(unit, PUBLISHED, "pdf"))
    assert f"{line} Sent for appraisal Partial" in submitted
    assert f"{line} Appraised Partial" in appraised
    assert system.decision_number not in submitted + appraised
    assert f"{line} Approved {system.decision_number}, 01/04/2024 Partial" in approved


def test_subordinate_units_and_empty_outstanding_list(db, directive_09):
    province = UnitFactory(name="Tỉnh Mẫu")
    department = SubUnitFactory(parent=province, name="Sở Y tế Tỉnh Mẫu")
    SystemFactory(owner=province, deployed=True)
    SystemFactory(owner=department, deployed=True)
    SubUnitFactory(parent=province, name="Sở Tư pháp Tỉnh Mẫu")
    with translation.override("en"):
        text = pdf_text(build(province, PUBLISHED, "pdf"))
    assert "1 Tỉnh Mẫu (systems it owns directly) 1 1 100% 1 100% 100%" in text
    assert "2 Sở Y tế Tỉnh Mẫu 1 1 100% 1 100% 100%" in text
    assert "3 Sở Tư pháp Tỉnh Mẫu (no systems declared) 0 0 — 0 — —" in text
    assert "Every system is approved and fully deployed." in text


def _queries_for_unit_pdf(unit):
    with CaptureQueriesContext(connection) as captured:
        build(unit, PUBLISHED, "pdf")
    return len(captured)


def test_unit_pdf_in_constant_queries(db, directive_09):
    province = UnitFactory()
    department = SubUnitFactory(parent=province)
    SystemFactory(owner=province)
    small = _queries_for_unit_pdf(province)
    for index in range(30):
        SystemFactory(owner=department if index % 2 else province, submitted=True)
        SubUnitFactory(parent=department)
    large = _queries_for_unit_pdf(province)
    assert small == large
    assert large <= 7


def test_outstanding_status_labels_cover_returned_dossiers(db, directive_09):
    unit = UnitFactory()
    SystemFactory(
        owner=unit,
        dossier_status=DossierStatus.RETURNED,
        submitted_on=datetime.date(2024, 2, 1),
        returned_on=datetime.date(2024, 3, 1),
    )
    with translation.override("en"):
        assert "Returned for revision" in pdf_text(build(unit, PUBLISHED, "pdf"))
