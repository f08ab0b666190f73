"""The import speaks Vietnamese by default (project catalog locale/vi)."""

import pytest
from django.urls import reverse
from django.utils import translation

from registry.models import Role
from tests.imports import corpus
from tests.imports.conftest import basic_csv, csv_bytes, run_import

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


def _messages(data, user, language, name="f.csv"):
    with translation.override(language):
        report = run_import(data, user, name=name)
        return [report.summary(), *report.all_notes(), *(e.message for e in report.errors)]


@pytest.mark.parametrize(
    "name, build",
    [
        ("empty.csv", lambda: b""),
        ("header.csv", lambda: corpus.raw_xlsx(corpus.sheet([]))),
        ("bomb.xlsx", lambda: corpus.many_entries(600)),
        ("damaged.xlsx", lambda: b"PK\x03\x04" + bytes(100)),
        ("calc.ods", corpus.ods),
        ("quote.csv", corpus.unclosed_quote),
        ("lines.csv", lambda: corpus.nul_after_8k()),
        ("notes.csv", lambda: csv_bytes([["STT", *corpus.HEADERS], ["Tổng cộng"]])),
        ("ragged.csv", lambda: csv_bytes([corpus.HEADERS, [*corpus.good_row(1), "x"]])),
        (
            "numbered.csv",
            lambda: csv_bytes([corpus.HEADERS, [1, 2, 3, 4, 5], ["", "x", "", "", ""]]),
        ),
    ],
)
def test_every_message_of_a_refused_file_is_in_vietnamese(two_units, officer_a, name, build):
    data = build()
    english, vietnamese = (
        _messages(data, officer_a, "en", name),
        _messages(data, officer_a, "vi", name),
    )
    assert len(english) == len(vietnamese)
    for en, vi in zip(english, vietnamese, strict=True):
        assert en != vi, en
