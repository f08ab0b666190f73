"""Undated edits in the admin that rewrite the past the unit changes were meant to keep."""

from compliance.selectors import compliance_summary
from registry.models import Role
from registry.reorganisation.models import ChangeKind
from registry.reorganisation.structure import Structure
from tests.factories import user_with_role
from tests.test_admin_forms import _form_data

from .conftest import days_ago, merge, record, today


def totals(as_of):
    return {row.unit.name: row.total for row in compliance_summary(as_of).units}


def test_handing_a_merged_units_system_to_its_successor_keeps_the_past(provinces, client):
    """A merged into B last week. The owner select offers B for a system of A, and saving it
    is an undated owner change (no `previous_owner`/`owner_since`, as the split's reassign page
    sets): the report of 20 days ago, before the merger, loses the system from A."""
    a, b = provinces["A"], provinces["B"]
    merge(a, b, days_ago(7))
    assert totals(days_ago(20))["Tỉnh A"] == 3
    system = a.systems.order_by("pk").first()
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    url = f"/admin/registry/informationsystem/{system.pk}/change/"
    response = client.post(url, _form_data(system, owner=b.pk))
    assert response.status_code in (200, 302)
    assert totals(days_ago(20))["Tỉnh A"] == 3  # history stays as it was


def test_correcting_a_renamed_units_name_in_the_admin_shows_on_its_pages(provinces):
    """A renamed last week to "Tỉnh A mới"; a national administrator then corrects a typo in
    the unit's name in the unit admin (the name stays editable there). After a recorded rename
    the structure takes every later name from the change, never from the unit row: pages,
    reports and e-mails keep the typo while the admin lists show the correction."""
    a = provinces["A"]
    record(ChangeKind.RENAME, a, days_ago(7), new_name="Tỉnh A mơi")
    a.refresh_from_db()
    a.name = "Tỉnh A mới"
    a.save()
    assert Structure.load(today()).name(a.pk) == "Tỉnh A mới"
