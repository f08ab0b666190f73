"""Scope across a merger: who may read and change a merged unit's systems afterwards."""

import datetime

from compliance.selectors import unit_systems
from registry import scope
from registry.models import Membership, Role
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role

from .conftest import days_ago, merge, today


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # a new request: scope read afresh


def test_the_former_parent_of_a_merged_department_no_longer_changes_its_systems(db):
    """Department A of ministry M is merged into department B of ministry N: from the date
    A's systems count toward N (the summary agrees), yet M's officer still edits them, because
    the scope covers M's path and A's path still lies under it."""
    m, n = UnitFactory(code="RM1"), UnitFactory(code="RN1")
    a, b = SubUnitFactory(parent=m, code="RM1-A"), SubUnitFactory(parent=n, code="RN1-B")
    system_of_a = SystemFactory(owner=a)
    officer_of_m = user_with_role(Role.OFFICER, m)
    merge(a, b, today())
    assert system_of_a in unit_systems(n, today())
    assert system_of_a not in unit_systems(m, today())
    officer_of_m = fresh(officer_of_m)
    assert not scope.editable_systems(officer_of_m).filter(pk=system_of_a.pk).exists()


def test_people_of_a_unit_merged_twice_are_offered_in_the_unit_that_exists(provinces):
    """A merged into B, then B into C: A's officer was carried over to B pending
    confirmation; B's second merger carries only confirmed roles, so A's officer is left
    with a pending role in a unit that no longer exists and is never offered in C."""
    a, b, c = provinces["A"], provinces["B"], provinces["C"]
    officer_of_a = user_with_role(Role.OFFICER, a)
    merge(a, b, days_ago(20))
    merge(b, c, days_ago(10))
    assert Membership.objects.filter(user=officer_of_a, unit=c).exists()


def test_an_officer_of_a_unit_merged_after_absorbing_another_keeps_reading_its_history(
    provinces,
):
    """C merged into A 20 days ago, A into B 10 days ago. A's page as of 15 days ago counts
    and lists C's system (it was A's then), and A's officer could open it then; now their
    role in A covers the units merged into A by their *final* successor's path (B's), so C's
    system is out of their reach: they lose part of the history of the unit they belonged to."""
    a, b, c = provinces["A"], provinces["B"], provinces["C"]
    officer_of_a = user_with_role(Role.OFFICER, a)
    merge(c, a, days_ago(20))
    merge(a, b, days_ago(10))
    between = days_ago(20) + datetime.timedelta(days=5)
    system_of_c = c.systems.get()
    assert system_of_c in unit_systems(a, between)
    assert scope.visible_systems(fresh(officer_of_a)).filter(pk=system_of_c.pk).exists()


def test_granting_a_role_already_carried_over_makes_it_count(provinces):
    """A merged into B; B's account administrator grants A's former officer the officer role
    in B (the accounts page says "Role granted."). `grant_role` does get_or_create on (user,
    role, unit) and finds the carried-over row, still pending: the grant changes nothing."""
    from registry.accounts import actions

    a, b = provinces["A"], provinces["B"]
    officer_of_a = user_with_role(Role.OFFICER, a)
    merge(a, b, days_ago(10))
    account_admin_of_b = user_with_role(Role.ACCOUNT_ADMIN, b)
    actions.grant_role(officer_of_a, Role.OFFICER, b, actor=account_admin_of_b)
    assert scope.editable_systems(fresh(officer_of_a)).filter(owner=b).exists()


def test_an_unconfirmed_officer_of_a_merged_unit_reads_only_its_history(provinces):
    """Before confirmation A's former officer keeps reading A's subtree by path, the present
    included: a system declared today in A's department — now B's — is visible to them, though
    they have no confirmed role in B."""
    a, b = provinces["A"], provinces["B"]
    officer_of_a = user_with_role(Role.OFFICER, a)
    merge(a, b, days_ago(10))
    new_system = SystemFactory(owner=provinces["A-IT"], declared_on=today())
    assert not scope.visible_systems(fresh(officer_of_a)).filter(pk=new_system.pk).exists()
