"""The annual report's pages: who may see and do what, and what they are told."""

import datetime

import pytest
from django.utils import timezone

from compliance.annual import actions
from compliance.annual.models import AnnualReport
from compliance.annual.rules import FilingStatus
from registry.audit.models import AuditEvent
from tests.annual.conftest import AFTER_PERIOD, YEAR

PAGE = f"/annual/{YEAR}/P91/"


@pytest.fixture
def after_period(monkeypatch):
    """Today is 20/12/2024: the 2024 data period is over, the due date not yet passed."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: AFTER_PERIOD)


def as_user(client, user):
    client.force_login(user)
    return client


def status(unit="province"):
    report = AnnualReport.objects.filter(unit__code="P91", year=YEAR).first()
    return report.status if report else None


def test_the_officer_prepares_and_submits(client, world, after_period):
    client = as_user(client, world["officer"])
    page = client.get(PAGE).content.decode()
    assert "Lập báo cáo" in page and "Trả lại" not in page
    assert f'action="{PAGE}prepare/"' in page and f'action="{PAGE}submit/"' not in page
    response = client.post(f"{PAGE}prepare/")
    assert response.status_code == 302 and status() == FilingStatus.PREPARED
    page = client.get(PAGE).content.decode()
    assert "Đã lập" in page and f'action="{PAGE}submit/"' in page  # the submit button
    assert AnnualReport.objects.get().pdf_checksum in page
    client.post(f"{PAGE}submit/")
    assert status() == FilingStatus.SUBMITTED
    download = client.get(f"{PAGE}download/pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="annual_report.downloaded").exists()


@pytest.mark.parametrize("step", ["prepare", "submit", "receive", "return"])
def test_a_viewer_may_read_but_not_act(client, world, step):
    client = as_user(client, world["viewer"])
    assert client.get(PAGE).status_code == 200
    assert client.post(f"{PAGE}{step}/", {"reason": "x"}).status_code == 403
    assert status() is None


@pytest.mark.parametrize("role", ["other_officer", "sub_officer"])
@pytest.mark.parametrize("path", ["", "download/pdf/", "prepare/", "submit/"])
def test_another_units_report_is_not_found(client, world, role, path):
    actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    client = as_user(client, world[role])
    response = client.post(f"{PAGE}{path}") if path.endswith(("prepare/", "submit/")) else None
    response = response or client.get(f"{PAGE}{path}")
    assert response.status_code == 404
    assert "Kiểm Thử" not in response.content.decode()
    assert status() == FilingStatus.PREPARED


@pytest.mark.parametrize(
    "path",
    [
        "/annual/99999999999999999999/P91/",
        "/annual/1999/P91/",
        "/annual/2024/P91-IT/",  # a department: its owner reports
        "/annual/2024/NOPE/",
        "/annual/2024/P91/download/docx/",
        "/annual/2024/P91/download/pdf/",  # nothing prepared yet
    ],
)
def test_malformed_or_missing_is_a_404(client, world, path):
    assert as_user(client, world["national"]).get(path).status_code == 404


def test_national_admins_receive_or_return_but_do_not_file_for_the_unit(
    client, world, after_period
):
    report = actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    client = as_user(client, world["national"])
    assert client.post(f"{PAGE}submit/").status_code == 403
    actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    response = client.post(f"{PAGE}return/", {"reason": ""})
    assert response.status_code == 400 and status() == FilingStatus.SUBMITTED
    assert "Trường này là bắt buộc" in response.content.decode()
    client.post(f"{PAGE}return/", {"reason": "Thiếu số liệu kiểm tra"})
    assert status() == FilingStatus.RETURNED
    officer = as_user(client, world["officer"])
    assert "Thiếu số liệu kiểm tra" in officer.get(PAGE).content.decode()


def test_a_refused_move_says_why_in_vietnamese(client, world, after_period):
    client = as_user(client, world["officer"])
    response = client.post(f"{PAGE}submit/", follow=True)
    assert "Báo cáo chưa được lập." in response.content.decode()
    assert status() is None


def test_status_page_counts_every_reporting_unit(client, world, after_period):
    report = actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    client = as_user(client, world["national"])
    page = client.get(f"/annual/status/?year={YEAR}").content.decode()
    assert 'id="count-submitted"><span class="value">1</span>' in page
    assert 'id="count-not_started"><span class="value">1</span>' in page  # P92
    export = client.get(f"/annual/status/export/?year={YEAR}")
    csv = b"".join(export.streaming_content).decode("utf-8-sig")  # the CSV streams
    lines = csv.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("Mã,Đơn vị,Trạng thái")
    assert any(line.startswith("P91,Tỉnh Kiểm Thử,Đã gửi") for line in lines)
    assert any(line.startswith("P92,") and "Chưa thực hiện" in line for line in lines)


def test_after_the_due_date_an_unfiled_report_is_late(client, world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2024, 12, 26))
    client = as_user(client, world["national"])
    page = client.get(f"/annual/status/?year={YEAR}").content.decode()
    assert 'id="count-late"><span class="value">2</span>' in page


@pytest.mark.parametrize("year", ["abc", "1900", "99999999999999999999", "2024'--"])
def test_a_bad_year_shows_this_year_with_a_note(client, world, after_period, year):
    response = as_user(client, world["national"]).get(f"/annual/status/?year={year}")
    assert response.status_code == 200
    assert "Năm không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_the_status_page_is_for_national_administrators(client, world, role):
    client = as_user(client, world[role])
    assert client.get("/annual/status/").status_code == 404
    assert client.get("/annual/status/export/").status_code == 404


def test_status_page_queries_do_not_grow_with_units(
    client, world, after_period, django_assert_max_num_queries
):
    from tests.factories import UnitFactory

    client = as_user(client, world["national"])
    client.get("/annual/status/")
    for _ in range(20):
        UnitFactory()
    with django_assert_max_num_queries(12):
        assert client.get("/annual/status/").status_code == 200


def test_officers_find_their_reports_from_the_nav(client, world, after_period):
    client = as_user(client, world["officer"])
    assert 'href="/annual/"' in client.get("/annual/2024/P91/").content.decode()
    assert f'href="/annual/{YEAR}/P91/"' in client.get("/annual/").content.decode()
    national = as_user(client, world["national"])
    assert national.get("/annual/").url == "/annual/status/"


def test_national_admins_record_a_units_internal_security_rules_in_the_unit_admin(client, world):
    client = as_user(client, world["national"])
    province = world["province"]
    url = f"/admin/registry/unit/{province.pk}/change/"
    page = client.get(url).content.decode()
    assert "security_rules_number" in page and "Quy chế bảo đảm an toàn thông tin: số" in page
    response = client.post(
        url,
        {
            "code": province.code,
            "name": province.name,
            "kind": province.kind,
            "group": province.group,
            "sort_order": province.sort_order,
            "is_active": "on",
            "security_rules_number": "12/QC-UBND",
            "security_rules_issued_on": "02/05/2023",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    province.refresh_from_db()
    assert province.security_rules_number == "12/QC-UBND"
    assert province.security_rules_issued_on == datetime.date(2023, 5, 2)


def test_the_report_page_reads_in_a_few_queries(
    client, world, after_period, django_assert_max_num_queries
):
    report = actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    client = as_user(client, world["national"])
    with django_assert_max_num_queries(14):  # session, user, scope, unit, report, history
        page = client.get(PAGE).content.decode()
    assert f'action="{PAGE}receive/"' in page and f'action="{PAGE}return/"' in page
