"""record() and the append-only guarantees, in Python and (on PostgreSQL) in the database."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from registry.audit.actions import purge_expired, record
from registry.audit.models import AppendOnlyError, AuditEvent
from registry.audit.tasks import purge_expired_events
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _request(user=None, **meta):
    request = RequestFactory().get("/", **meta)
    if user is not None:
        request.user = user
    return request


def test_record_keeps_who_what_where_and_from_which_address(national_admin):
    unit = UnitFactory()
    request = _request(national_admin, REMOTE_ADDR="192.0.2.10")
    event = record("import.applied", unit=unit, target=unit, data={"rows": 3}, request=request)
    event.refresh_from_db()
    assert event.actor == national_admin
    assert event.actor_name == national_admin.username
    assert (event.action, event.unit, event.ip) == ("import.applied", unit, "192.0.2.10")
    assert (event.target_type, event.target_id) == ("registry.unit", str(unit.pk))
    assert event.data == {"rows": 3}
    assert timezone.now() - event.at < datetime.timedelta(minutes=1)


def test_an_explicit_actor_wins_over_the_requests_user(national_admin, role_user):
    other = role_user("viewer", UnitFactory())
    event = record("auth.login", actor=other, request=_request(national_admin))
    assert event.actor == other


def test_anonymous_requests_record_no_actor():
    from django.contrib.auth.models import AnonymousUser

    event = record("auth.login_failed", request=_request(AnonymousUser()))
    assert event.actor is None and event.actor_name == ""


def test_forwarded_address_counts_only_behind_a_trusted_proxy(settings):
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert record("auth.logout", request=_request(**meta)).ip == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert record("auth.logout", request=_request(**meta)).ip == "203.0.113.9"


def test_an_unknown_action_name_is_refused():
    with pytest.raises(ValueError):
        record("Login")
    assert not AuditEvent.objects.exists()


def test_the_actor_name_outlives_the_user(national_admin, role_user):
    user = role_user("viewer", UnitFactory())
    name = user.username
    event = record("auth.login", actor=user)
    user.memberships.all().delete()
    user.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_name == name


def test_saving_an_existing_event_is_refused():
    event = record("auth.login")
    event.action = "auth.logout"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get().action == "auth.login"


def test_deleting_is_refused_on_the_object_and_the_queryset():
    event = record("auth.login")
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="auth.logout")
    assert AuditEvent.objects.count() == 1


@on_postgresql
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'auth.logout'",
        "UPDATE audit_auditevent SET ip = '10.9.9.9'",
        "UPDATE audit_auditevent SET actor_id = NULL, action = 'x.y'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgresql_rejects_update_and_delete(statement, national_admin):
    record("auth.login", actor=national_admin)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.get().action == "auth.login"


def _assert_delete_refused():
    record("auth.login")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")


@on_postgresql
def test_postgresql_lets_the_purge_flag_through_only_in_its_transaction():
    record("auth.login")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL audit.purge = 'on'")
        cursor.execute("DELETE FROM audit_auditevent")
        cursor.execute("SET LOCAL audit.purge = 'off'")
    assert not AuditEvent.objects.exists()
    _assert_delete_refused()


def _aged(days):
    event = AuditEvent(action="auth.login", at=timezone.now() - datetime.timedelta(days=days))
    event.save()
    return event


def test_purge_deletes_only_events_past_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 400
    old, kept = _aged(401), _aged(399)
    assert purge_expired() == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk not in AuditEvent.objects.values_list("pk", flat=True)


@on_postgresql
def test_the_purge_leaves_the_flag_off_for_the_rest_of_the_transaction():
    purge_expired()
    _assert_delete_refused()


def test_the_beat_task_purges(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    _aged(31)
    purge_expired_events()
    assert not AuditEvent.objects.exists()


def test_the_purge_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-audit-events"]
    assert entry["task"] == purge_expired_events.name
