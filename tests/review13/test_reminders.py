"""Reminders of a deadline scoped to a unit that is merged afterwards."""

import datetime

from notifications.models import Delivery
from notifications.planner import plan_day
from registry.models import Role
from tests.notifications.conftest import approval_campaign, staff_units  # noqa: F401

from .conftest import merge


def test_a_deadline_set_for_a_merged_unit_follows_its_systems_to_the_successor(
    provinces,
    approval_campaign,  # noqa: F811
):
    """The approval deadline is set for A alone; A is merged into B on 01/09/2024. A's three
    systems are still outstanding and now count toward B, but the planner scopes the deadline
    by `structure.subtree(A)`, empty once A has ended: nobody is reminded about them."""
    a, b = provinces["A"], provinces["B"]
    approval_campaign.units.set([a])
    staff = staff_units([a, b, provinces["C"]])
    merge(a, b, datetime.date(2024, 9, 1))
    plan_day(datetime.date(2024, 9, 23))
    notices = Delivery.objects.filter(campaign=approval_campaign, unit=b)
    assert notices.filter(recipient=staff[b.code, Role.MANAGER]).exists()
    assert notices.first().outstanding == 3  # A's three, not B's own two
