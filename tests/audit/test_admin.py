"""Reading the audit trail: national administrators only, filtered, exported; never edited."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.audit.actions import record
from registry.audit.models import AuditEvent
from registry.audit.selectors import visible_audit_events
from registry.models import Role
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:audit_auditevent_changelist")
EXPORT = reverse("admin:audit_auditevent_export")


@pytest.fixture
def events(national_admin, role_user):
    unit, other = UnitFactory(code="PAK"), UnitFactory(code="PZQ")
    officer = role_user(Role.OFFICER, unit)
    return {
        "login": record("auth.login", actor=officer),
        "export": record("export.downloaded", actor=officer, unit=unit, data={"kind": "csv"}),
        "other": record("report.requested", actor=national_admin, unit=other),
        "formula": record("auth.login_failed", data={"username": "=HYPERLINK(1)"}),
        "officer": officer,
        "unit": unit,
    }


def test_national_administrators_read_every_event(client, national_admin, events):
    client.force_login(national_admin)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 5  # and the sign-in of force_login


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER, Role.OFFICER])
def test_unit_roles_do_not_read_the_trail(client, role_user, events, role):
    user = role_user(role, events["unit"])
    client.force_login(user)
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    change = reverse("admin:audit_auditevent_change", args=[events["export"].pk])
    assert client.get(change).status_code == 404
    assert not visible_audit_events(user).exists()


def test_filters_by_user_unit_action_and_date(client, national_admin, events):
    client.force_login(national_admin)

    def count(query):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200, query
        return response.context["cl"].result_count

    assert count(f"actor__id__exact={events['officer'].pk}") == 2
    assert count(f"unit__id__exact={events['unit'].pk}") == 1
    assert count("action=auth.login") == 2  # the officer's and force_login's
    assert count("action=report.requested") == 1
    today = timezone.localdate(events["login"].at)
    assert count(f"at__year={today.year}&at__month={today.month}&at__day={today.day}") == 5
    assert count("at__year=2001") == 0
    assert count(f"q={events['officer'].username}") == 2


def test_nothing_can_be_added_changed_or_deleted(client, national_admin, events):
    client.force_login(national_admin)
    event = events["export"]
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change, {"action": "x.y"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    listing = client.post(LIST, {"action": "delete_selected", "_selected_action": [event.pk]})
    assert listing.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk, action="export.downloaded").exists()


def _rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_of_the_filtered_list_is_recorded(client, national_admin, events):
    client.force_login(national_admin)
    response = client.get(f"{EXPORT}?actor__id__exact={events['officer'].pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _rows(response)
    assert header[:3] == ["time", "user", "action"]
    assert [row[2] for row in rows] == ["auth.login", "export.downloaded"]
    assert rows[1][3] == "PAK" and rows[1][7] == '{"kind": "csv"}'
    exported = AuditEvent.objects.filter(action="export.downloaded", actor=national_admin).get()
    assert exported.data == {"kind": "audit"}


def test_csv_export_neutralises_formulas(client, national_admin, events):
    client.force_login(national_admin)
    rows = _rows(client.get(f"{EXPORT}?action=auth.login_failed"))
    assert rows[1][7].startswith("{")  # the JSON column does not start with "="
    assert "=HYPERLINK(1)" in rows[1][7]
    record("auth.login_failed", actor=events["officer"], data={})
    events["officer"].username = "=cmd"
    events["officer"].save()
    record("auth.login", actor=events["officer"])
    rows = _rows(client.get(f"{EXPORT}?q=%3Dcmd"))
    assert [row[1] for row in rows[1:]] == ["'=cmd"]


def test_account_administrators_read_their_units_subtree(client, events, role_user):
    from tests.factories import SubUnitFactory

    unit = events["unit"]
    department = SubUnitFactory(parent=unit)
    below = record("import.applied", unit=department)
    admin = role_user(Role.ACCOUNT_ADMIN, unit)
    visible = set(visible_audit_events(admin).values_list("pk", flat=True))
    # The unit's and its department's events, and the officer's sign-in (no unit): the officer
    # holds a role in the unit. Not the other unit's report, not an anonymous failed sign-in.
    assert visible == {events["login"].pk, events["export"].pk, below.pk}
    client.force_login(admin)
    assert client.get(LIST).status_code == 200
    other = reverse("admin:audit_auditevent_change", args=[events["other"].pk])
    assert client.get(other).status_code == 404
    rows = _rows(client.get(EXPORT))
    assert {row[2] for row in rows[1:]} == {"auth.login", "export.downloaded", "import.applied"}


def test_csv_export_with_an_unknown_filter_goes_back_to_the_list(client, national_admin, events):
    client.force_login(national_admin)
    response = client.get(f"{EXPORT}?no_such_filter=1")
    assert response.status_code == 302 and response["Location"] == f"{LIST}?e=1"
