"""What the pages show of the ledger as of a date, the scoped report download, and the admin
where officers record inspections."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from registry.audit.models import AuditEvent
from registry.inspections.models import Inspection
from registry.models import Role
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role
from tests.inspections.factories import AssessmentFactory, InspectionFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def province():
    province = UnitFactory(code="PAK", name="Tỉnh An Khang")
    department = SubUnitFactory(parent=province, code="PAK-IT")
    late = SystemFactory(owner=department, approved=True, proposed_level=5, code="AK-LATE")
    InspectionFactory(system=late, inspected_on=D(2025, 1, 10))
    soon = SystemFactory(owner=province, approved=True, proposed_level=3, code="AK-SOON")
    InspectionFactory(system=soon, inspected_on=D(2024, 12, 20))
    fine = SystemFactory(owner=province, approved=True, proposed_level=4, code="AK-FINE")
    InspectionFactory(system=fine, inspected_on=D(2025, 6, 1))
    SystemFactory(owner=province, approved=True, proposed_level=2, code="AK-L2")
    other = UnitFactory(code="POTHER", name="Tỉnh Khác")
    SystemFactory(owner=other, approved=True, proposed_level=5, code="OTHER-NEVER")
    return province


def test_the_unit_page_counts_and_lists_what_is_due_and_overdue_as_of_a_date(client, province):
    client.force_login(user_with_role(Role.VIEWER, province))
    page = client.get("/units/PAK/?as_of=2025-12-01").content.decode()
    assert "1 system overdue" in page and "1 system due within 30 days" in page
    listed = page[page.index('id="inspections-due"') :]
    listed = listed[: listed.index("</table>")]
    assert listed.index("AK-LATE") < listed.index("AK-SOON")  # level 5 first
    assert "10/07/2025" in listed and "20/12/2025" in listed  # when each was due
    assert "AK-FINE" not in listed and "AK-L2" not in listed and "OTHER-NEVER" not in page
    assert "never assessed" in page
    # Before the first inspection of AK-LATE, it was never inspected: due at once.
    page = client.get("/units/PAK/?as_of=2025-01-01").content.decode()
    assert "never inspected" in page


def test_the_unit_page_shows_its_organisation_assessment(client, province):
    AssessmentFactory(unit=province, inspected_on=D(2023, 11, 1))
    client.force_login(user_with_role(Role.VIEWER, province))
    page = client.get("/units/PAK/?as_of=2025-10-01").content.decode()
    assert "last on 01/11/2023, next due 01/11/2025" in page
    assert "overdue</strong>" not in page[page.index('id="organisation-assessment"') :][:400]
    page = client.get("/units/PAK/?as_of=2025-11-02").content.decode()
    assert "overdue</strong>" in page[page.index('id="organisation-assessment"') :][:400]


def test_the_national_page_counts_nationally(client, province):
    AssessmentFactory(unit=province, inspected_on=D(2025, 1, 1))
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    page = client.get("/national/?as_of=2025-12-01").content.decode()
    section = page[page.index('id="inspections"') :]
    assert "2 systems overdue" in section  # AK-LATE and the other unit's never-inspected one
    assert "1 system due within 30 days" in section
    assert "1 reporting unit whose whole-organisation assessment" in section
    section = section[: section.index("</section>")]
    assert "Tỉnh Khác" in section and "Tỉnh An Khang" not in section


def test_the_system_page_lists_the_ledger_and_the_next_due_date(client, province):
    system = SystemFactory(owner=province, approved=True, proposed_level=5)
    InspectionFactory(system=system, inspected_on=D(2025, 3, 1), result="findings", findings=4)
    client.force_login(user_with_role(Role.VIEWER, province))
    page = client.get(f"/systems/{system.pk}/").content.decode()
    ledger = page[page.index('id="inspection-ledger"') :]
    assert "01/03/2025" in ledger and "Findings to fix" in ledger
    assert "01/09/2025" in page  # next due: 6 months later


@pytest.fixture
def with_report(province):
    inspection = Inspection.objects.get(system__code="AK-LATE")
    inspection.report.save("bien-ban.pdf", ContentFile(b"%PDF-1.4 report"))
    return inspection


def test_the_report_downloads_only_in_scope(client, province, with_report):
    url = f"/inspections/{with_report.pk}/report/"
    client.force_login(user_with_role(Role.VIEWER, province))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    assert AuditEvent.objects.filter(action="inspection.report_downloaded").count() == 1
    client.force_login(user_with_role(Role.OFFICER, UnitFactory()))
    assert client.get(url).status_code == 404
    no_file = Inspection.objects.get(system__code="AK-SOON")
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    assert client.get(f"/inspections/{no_file.pk}/report/").status_code == 404
    for bad in ("abc", "0", "9" * 30):
        assert client.get(f"/inspections/{bad}/report/").status_code == 404


def _post_inspection(client, system, **values):
    data = {
        "system": system.pk,
        "inspected_on": "2026-11-20",
        "kind": "authority",
        "result": "findings",
        "findings": "3",
        "notes": "",
        "_save": "1",
    }
    data.update(values)
    return client.post("/admin/inspections/inspection/add/", data)


def test_an_officer_records_an_inspection_in_the_admin(client, province):
    system = SystemFactory(owner=province, approved=True, proposed_level=3)
    officer = user_with_role(Role.OFFICER, province)
    client.force_login(officer)
    report = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = _post_inspection(client, system, report=report)
    assert response.status_code == 302, response.context["adminform"].form.errors
    system.refresh_from_db()
    assert system.last_inspection_on == D(2026, 11, 20)
    inspection = system.inspections.get(inspected_on=D(2026, 11, 20))
    assert inspection.recorded_by == officer and inspection.report.name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="inspection.recorded", actor=officer).exists()
    change = client.get(f"/admin/inspections/inspection/{inspection.pk}/change/").content
    assert f"/inspections/{inspection.pk}/report/".encode() in change  # the scoped link only
    assert b"/media/" not in change


@pytest.mark.parametrize(
    "values, message",
    [
        ({"findings": "0"}, "A result with findings to fix needs the number of findings."),
        ({"inspected_on": "2099-01-01"}, "This date is in the future."),
        ({"kind": "imported"}, "Select a valid choice."),
        ({"report": SimpleUploadedFile("x.exe", b"MZ")}, "A report file must be one of"),
    ],
)
def test_a_wrong_inspection_gets_an_error_and_saves_nothing(client, province, values, message):
    system = SystemFactory(owner=province, approved=True, proposed_level=3)
    client.force_login(user_with_role(Role.OFFICER, province))
    response = _post_inspection(client, system, **values)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not system.inspections.exists()


def test_the_error_reads_in_vietnamese_by_default(client, province):
    system = SystemFactory(owner=province, approved=True, proposed_level=3)
    client.force_login(user_with_role(Role.OFFICER, province))
    del client.cookies["django_language"]
    response = _post_inspection(client, system, findings="0")
    assert "số phát hiện" in response.content.decode()


def test_no_one_records_an_inspection_outside_their_scope(client, province):
    other_system = SystemFactory(owner=UnitFactory(), approved=True, proposed_level=3)
    client.force_login(user_with_role(Role.OFFICER, province))
    response = _post_inspection(client, other_system)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    client.force_login(user_with_role(Role.VIEWER, province))
    mine = SystemFactory(owner=province, approved=True, proposed_level=3)
    assert _post_inspection(client, mine).status_code == 403
    assert not Inspection.objects.filter(inspected_on=D(2026, 11, 20)).exists()


def test_an_officer_records_the_organisation_assessment(client, province):
    officer = user_with_role(Role.OFFICER, province)
    client.force_login(officer)
    today = timezone.localdate()
    response = client.post(
        "/admin/inspections/organisationassessment/add/",
        {
            "unit": province.pk,
            "inspected_on": today.isoformat(),
            "kind": "independent",
            "result": "passed",
            "findings": "0",
            "_save": "1",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/units/PAK/?as_of={today:%Y-%m-%d}").content.decode()
    assert f"last on {today:%d/%m/%Y}" in page
    assert AuditEvent.objects.filter(action="assessment.recorded").exists()


def test_the_ledger_list_is_searched_without_diacritics_and_in_scope(client, province):
    client.force_login(user_with_role(Role.OFFICER, province))
    page = client.get("/admin/inspections/inspection/", {"q": "he thong quan ly"}).content
    assert b"AK-LATE" in page and b"AK-SOON" in page
    assert client.get("/admin/inspections/inspection/", {"q": "OTHER"}).status_code == 200
    other = SystemFactory(owner=UnitFactory(), approved=True, proposed_level=3, code="ZZ-OUT")
    InspectionFactory(system=other)
    assert b"ZZ-OUT" not in client.get("/admin/inspections/inspection/", {"q": "ZZ"}).content


def test_a_report_file_over_the_upload_limit_is_refused_without_saving(client, province, settings):
    settings.IMPORT_MAX_BYTES = 1024
    system = SystemFactory(owner=province, approved=True, proposed_level=3)
    client.force_login(user_with_role(Role.OFFICER, province))
    report = SimpleUploadedFile("bien-ban.pdf", b"%PDF-" + b"x" * 200_000)
    response = _post_inspection(client, system, report=report)
    assert response.status_code == 200
    assert "The file is larger than the upload limit." in response.content.decode()
    assert not system.inspections.exists()
