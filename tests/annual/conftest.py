"""A province with a department, its systems, and a person in each role around it."""

import datetime

import pytest

from registry.models import Role
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role

YEAR = 2024
AFTER_PERIOD = datetime.date(2024, 12, 20)  # submittable: the data period is over


@pytest.fixture(autouse=True)
def scratch_media(settings, tmp_path):
    """Stored reports go to a scratch MEDIA_ROOT, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def world(db):
    province = UnitFactory(code="P91", name="Tỉnh Kiểm Thử")
    department = SubUnitFactory(parent=province, code="P91-IT", name="Sở Kiểm Thử")
    other = UnitFactory(code="P92", name="Tỉnh Khác Zqxv")
    systems = [
        SystemFactory(owner=province, code="P91-1", deployed=True, proposed_level=3),
        SystemFactory(owner=department, code="P91-2", approved=True, proposed_level=2),
        SystemFactory(owner=department, code="P91-3", proposed_level=1),
        SystemFactory(owner=other, code="P92-1", approved=True),
    ]
    return {
        "province": province,
        "department": department,
        "other": other,
        "systems": systems,
        "officer": user_with_role(Role.OFFICER, province),
        "viewer": user_with_role(Role.VIEWER, province),
        "sub_officer": user_with_role(Role.OFFICER, department),
        "other_officer": user_with_role(Role.OFFICER, other),
        "national": user_with_role(Role.NATIONAL_ADMIN),
    }
