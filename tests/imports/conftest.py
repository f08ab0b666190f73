import csv
import io

import pytest
from django.utils import translation
from openpyxl import Workbook


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); test_translations checks Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored import files go to a temporary directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def officer_a(two_units, role_user):
    from registry.models import Role

    return role_user(Role.OFFICER, two_units["a"]["province"])


def csv_bytes(rows, delimiter=",", bom=True):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows, title="Sheet1", extra_sheets=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, extra_rows in extra_sheets:
        other = workbook.create_sheet(name)
        for row in extra_rows:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(data, user=None, name="systems.csv", **options):
    from registry.imports import import_systems

    return import_systems(io.BytesIO(data), name, user, **options)


BASIC_HEADERS = [
    "Mã hệ thống",
    "Tên hệ thống",
    "Đơn vị chủ quản",
    "Cấp độ đề xuất",
    "Ngày khai báo",
]


def basic_csv(*rows, headers=BASIC_HEADERS, **options):
    return csv_bytes([headers, *rows], **options)


def errors_of(report):
    return [(error.row, error.column, error.message) for error in report.errors]
