"""The admin in Vietnamese (issue 15): every page an officer opens, the libraries' included,
without a word of English; values by their labels; the History button reads "Lịch sử"."""

import datetime

import pytest
from django.contrib import admin

from registry.models import Deployment, Role
from tests.admin_language.english import english_in, page_text
from tests.factories import SystemFactory, UnitFactory, user_with_role

SYSTEMS = "/admin/registry/informationsystem/"


@pytest.fixture
def officer_client(client, db):
    unit = UnitFactory(name="Tỉnh Thanh Hóa")
    system = SystemFactory(owner=unit, approved=True, name="Cổng dịch vụ công tỉnh Thanh Hóa")
    system.deployment = Deployment.FULL
    system.deployed_full_on = datetime.date(2024, 5, 1)
    system.save()
    client.force_login(user_with_role(Role.OFFICER, unit))
    client.system = system
    return client


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return page_text(response.content.decode())


def _pages(system):
    version = system.history.order_by("history_id").first().history_id
    return [
        "/admin/",
        SYSTEMS,
        f"{SYSTEMS}?dossier_status=approved&level=2",
        f"{SYSTEMS}{system.pk}/change/",
        f"{SYSTEMS}{system.pk}/history/",
        f"{SYSTEMS}{system.pk}/history/{version}/",
        f"{SYSTEMS}add/",
        "/admin/registry/unit/",
        "/admin/password_change/",
    ]


def test_no_admin_page_an_officer_opens_shows_english(officer_client):
    for url in _pages(officer_client.system):
        assert english_in(_text(officer_client, url)) == [], url


def test_a_form_with_errors_says_so_in_vietnamese(officer_client):
    response = officer_client.post(f"{SYSTEMS}add/", {"code": "", "name": ""})
    text = page_text(response.content.decode())
    assert "Vui lòng sửa các lỗi dưới đây." in text
    assert english_in(text) == []


def test_the_history_shows_values_by_their_labels(officer_client):
    text = _text(officer_client, f"{SYSTEMS}{officer_client.system.pk}/history/")
    assert "Triển khai một phần → Triển khai đầy đủ" in text
    assert "partial" not in text and "full" not in text


def test_the_history_button_reads_lich_su(officer_client):
    html = officer_client.get(f"{SYSTEMS}{officer_client.system.pk}/change/").content.decode()
    assert 'class="historylink">Lịch sử</a>' in html
    assert "Bản ghi nhớ" not in html


def test_a_past_version_is_named_as_the_other_pages_name_it(officer_client):
    system = officer_client.system
    version = system.history.order_by("history_id").first().history_id
    text = _text(officer_client, f"{SYSTEMS}{system.pk}/history/{version}/")
    assert "Danh mục hệ thống thông tin › Hệ thống thông tin" in text


def test_the_list_keeps_long_names_to_one_line_with_the_whole_name_in_a_title(officer_client):
    long_name = "Hệ thống thông tin " + "quản lý hồ sơ công việc và điều hành tác nghiệp " * 3
    officer_client.system.name = long_name.strip()
    officer_client.system.save()
    html = officer_client.get(SYSTEMS).content.decode()
    assert f'<span class="one-line" title="{long_name.strip()}">' in html
    assert 'id="nav-sidebar"' not in html  # the list takes the width


def test_empty_filter_choices_read_tat_ca(officer_client):
    text = _text(officer_client, SYSTEMS)
    assert "Tất cả" in text
    assert "---------" not in text


def test_no_list_or_form_of_any_admin_shows_english_to_a_national_admin(
    client, national_admin, two_units
):
    client.force_login(national_admin)
    opened = set()
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for url in (base, f"{base}add/"):
            response = client.get(url)
            if response.status_code != 200:
                continue  # e.g. an append-only log has no add page
            opened.add(url)
            assert english_in(page_text(response.content.decode())) == [], url
    assert {
        "/admin/registry/unit/add/",
        "/admin/registry/membership/add/",
        "/admin/notifications/recipientpreference/add/",
        "/admin/audit/auditevent/",
    } <= opened


def test_the_admins_calendar_names_the_days_in_vietnamese(officer_client):
    catalog = officer_client.get("/admin/jsi18n/").content.decode()
    assert '"Sunday": "Ch\\u1ee7 nh\\u1eadt"' in catalog or '"Sunday": "Chủ nhật"' in catalog
