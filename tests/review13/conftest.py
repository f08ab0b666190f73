"""Small structures for the review of issue 13 (unit changes)."""

import datetime

import pytest
from django.utils import timezone

from registry.reorganisation import changes
from registry.reorganisation.models import ChangeKind
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory

TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=10)


@pytest.fixture
def provinces(db):
    """Three provinces: A (3 systems, one in its department), B (2 systems), C (1)."""
    a, b, c = (UnitFactory(name=f"Tỉnh {key}", code=f"R9{n}") for n, key in enumerate("ABC"))
    department = SubUnitFactory(parent=a, code="R90-IT")
    SystemFactory.create_batch(2, owner=a)
    SystemFactory(owner=department)
    SystemFactory.create_batch(2, owner=b)
    SystemFactory(owner=c)
    return {"A": a, "B": b, "C": c, "A-IT": department}


def record(kind, unit, day, **extra):
    spec = changes.ChangeSpec(
        kind=kind, unit=unit, effective_on=day, legal_basis="Nghị quyết thử", **extra
    )
    return changes.record_change(spec)


def merge(unit, successor, day):
    return record(ChangeKind.MERGE, unit, day, successor=successor)
