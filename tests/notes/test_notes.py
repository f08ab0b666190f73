"""Dated notes on a system (issue 15): officers of its unit write them, its readers read
them on the system page; each is kept in the history and the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.audit.models import AuditEvent
from registry.models import Role
from registry.notes.actions import add_note
from registry.notes.models import SystemNote
from registry.notes.rules import validate_note
from tests.factories import SystemFactory, UnitFactory, user_with_role

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def system(db):
    return SystemFactory(owner=UnitFactory(name="Tỉnh Thanh Hóa"), name="Cổng dịch vụ công")


def _new(system):
    return reverse("notes:new", args=[system.pk])


def _page(system):
    return reverse("compliance:system", args=[system.pk])


def test_a_note_is_trimmed_and_normalised():
    text, day = validate_note("  Đã gửi lại hồ sơ  ", TODAY, today=TODAY)
    assert (text, day) == ("Đã gửi lại hồ sơ", TODAY)


@pytest.mark.parametrize(
    ("text", "day", "field"),
    [
        ("", TODAY, "text"),
        ("   \n ", TODAY, "text"),
        ("x" * 2001, TODAY, "text"),
        ("Đã gửi\u202e lại", TODAY, "text"),
        ("Đã gửi lại", None, "noted_on"),
        ("Đã gửi lại", TODAY + datetime.timedelta(days=1), "noted_on"),
        ("Đã gửi lại", datetime.date(2015, 6, 30), "noted_on"),
    ],
)
def test_a_note_needs_text_and_a_date_up_to_today(text, day, field):
    with pytest.raises(ValidationError) as error:
        validate_note(text, day, today=TODAY)
    assert field in error.value.message_dict


def test_adding_a_note_keeps_who_in_the_history_and_the_audit_trail(system):
    officer = user_with_role(Role.OFFICER, system.owner)
    note = add_note(system, "Chờ nhà thầu gửi phương án", timezone.localdate(), actor=officer)
    assert note.history.get().history_user == officer
    event = AuditEvent.objects.get(action="system.note_added")
    assert (event.actor, event.unit, event.data["note"]) == (officer, system.owner, note.pk)


def test_an_officer_adds_a_dated_note_and_the_system_page_shows_it(client, system):
    client.force_login(user_with_role(Role.OFFICER, system.owner))
    response = client.post(
        _new(system), {"noted_on": "12/03/2025", "text": "Đã gửi lại hồ sơ <b>cấp độ 3</b>"}
    )
    assert response.status_code == 302
    assert response["Location"] == _page(system) + "#notes"
    note = SystemNote.objects.get()
    assert (note.system, note.noted_on) == (system, datetime.date(2025, 3, 12))
    html = client.get(_page(system)).content.decode()
    assert "12/03/2025" in html
    assert "Đã gửi lại hồ sơ &lt;b&gt;cấp độ 3&lt;/b&gt;" in html  # shown as typed, never as markup
    assert 'action="/systems/' in html  # the officer gets the form


def test_a_viewer_reads_the_notes_but_may_not_write_one(client, system):
    add_note(system, "Ghi chú của cán bộ", TODAY.replace(year=2025), actor=None)
    client.force_login(user_with_role(Role.VIEWER, system.owner))
    html = client.get(_page(system)).content.decode()
    assert "Ghi chú của cán bộ" in html
    assert _new(system) not in html
    assert client.get(_new(system)).status_code == 403
    assert client.post(_new(system), {"noted_on": "12/03/2025", "text": "x"}).status_code == 403
    assert SystemNote.objects.count() == 1


def test_another_units_officer_gets_a_404_and_writes_nothing(client, system):
    client.force_login(user_with_role(Role.OFFICER, UnitFactory()))
    response = client.post(_new(system), {"noted_on": "12/03/2025", "text": "x"})
    assert response.status_code == 404
    assert not SystemNote.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"noted_on": "12/03/2025", "text": "  "}, "Hãy nhập nội dung ghi chú."),
        ({"noted_on": "31/02/2025", "text": "x"}, "ngày"),
        ({"noted_on": "01/01/2099", "text": "x"}, "Chọn một ngày từ 01/07/2015 đến hôm nay."),
        ({"noted_on": "12/03/2025", "text": "x" * 2001}, "2000"),
    ],
)
def test_a_bad_note_is_refused_in_vietnamese_and_nothing_is_written(client, system, data, message):
    client.force_login(user_with_role(Role.OFFICER, system.owner))
    response = client.post(_new(system), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SystemNote.objects.exists()
    assert not AuditEvent.objects.filter(action="system.note_added").exists()


def test_a_control_character_is_a_400_before_any_view(client, system):
    client.force_login(user_with_role(Role.OFFICER, system.owner))
    response = client.post(_new(system), {"noted_on": "12/03/2025", "text": "a\x00b"})
    assert response.status_code == 400
    assert not SystemNote.objects.exists()


def test_the_system_page_reads_its_notes_in_constant_queries(
    client, system, django_assert_max_num_queries
):
    officer = user_with_role(Role.OFFICER, system.owner)
    client.force_login(officer)
    add_note(system, "Một", TODAY.replace(year=2025), actor=officer)
    client.get(_page(system))  # warm the per-request caches' first queries alike
    with CaptureQueriesContext(connection) as one:
        client.get(_page(system))
    for number in range(10):
        add_note(system, f"Ghi chú {number}", TODAY.replace(year=2025), actor=officer)
    with django_assert_max_num_queries(len(one)):
        html = client.get(_page(system)).content.decode()
    assert html.count('<li>\n          <p class="muted">') == 11
