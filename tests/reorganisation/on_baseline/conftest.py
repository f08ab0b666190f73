"""The Appendix IX baseline with the bundled 2025 reorganisation recorded, loaded once for
the package (its transaction stays open until the package's last test; each test's own
transaction nests inside it, so the package holds no transactional test)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from registry.models import Unit

BEFORE_MINISTRIES = datetime.date(2024, 6, 30)
MINISTRIES_MERGED = datetime.date(2025, 6, 30)
PROVINCES_MERGED = datetime.date(2025, 12, 31)


@pytest.fixture(scope="package")
def reorganised(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_appendix_ix", verbosity=0)
        call_command("apply_unit_changes", stdout=_Sink())
        yield
        transaction.set_rollback(True)


class _Sink:
    def write(self, text):
        pass


@pytest.fixture
def units(reorganised, db):
    """Units by code: P02 Hà Giang, P08 Tuyên Quang, P10 Lào Cai, P15 Yên Bái → Lào Cai,
    B29 Bộ Nông nghiệp và Môi trường (new), B04 Bộ Kế hoạch và Đầu tư (merged)."""
    return {unit.code: unit for unit in Unit.objects.all()}
