"""The admin: Import and Export buttons, upload → dry-run preview → confirm, templates, history."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from registry.models import ImportBatch, ImportStatus, InformationSystem, Role
from tests.imports.conftest import basic_csv

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:registry_informationsystem_changelist")
IMPORT_URL = reverse("admin:registry_informationsystem_import")


def export_url(fmt):
    return reverse("admin:registry_informationsystem_export", args=[fmt])


def template_url(fmt):
    return reverse("admin:registry_informationsystem_template", args=[fmt])


def confirm_url(batch):
    return reverse("admin:registry_informationsystem_confirm", args=[batch.pk])


@pytest.fixture
def officer(two_units, role_user, client):
    user = role_user(Role.OFFICER, two_units["a"]["province"])
    client.force_login(user)
    return user


def upload(client, data, name="he-thong.csv", **fields):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), **fields})


def test_the_list_has_import_and_export_buttons_for_an_officer(client, officer):
    page = client.get(LIST_URL).content.decode()
    for url in (IMPORT_URL, export_url("xlsx"), export_url("csv")):
        assert f'href="{url}"' in page


def test_a_viewer_may_export_but_not_import(client, two_units, role_user):
    client.force_login(role_user(Role.VIEWER, two_units["a"]["province"]))
    page = client.get(LIST_URL).content.decode()
    assert f'href="{IMPORT_URL}"' not in page and f'href="{export_url("csv")}"' in page
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, basic_csv(["N", "x", "Tỉnh A", "2", ""])).status_code == 403
    assert client.get(export_url("csv")).status_code == 200


def test_upload_shows_a_dry_run_preview_then_confirm_writes(client, officer, two_units):
    system = two_units["a"]["system"]
    data = basic_csv(
        ["NEW-1", "Hệ thống mới", "Tỉnh A", "Cấp độ 3", "15/01/2024"],
        [system.code, system.name, "Tỉnh A", "4", system.declared_on.strftime("%d/%m/%Y")],
    )
    response = upload(client, data)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.updated, report.dry_run) == (1, 1, True)
    page = response.content.decode()
    assert "NEW-1" in page and "Cấp độ đề xuất" in page
    assert not InformationSystem.objects.filter(code="NEW-1").exists()
    dry_run = ImportBatch.objects.get()
    assert f'action="{confirm_url(dry_run)}"' in page

    response = client.post(confirm_url(dry_run))
    assert response.status_code == 302 and response.url == LIST_URL
    new = InformationSystem.objects.get(code="NEW-1")
    applied = ImportBatch.objects.get(status=ImportStatus.APPLIED)
    assert (applied.user, applied.checksum, applied.created) == (officer, dry_run.checksum, 1)
    assert new.history.get().import_batch == applied
    system.refresh_from_db()
    assert system.proposed_level == 4


def test_a_preview_with_errors_lists_them_and_offers_no_confirm(client, officer):
    data = basic_csv(["NEW-1", "Hệ thống", "Tỉnh B", "6", "15/01/2024"])
    page = upload(client, data).content.decode()
    assert 'id="import-errors"' in page
    assert "Confirm" not in page and "Xác nhận" not in page
    assert ImportBatch.objects.get().status == ImportStatus.REJECTED


def test_a_bad_file_gets_its_message(client, officer):
    page = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00", name="anh.png").content.decode()
    assert ImportBatch.objects.get().message in page


def test_nobody_confirms_another_users_dry_run(client, officer, two_units, role_user):
    upload(client, basic_csv(["NEW-1", "Hệ thống", "Tỉnh A", "2", "15/01/2024"]))
    dry_run = ImportBatch.objects.get()
    other = role_user(Role.OFFICER, two_units["a"]["province"])
    client.force_login(other)
    assert client.post(confirm_url(dry_run)).status_code == 404
    assert client.get(confirm_url(dry_run)).status_code == 403
    assert not InformationSystem.objects.filter(code="NEW-1").exists()


def test_templates_download(client, officer):
    response = client.get(template_url("xlsx"))
    assert response["Content-Disposition"].startswith('attachment; filename="mau-nhap-he-thong')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[0]["A1"].value == "Mã hệ thống"
    assert client.get(template_url("csv")).content.decode("utf-8-sig").startswith("Mã hệ thống,")
    assert client.get(template_url("pdf")).status_code == 404


def test_export_is_scoped_to_the_user(client, officer, two_units):
    response = client.get(export_url("csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # row by row, whatever the number of systems
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for system in ("system", "sub_system"):
        assert two_units["a"][system].code in text
        assert two_units["b"][system].code not in text


def test_import_history_in_the_admin_shows_ones_own_imports(client, officer, two_units, role_user):
    upload(client, basic_csv(["NEW-1", "Hệ thống", "Tỉnh A", "2", "15/01/2024"]))
    other = role_user(Role.OFFICER, two_units["b"]["province"])
    mine = ImportBatch.objects.get()
    history = reverse("admin:registry_importbatch_changelist")
    assert "he-thong.csv" in client.get(history).content.decode()
    assert (
        client.get(reverse("admin:registry_importbatch_change", args=[mine.pk])).status_code == 200
    )
    client.force_login(other)
    assert "he-thong.csv" not in client.get(history).content.decode()
    assert (
        client.get(reverse("admin:registry_importbatch_change", args=[mine.pk])).status_code == 404
    )


def test_an_upload_over_the_limit_is_refused_before_its_body_is_read(
    officer, client, settings, monkeypatch
):
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    def never(*args, **kwargs):
        raise AssertionError("the file's bytes were read")

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", never)
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(client, b"x" * (2 * 1024 * 1024), name="lon.csv")
    assert response.status_code == 200
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.status, batch.source.name) == (
        "lon.csv",
        ImportStatus.REJECTED,
        "",
    )
    assert batch.size > 2 * 1024 * 1024
    assert batch.message == "Chưa ghi dữ liệu nào: Tệp có dung lượng 2 MB; giới hạn là 1 MB."
    assert batch.message in response.content.decode()


def test_an_upload_just_under_the_limit_is_read(officer, client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    padding = " " * 116_000  # trimmed away by the import
    rows = [[f"NEW-{n}", "Hệ thống" + padding, "Tỉnh A", "2", ""] for n in range(9)]
    data = basic_csv(*rows)
    assert 1024 * 1024 - 10_000 < len(data) <= 1024 * 1024
    response = upload(client, data)
    assert response.context["report"].ok
