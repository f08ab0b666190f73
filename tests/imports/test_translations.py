"""The import speaks Vietnamese by default (project catalog locale/vi)."""

import pytest
from django.urls import reverse
from django.utils import translation

from registry.models import Role
from tests.imports.conftest import basic_csv, run_import

pytestmark = pytest.mark.django_db


def test_report_and_row_errors_in_vietnamese(two_units, national_admin):
    data = basic_csv(["NEW-1", "Hệ thống", "Tỉnh A", "Cấp độ 9", "31/02/2024"])
    with translation.override("vi"):
        report = run_import(data, national_admin)
        assert report.summary() == "Chưa ghi dữ liệu nào: 1 dòng có lỗi; hãy sửa và nhập lại."
        assert [e.message for e in report.errors] == ["“31/02/2024” không phải là ngày có thật."]


def test_import_page_in_vietnamese(client, two_units, role_user):
    client.force_login(role_user(Role.OFFICER, two_units["a"]["province"]))
    with translation.override("vi"):
        page = client.get(
            reverse("admin:registry_informationsystem_import"), HTTP_ACCEPT_LANGUAGE="vi"
        ).content.decode()
    assert "Nhập danh mục hệ thống thông tin" in page and "Kiểm tra tệp" in page
