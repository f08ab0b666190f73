"""History from the start: every system has a first row, and every change reads as field label,
old → new, in the user's language, with who, when and the import file."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from compliance.history import change_history
from registry.baseline import load_appendix_ix
from registry.models import Deployment, InformationSystem, Role
from tests.factories import SystemFactory
from tests.imports.conftest import basic_csv, run_import

pytestmark = pytest.mark.django_db
backfill = importlib.import_module(
    "registry.migrations.0004_import_failed_and_first_history"
).backfill_first_history


def _history_url(system):
    return reverse("admin:registry_informationsystem_history", args=[system.pk])


def test_the_baseline_gives_every_system_its_first_history_row():
    load_appendix_ix()
    systems = InformationSystem.objects.count()
    history = InformationSystem.history.filter(history_type="+")
    assert history.count() == systems == InformationSystem.history.count()


def test_the_backfill_gives_a_first_row_to_systems_without_one(two_units, national_admin):
    national = national_admin
    bare = SystemFactory.build(owner=two_units["a"]["province"], code="BARE-1")
    bare.name_ascii = "he thong"
    InformationSystem.objects.bulk_create([bare])  # as the baseline used to: no history
    system = InformationSystem.objects.get(code="BARE-1")
    assert not system.history.exists()
    backfill(apps, None)
    backfill(apps, None)  # a second run adds nothing
    first = system.history.get()
    assert (first.history_type, first.name, first.history_date) == (
        "+",
        system.name,
        system.updated_at,
    )
    assert InformationSystem.history.filter(id=two_units["a"]["system"].pk).count() == 1

    system.deployment = Deployment.PARTIAL
    system.save()
    with translation.override("en"):
        (change,) = change_history(system, national)[0].changes
    assert (change.label, change.old, change.new) == (
        "protection plan deployment",
        "Not started",
        "Partial",
    )


def test_values_read_as_people_write_them(two_units, national_admin):
    national = national_admin
    system = InformationSystem.objects.get(pk=two_units["a"]["system"].pk)
    system.handles_personal_data = True
    system.go_live_on = datetime.date(2024, 2, 29)
    system.operator = two_units["a"]["department"]
    system.save()
    with translation.override("vi"):
        changes = {
            c.name: (c.label, c.old, c.new) for c in change_history(system, national)[0].changes
        }
    assert changes == {
        "operator": ("đơn vị vận hành", "—", "Sở TT&TT A"),
        "handles_personal_data": ("dữ liệu cá nhân", "không", "có"),
        "go_live_on": ("ngày đưa vào vận hành", "—", "29/02/2024"),
    }


def test_an_import_names_its_file_linked_for_the_importer_only(two_units, role_user, client):
    province = two_units["a"]["province"]
    officer = role_user(Role.OFFICER, province)
    system = two_units["a"]["system"]
    row = [system.code, system.name, "Tỉnh A", "4", "15/01/2023"]
    report = run_import(basic_csv(row), officer, name="ke-khai.csv")
    assert (report.ok, report.updated) == (True, 1)
    link = reverse("admin:registry_importbatch_change", args=[report.batch.pk])

    client.force_login(officer)
    with translation.override("vi"):
        page = client.get(reverse("compliance:system", args=[system.pk])).content.decode()
        admin_page = client.get(_history_url(system)).content.decode()
    for html in (page, admin_page):
        assert f'<a href="{link}">Lần nhập số {report.batch.pk}: ke-khai.csv</a>' in html
        assert "<strong>Cấp độ đề xuất</strong>: 2 → 4" in html

    other_officer = role_user(Role.OFFICER, province)
    client.force_login(other_officer)
    page = client.get(reverse("compliance:system", args=[system.pk])).content.decode()
    assert f"Lần nhập số {report.batch.pk}: ke-khai.csv" in page and link not in page


def test_the_admin_history_page_is_readable_and_in_vietnamese(two_units, national_admin, client):
    system = InformationSystem.objects.get(pk=two_units["a"]["system"].pk)
    system.deployment = Deployment.PARTIAL
    system._history_user = national_admin
    system.save()
    client.force_login(national_admin)
    html = client.get(_history_url(system)).content.decode()  # Vietnamese whatever the browser
    assert "<h1>Lịch sử thay đổi: " in html
    assert (
        "<strong>Triển khai phương án bảo đảm an toàn</strong>: "
        "Chưa triển khai → Triển khai một phần" in html
    )
    for untranslated in ("Bản ghi nhớ", "not_started", "None", "Changed by", "Date/time"):
        assert untranslated not in html
    assert "2 thay đổi" in html


def test_the_first_change_on_a_later_page_still_shows_its_fields(
    two_units, national_admin, client, monkeypatch
):
    from registry.admin import InformationSystemAdmin

    monkeypatch.setattr(InformationSystemAdmin, "history_list_per_page", 1)
    system = InformationSystem.objects.get(pk=two_units["a"]["system"].pk)
    system.proposed_level = 3
    system.save()
    client.force_login(national_admin)
    html = client.get(_history_url(system)).content.decode()
    assert "<strong>Cấp độ đề xuất</strong>: 2 → 3" in html


def test_a_past_version_page_is_in_vietnamese(two_units, national_admin, client):
    system = two_units["a"]["system"]
    record = system.history.get()
    client.force_login(national_admin)
    url = reverse(
        "admin:registry_informationsystem_simple_history", args=[system.pk, record.history_id]
    )
    html = client.get(url).content.decode()
    assert f"<h1>Xem phiên bản: {system}</h1>" in html
    assert "Lịch sử</a>" in html and "Bản ghi nhớ" not in html


def test_a_system_that_moved_in_names_neither_its_former_unit_nor_its_people(
    two_units, role_user, client
):
    a, b = two_units["a"], two_units["b"]
    officer_b = role_user(Role.OFFICER, b["province"])
    system = InformationSystem.objects.get(pk=b["system"].pk)
    system._history_user = officer_b
    system.name = "Cổng đã chuyển"
    system.save()
    system.owner = a["province"]
    system.save()
    viewer = role_user(Role.VIEWER, a["province"])
    client.force_login(viewer)
    for url in (f"/systems/{system.pk}/", _history_url(system)):
        body = client.get(url).content.decode()
        assert "Tỉnh B" not in body and officer_b.username not in body, url
        assert "Tỉnh A" in body
