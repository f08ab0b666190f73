"""Asking for a report on the page, watching it, downloading it, within the user's scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.reports.generation import generate
from compliance.reports.models import GeneratedReport, ReportStatus
from registry.models import Role
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, UserFactory
from tests.reports.conftest import pdf_text

PUBLISHED = datetime.date(2024, 6, 30)


@pytest.fixture
def units(db, directive_09):
    home = UnitFactory(name="Tỉnh Nhà")
    SystemFactory(owner=home, submitted=True, name="Cổng thông tin Tỉnh Nhà")
    other = UnitFactory(name="Tỉnh Khác")
    SystemFactory(owner=other, submitted=True)
    return {"home": home, "other": other}


def _ask(client, django_capture_on_commit_callbacks, **data):
    payload = {"as_of": "2024-06-30", "format": "pdf", **data}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("reports:list"), payload)


def _made_report(units, role_user, unit_key="home", fmt="pdf"):
    owner = role_user(Role.OFFICER, units[unit_key])
    report = GeneratedReport.objects.create(
        unit=units[unit_key], as_of=PUBLISHED, format=fmt, created_by=owner
    )
    generate(report.pk)
    report.refresh_from_db()
    return report


def test_viewer_asks_watches_and_downloads_own_unit_report(
    client, units, role_user, django_capture_on_commit_callbacks
):
    viewer = role_user(Role.VIEWER, units["home"])
    client.force_login(viewer)
    page = client.get(reverse("reports:list"))
    assert page.status_code == 200
    choices = [str(unit) for unit in page.context["form"].fields["unit"].queryset]
    assert choices == ["Tỉnh Nhà"]
    response = _ask(client, django_capture_on_commit_callbacks, unit=units["home"].pk)
    report = GeneratedReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.created_by == viewer and report.language == "vi"
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status["status"] == ReportStatus.DONE and status["progress"] == 100
    assert status["download_url"] == reverse("reports:download", args=[report.pk])
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:download", args=[report.pk]) in detail
    assert report.checksum in detail
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert "Cổng thông tin Tỉnh Nhà" in pdf_text(data)


def test_another_units_report_is_404(client, units, role_user):
    report = _made_report(units, role_user, unit_key="other")
    client.force_login(role_user(Role.VIEWER, units["home"]))
    for name in ("detail", "status", "download"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:retry", args=[report.pk])).status_code == 404
    listing = client.get(reverse("reports:list")).content.decode()
    assert reverse("reports:detail", args=[report.pk]) not in listing


def test_subunit_viewer_cannot_open_the_parent_report(client, units, role_user):
    department = SubUnitFactory(parent=units["home"])
    report = _made_report(units, role_user)
    client.force_login(role_user(Role.VIEWER, department))
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_parent_viewer_can_open_a_subunit_report(client, units, role_user):
    department = SubUnitFactory(parent=units["home"])
    report = GeneratedReport.objects.create(unit=department, as_of=PUBLISHED)
    generate(report.pk)
    client.force_login(role_user(Role.VIEWER, units["home"]))
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200


def test_viewer_cannot_ask_for_another_unit_or_the_national_report(
    client, units, role_user, django_capture_on_commit_callbacks
):
    client.force_login(role_user(Role.VIEWER, units["home"]))
    response = _ask(client, django_capture_on_commit_callbacks, unit=units["other"].pk)
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    response = _ask(client, django_capture_on_commit_callbacks, unit="")
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not GeneratedReport.objects.exists()


def test_national_report_is_for_national_admins_only(
    client, units, role_user, national_admin, django_capture_on_commit_callbacks
):
    client.force_login(national_admin)
    response = _ask(client, django_capture_on_commit_callbacks, unit="", format="xlsx")
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and report.is_national
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download["Content-Disposition"].endswith('appendix-ix-national-2024-06-30.xlsx"')
    client.force_login(role_user(Role.MANAGER, units["home"]))
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_future_date_is_refused(client, units, national_admin, django_capture_on_commit_callbacks):
    client.force_login(national_admin)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _ask(client, django_capture_on_commit_callbacks, as_of=tomorrow.isoformat())
    assert "as_of" in response.context["form"].errors


def test_unfinished_report_page_polls_and_cannot_be_downloaded(client, units, role_user):
    viewer = role_user(Role.VIEWER, units["home"])
    report = GeneratedReport.objects.create(unit=units["home"], as_of=PUBLISHED, progress=40)
    client.force_login(viewer)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "reports/progress.js" in page
    assert f'data-status-url="{reverse("reports:status", args=[report.pk])}"' in page
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status == {
        "status": "pending",
        "status_label": "Đang chờ",
        "progress": 40,
        "finished": False,
        "download_url": None,
    }
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_failed_report_can_be_tried_again(
    client, units, role_user, django_capture_on_commit_callbacks
):
    report = GeneratedReport.objects.create(
        unit=units["home"], as_of=PUBLISHED, status=ReportStatus.FAILED, error="disk full"
    )
    client.force_login(role_user(Role.OFFICER, units["home"]))
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "disk full" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.error == ""


def test_files_are_not_served_by_url(client, units, role_user):
    report = _made_report(units, role_user)
    client.force_login(role_user(Role.OFFICER, units["home"]))
    assert client.get(f"/media/{report.file.name}").status_code == 404


def test_anonymous_and_roleless_users_are_kept_out(client, units):
    response = client.get(reverse("reports:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(reverse("reports:list")).status_code == 403


def test_list_page_in_constant_queries(client, units, role_user, national_admin):
    client.force_login(national_admin)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:list")).status_code == 200
        return len(captured)

    _made_report(units, role_user)
    small = count()
    for _ in range(12):
        _made_report(units, role_user, unit_key="other", fmt="xlsx")
    large = count()
    assert small == large
    assert large <= 8


def test_detail_status_download_within_budget(client, units, role_user):
    report = _made_report(units, role_user)
    client.force_login(role_user(Role.VIEWER, units["home"]))
    for name in ("detail", "status", "download"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(f"reports:{name}", args=[report.pk]))
            assert response.status_code == 200
        # session, user, memberships and the units merged into theirs, the report (+ the
        # request's savepoint pair); a download also records its audit event
        budget = 8 if name == "download" else 7
        assert len(captured) <= budget, (name, [q["sql"] for q in captured])
