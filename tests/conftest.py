import os

import pytest
from django.core.management import call_command

from registry.models import Role
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role

PASSWORD = "pw-Secret-123"


def pytest_collection_modifyitems(config, items):
    if os.environ.get("REDIS_URL"):
        return
    skip = pytest.mark.skip(reason="needs a Redis broker: set REDIS_URL (CI does)")
    for item in items:
        if "broker" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def baseline(db):
    """The Appendix IX baseline, loaded once per test (transaction rolled back after)."""
    call_command("load_appendix_ix")


@pytest.fixture
def two_units(db):
    """Two provinces, each with a subordinate department and systems in both."""
    units = {}
    for key in ("a", "b"):
        province = UnitFactory(name=f"Tỉnh {key.upper()}")
        department = SubUnitFactory(parent=province, name=f"Sở TT&TT {key.upper()}")
        units[key] = {
            "province": province,
            "department": department,
            "system": SystemFactory(owner=province, name=f"Cổng thông tin {key.upper()}"),
            "sub_system": SystemFactory(owner=department, name=f"Thư điện tử {key.upper()}"),
        }
    return units


@pytest.fixture
def national_admin(db):
    return user_with_role(Role.NATIONAL_ADMIN)


@pytest.fixture
def role_user(db):
    """role_user(role, unit) -> a staff user holding that role for the unit."""
    return lambda role, unit=None: user_with_role(role, unit)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # As cookiecutter-django's test settings: PBKDF2's deliberate slowness only slows the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sign_ins_pass_second_factor(monkeypatch):
    # The test client's login shortcuts stand for both steps of a sign-in (tests/accounts/).
    from django.test import Client

    from tests.accounts import sessions

    monkeypatch.setattr(Client, "force_login", sessions.force_login)
    monkeypatch.setattr(Client, "login", sessions.login)
