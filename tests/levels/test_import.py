"""The criteria's attributes travel through the import and the export like the other columns."""

import csv
import io

import pytest

from registry.exports import export_systems
from registry.levels.choices import InfrastructureReach, NationalRole, SecurityHarm, UserBand
from registry.models import InformationSystem
from tests.factories import SystemFactory
from tests.imports.conftest import csv_bytes, errors_of, run_import

pytestmark = pytest.mark.django_db
HEADERS = [
    "Mã hệ thống",
    "Tên hệ thống",
    "Đơn vị chủ quản",
    "Mức độ dịch vụ công trực tuyến",
    "Số người dùng",
    "Ngành nghề kinh doanh có điều kiện",
    "Phạm vi hạ tầng",
    "Mức tổn hại quốc phòng, an ninh quốc gia",
    "Vai trò quốc gia",
]


def test_the_criteria_columns_are_imported_and_exported():
    system = SystemFactory(system_type="public_service")
    row = [
        system.code,
        system.name,
        system.owner.name,
        "3",
        "Từ 10.000 trở lên",
        "Có",
        "Ngành, tỉnh",
        "Gây tổn hại",
        "Do Thủ tướng Chính phủ chỉ định",
    ]
    report = run_import(csv_bytes([HEADERS, row]))
    assert report.ok, report.errors
    system.refresh_from_db()
    assert (
        system.online_service_level,
        system.user_count_band,
        system.conditional_business,
        system.infrastructure_reach,
        system.security_harm,
        system.national_role,
    ) == (
        3,
        UserBand.FROM_10000,
        True,
        InfrastructureReach.SECTOR_OR_PROVINCE,
        SecurityHarm.HARM,
        NationalRole.DESIGNATED,
    )
    exported = export_systems(InformationSystem.objects.all(), "csv")
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0]["Số người dùng"] == "Từ 10.000 trở lên"
    assert rows[0]["Vai trò quốc gia"] == "Do Thủ tướng Chính phủ chỉ định"
    assert rows[0]["Mức độ dịch vụ công trực tuyến"] == "3"


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("Mức độ dịch vụ công trực tuyến", "5", "less than or equal to 4"),
        ("Số người dùng", "rất nhiều", "is not one of"),
    ],
)
def test_a_wrong_criteria_value_is_refused_by_cell(column, value, message):
    system = SystemFactory()
    data = {h: "" for h in HEADERS} | {
        "Mã hệ thống": system.code,
        "Tên hệ thống": system.name,
        "Đơn vị chủ quản": system.owner.name,
        column: value,
    }
    report = run_import(csv_bytes([HEADERS, [data[h] for h in HEADERS]]))
    assert not report.ok
    assert any(message in text for _row, _column, text in errors_of(report)), errors_of(report)
