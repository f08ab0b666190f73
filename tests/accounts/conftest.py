import pytest

from registry.models import Role
from tests.factories import SubUnitFactory, UnitFactory, user_with_role


@pytest.fixture
def provinces(db):
    """Province A with a department, province B; an account administrator of A."""
    a = UnitFactory(name="Tỉnh A", code="PA")
    a_dept = SubUnitFactory(parent=a, name="Sở A", code="PA-IT")
    b = UnitFactory(name="Tỉnh B", code="PB")
    return {
        "a": a,
        "a_dept": a_dept,
        "b": b,
        "admin_a": user_with_role(Role.ACCOUNT_ADMIN, a),
        "national": user_with_role(Role.NATIONAL_ADMIN),
    }


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """with commit(): ... runs what the block queued for after its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
