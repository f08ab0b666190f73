"""Tests on the Appendix IX baseline, loaded once for this package.

The package holds no transactional test: its baseline lives in a transaction
that stays open until the package's last test, and each test's own
transaction nests inside it.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from registry.models import Role, Unit


@pytest.fixture(scope="package")
def page_baseline(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_appendix_ix", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def units(page_baseline, db):
    """The baseline's units by code (B05 Bộ Tài chính, P38 Thanh Hóa, P01 Hà Nội; <code>-IT)."""
    return {unit.code: unit for unit in Unit.objects.all()}


@pytest.fixture
def viewer_p38(units, role_user):
    return role_user(Role.VIEWER, units["P38"])


@pytest.fixture
def officer_b05(units, role_user):
    return role_user(Role.OFFICER, units["B05"])


@pytest.fixture
def manager_p01(units, role_user):
    return role_user(Role.MANAGER, units["P01"])
