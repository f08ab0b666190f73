"""Query budgets: the national page in at most 10 queries, a unit page in at most 15, whatever the
number of systems (the same count at two data sizes)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.trends import record_snapshots
from registry.models import Role
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role

# The unit structure of the date (units, unit changes), and the periodic inspections (issue
# 14): 2 queries nationally (systems due, organisation assessments), 3 on a unit page (counts,
# the listed systems, the unit's own assessment); a viewer's scope also reads the units merged
# into theirs.
NATIONAL_BUDGET = 11
UNIT_BUDGET = 16


def _grow(units, per_unit):
    """per_unit more systems in each unit's subtree, at every stage, and a month of snapshots."""
    for index, unit in enumerate(units):
        department = unit.children.first()
        SystemFactory.create_batch(per_unit, owner=unit, proposed_level=1 + index % 5)
        SystemFactory.create_batch(per_unit, owner=department, approved=True)
        SystemFactory.create_batch(per_unit, owner=department, deployed=True, operator=unit)
    record_snapshots(datetime.date(2024, 5, 31))


@pytest.fixture
def world(db):
    provinces = [UnitFactory() for _ in range(4)]
    for province in provinces:
        SubUnitFactory(parent=province)
    return provinces


def _count(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params", [{}, {"as_of": "2024-06-30", "below": "approval", "p-sort": "-approval_rate"}]
)
def test_national_page_budget_is_constant(client, world, params):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    url = reverse("compliance:national")
    counts = []
    for per_unit in (2, 20):
        _grow(world, per_unit)
        counts.append(_count(client, url, params))
    print(url, params, counts)
    assert counts[0] == counts[1] <= NATIONAL_BUDGET, counts


@pytest.mark.parametrize(
    "params", [{}, {"as_of": "2024-06-30", "level": "1", "q": "thống", "o-page": "2"}]
)
def test_unit_page_budget_is_constant(client, world, params):
    unit = world[0]
    client.force_login(user_with_role(Role.VIEWER, unit))
    url = reverse("compliance:unit", args=[unit.code])
    counts = []
    for per_unit in (4, 40):
        _grow(world, per_unit)
        counts.append(_count(client, url, params))
    print(url, params, counts)
    assert counts[0] == counts[1] <= UNIT_BUDGET, counts


def test_exports_do_not_grow_with_the_rows(client, world):
    unit = world[0]
    client.force_login(user_with_role(Role.VIEWER, unit))
    url = reverse("compliance:unit_export", args=[unit.code, "outstanding", "xlsx"])
    counts = []
    for per_unit in (3, 30):
        _grow(world, per_unit)
        counts.append(_count(client, url, {}))
    assert counts[0] == counts[1], counts
