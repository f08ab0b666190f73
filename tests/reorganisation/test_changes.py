"""Recording unit changes: validation, the admin's preview, future dates, cancelling, people
carried over, scope and reminders across a merger (small units made by factories)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance.selectors import compliance_summary
from notifications.models import Delivery
from notifications.planner import plan_day
from registry import scope
from registry.audit.models import AuditEvent
from registry.models import Membership, Role
from registry.reorganisation import changes
from registry.reorganisation.models import ChangeKind, UnitChange
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory, user_with_role
from tests.notifications.conftest import approval_campaign, staff_units  # noqa: F401


def today():
    # Read at each use, not at import: a run that crosses midnight (Vietnam time) must not
    # compare against the day the tests were collected.
    return timezone.localdate()


def later():
    return today() + datetime.timedelta(days=10)


@pytest.fixture
def provinces(db):
    """Three provinces: A (3 systems, one in its department), B (2 systems), C (1)."""
    a, b, c = (UnitFactory(name=f"Tỉnh {key}", code=f"X9{n}") for n, key in enumerate("ABC"))
    department = SubUnitFactory(parent=a, code="X90-IT")
    SystemFactory.create_batch(2, owner=a)
    SystemFactory(owner=department)
    SystemFactory.create_batch(2, owner=b)
    SystemFactory(owner=c)
    return {"A": a, "B": b, "C": c, "A-IT": department}


def merge(unit, successor, day, **extra):
    spec = changes.ChangeSpec(
        kind=ChangeKind.MERGE, unit=unit, successor=successor, effective_on=day,
        legal_basis="Nghị quyết thử", **extra,
    )  # fmt: skip
    return changes.record_change(spec)


def totals(as_of):
    return {row.unit.name: row.total for row in compliance_summary(as_of).units}


def test_a_future_merger_changes_nothing_until_its_date_then_everything(provinces):
    merge(provinces["A"], provinces["B"], later())
    assert totals(today()) == {"Tỉnh A": 3, "Tỉnh B": 2, "Tỉnh C": 1}
    assert totals(later() - datetime.timedelta(days=1)) == {"Tỉnh A": 3, "Tỉnh B": 2, "Tỉnh C": 1}
    assert totals(later()) == {"Tỉnh B": 5, "Tỉnh C": 1}
    assert compliance_summary(later()).national.total == 6


def test_a_future_change_can_be_cancelled_before_its_date_only(provinces):
    change = merge(provinces["A"], provinces["B"], later())
    assert changes.may_cancel(change)
    changes.cancel_change(change)
    assert totals(later()) == {"Tỉnh A": 3, "Tỉnh B": 2, "Tỉnh C": 1}
    in_force = merge(provinces["A"], provinces["C"], today())
    assert not changes.may_cancel(in_force)
    with pytest.raises(ValidationError):
        changes.cancel_change(in_force)
    assert totals(today()) == {"Tỉnh B": 2, "Tỉnh C": 4}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"unit_change.recorded", "unit_change.cancelled", "unit_change.applied"} <= actions


@pytest.mark.parametrize(
    "case",
    ["into itself", "into its department", "twice", "successor ended", "no successor"],
)
def test_impossible_mergers_are_refused_and_record_nothing(provinces, case):
    a, b, c = provinces["A"], provinces["B"], provinces["C"]
    if case in ("twice", "successor ended"):
        merge(c if case == "successor ended" else a, b, today())
    target = {"into itself": a, "into its department": provinces["A-IT"], "twice": c,
              "successor ended": c, "no successor": None}[case]  # fmt: skip
    before = UnitChange.objects.count()
    with pytest.raises(ValidationError):
        merge(a, target, later())
    assert UnitChange.objects.count() == before


def test_rename_and_move_are_dated(provinces):
    a, b = provinces["A"], provinces["B"]
    rename = changes.ChangeSpec(kind=ChangeKind.RENAME, unit=a, new_name="Tỉnh A mới",
                                effective_on=later(), legal_basis="NQ")  # fmt: skip
    changes.record_change(rename)
    assert "Tỉnh A" in totals(today()) and "Tỉnh A mới" in totals(later())
    move = changes.ChangeSpec(kind=ChangeKind.MOVE, unit=provinces["A-IT"], new_parent=b,
                              effective_on=later(), legal_basis="NQ")  # fmt: skip
    changes.record_change(move)
    assert totals(later()) == {"Tỉnh A mới": 2, "Tỉnh B": 3, "Tỉnh C": 1}
    assert totals(today()) == {"Tỉnh A": 3, "Tỉnh B": 2, "Tỉnh C": 1}
    # Until the department moves away, A cannot move under it (its own subordinate).
    cycle = changes.ChangeSpec(
        kind=ChangeKind.MOVE,
        unit=a,
        new_parent=provinces["A-IT"],
        effective_on=today() + datetime.timedelta(days=1),
        legal_basis="NQ",
    )
    with pytest.raises(ValidationError):
        changes.validate(cycle)


def test_applying_twice_carries_people_over_once_pending_confirmation(provinces):
    officer = user_with_role(Role.OFFICER, provinces["A"])
    merge(provinces["A"], provinces["B"], later())
    assert not Membership.objects.filter(unit=provinces["B"]).exists()  # not in force yet
    assert len(changes.apply_due_changes(later())) == 1
    assert changes.apply_due_changes(later()) == []
    carried = Membership.objects.get(user=officer, unit=provinces["B"])
    assert carried.pending and carried.carried_over_from == provinces["A"]


def test_an_officer_of_a_merged_unit_works_in_the_successor_once_confirmed(provinces, client):
    a, b, c = provinces["A"], provinces["B"], provinces["C"]
    officer = user_with_role(Role.OFFICER, a)
    merge(a, b, today())
    officer = type(officer).objects.get(pk=officer.pk)  # a new request: scope read afresh
    # Before confirmation: A's past stays readable, nothing is writable, B is not visible.
    assert set(scope.visible_systems(officer)) == set(a.systems.all()) | set(
        provinces["A-IT"].systems.all()
    )
    assert not scope.editable_systems(officer).exists()
    client.force_login(officer)
    assert client.get(f"/units/{b.code}/").status_code == 404
    page = client.get(f"/units/{a.code}/")
    assert page.status_code == 200
    assert "Đã sáp nhập vào" in page.text and f'href="/units/{b.code}/' in page.text
    # A national administrator confirms the carried-over role on the account's page.
    national = user_with_role(Role.NATIONAL_ADMIN)
    carried = Membership.objects.get(user=officer, unit=b)
    client.force_login(national)
    response = client.post(f"/accounts/{officer.pk}/roles/{carried.pk}/confirm/")
    assert response.status_code == 302
    officer = type(officer).objects.get(pk=officer.pk)
    editable = set(scope.editable_systems(officer))
    assert editable == set(b.systems.all()) | set(a.systems.all()) | set(
        provinces["A-IT"].systems.all()
    )
    assert not scope.visible_systems(officer).filter(owner=c).exists()
    client.force_login(officer)
    assert client.get(f"/units/{b.code}/").status_code == 200
    assert client.get(f"/units/{c.code}/").status_code == 404
    system_of_c = c.systems.get()
    assert (
        client.get(f"/admin/registry/informationsystem/{system_of_c.pk}/change/").status_code == 404
    )
    system_of_a = a.systems.first()
    assert (
        client.get(f"/admin/registry/informationsystem/{system_of_a.pk}/change/").status_code == 200
    )


def test_an_account_administrator_of_another_unit_cannot_confirm(provinces, client):
    a, b, c = provinces["A"], provinces["B"], provinces["C"]
    officer = user_with_role(Role.OFFICER, a)
    merge(a, b, today())
    carried = Membership.objects.get(user=officer, unit=b)
    client.force_login(user_with_role(Role.ACCOUNT_ADMIN, c))
    response = client.post(f"/accounts/{officer.pk}/roles/{carried.pk}/confirm/")
    assert response.status_code == 404
    assert Membership.objects.get(pk=carried.pk).pending


def test_reminders_after_the_merger_go_to_the_successors_people(
    provinces,
    approval_campaign,  # noqa: F811
):
    a, b = provinces["A"], provinces["B"]
    staff = staff_units([a, b, provinces["C"]])
    merge(a, b, datetime.date(2024, 9, 1))
    plan_day(datetime.date(2024, 9, 23))
    addressed = set(
        Delivery.objects.filter(campaign=approval_campaign).values_list("unit_id", "recipient_id")
    )
    assert (b.pk, staff[b.code, Role.MANAGER].pk) in addressed
    assert not any(unit_id == a.pk for unit_id, _user in addressed)
    notice = Delivery.objects.filter(campaign=approval_campaign, unit=b).first()
    assert notice.outstanding == 5  # B's two systems and the three it took over from A


def test_the_admin_shows_a_preview_before_recording(provinces, client):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    form = {
        "kind": "merge",
        "unit": provinces["A"].pk,
        "successor": provinces["B"].pk,
        "effective_on": later().strftime("%d/%m/%Y"),
        "legal_basis": "Nghị quyết thử",
        "note": "",
        "new_name": "",
    }
    url = "/admin/reorganisation/unitchange/add/"
    first = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 200 and not UnitChange.objects.exists()
    preview = first.context["adminform"].form.preview
    assert preview.systems_moving == 3
    assert (preview.reporting_units_before, preview.reporting_units_after) == (3, 2)
    assert [(row.before.total, row.after) for row in preview.figures][0] == (3, None)
    assert preview.figures[1].after.total == 5
    second = client.post(url, {**form, "confirmed": "on"})
    assert second.status_code == 302
    change = UnitChange.objects.get()
    assert (change.unit, change.successor, change.effective_on) == (
        provinces["A"],
        provinces["B"],
        later(),
    )


def test_only_national_administrators_see_unit_changes(provinces, client):
    change = merge(provinces["A"], provinces["B"], later())
    client.force_login(user_with_role(Role.OFFICER, provinces["B"]))
    assert client.get(f"/admin/reorganisation/unitchange/{change.pk}/change/").status_code == 404
    assert client.get("/admin/reorganisation/unitchange/add/").status_code == 403


@pytest.fixture
def split(provinces):
    """Tỉnh A split on 01/03/2025: its systems go to B, some functions to C."""
    spec = changes.ChangeSpec(
        kind=ChangeKind.SPLIT,
        unit=provinces["A"],
        successor=provinces["B"],
        other_successors=[provinces["C"]],
        effective_on=datetime.date(2025, 3, 1),
        legal_basis="Nghị quyết thử",
    )
    return changes.record_change(spec)


def test_a_reassigned_system_counts_in_the_split_unit_before_the_date_only(provinces, split):
    system = provinces["A"].systems.order_by("code").first()
    moved = changes.reassign_systems(split, {system.pk: provinces["C"].pk})
    assert moved == 1
    system.refresh_from_db()
    assert (system.owner, system.previous_owner) == (provinces["C"], provinces["A"])
    assert totals(datetime.date(2025, 2, 28)) == {"Tỉnh A": 3, "Tỉnh B": 2, "Tỉnh C": 1}
    assert totals(datetime.date(2025, 3, 1)) == {"Tỉnh B": 4, "Tỉnh C": 2}
    assert totals(today()) == {"Tỉnh B": 4, "Tỉnh C": 2}
    officer_c = user_with_role(Role.OFFICER, provinces["C"])
    assert scope.editable_systems(officer_c).filter(pk=system.pk).exists()
    officer_b = user_with_role(Role.OFFICER, provinces["B"])
    assert not scope.visible_systems(officer_b).filter(pk=system.pk).exists()
    assert AuditEvent.objects.filter(action="system.reassigned").count() == 1
    assert system not in changes.reassignable_systems(split)


def test_a_reassignment_outside_the_receiving_units_changes_nothing(provinces, split):
    systems = list(provinces["A"].systems.order_by("code"))
    other = UnitFactory(code="X99")
    with pytest.raises(ValidationError):
        changes.reassign_systems(split, {systems[0].pk: provinces["C"].pk, systems[1].pk: other.pk})
    assert set(provinces["A"].systems.all()) == set(systems)


def test_the_reassign_page_for_national_administrators_only(provinces, split, client):
    client.force_login(user_with_role(Role.OFFICER, provinces["B"]))
    url = f"/admin/reorganisation/unitchange/{split.pk}/reassign/"
    assert client.get(url).status_code == 404
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    page = client.get(url)
    assert page.status_code == 200 and len(page.context["systems"]) == 3
    system = page.context["systems"][0]
    assert client.post(url, {f"system-{system.pk}": "1e9"}).status_code == 400
    response = client.post(url, {f"system-{system.pk}": str(provinces["C"].pk)})
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.owner == provinces["C"]


def test_the_daily_task_carries_people_over_for_changes_come_into_force(provinces):
    from registry.reorganisation.tasks import apply_due_unit_changes

    officer = user_with_role(Role.OFFICER, provinces["A"])
    UnitChange.objects.create(  # recorded earlier for today, not applied yet
        kind="merge", unit=provinces["A"], successor=provinces["B"],
        effective_on=today(), legal_basis="NQ",
    )  # fmt: skip
    apply_due_unit_changes()
    apply_due_unit_changes()
    assert Membership.objects.filter(user=officer, unit=provinces["B"], pending=True).count() == 1


def test_the_successors_trend_adds_up_its_predecessors_so_it_does_not_jump(provinces):
    from compliance.trends import load_series, record_snapshots

    merge(provinces["A"], provinces["B"], datetime.date(2025, 7, 1))
    for day in (datetime.date(2025, 5, 31), datetime.date(2025, 6, 30), datetime.date(2025, 7, 31)):
        record_snapshots(day)
    series = load_series(datetime.date(2025, 8, 31), unit=provinces["B"])
    assert [(p.as_of.month, p.total) for p in series[provinces["B"].pk]] == [
        (5, 5), (6, 5), (7, 5),
    ]  # fmt: skip
    national = [p.total for p in series[None] if p.as_of.year == 2025]
    assert national == [6, 6, 6]  # the national series: unchanged by the merger
    before = load_series(datetime.date(2025, 6, 30), unit=provinces["B"])
    assert [p.total for p in before[provinces["B"].pk]] == [2, 2]  # B alone, before the merger


@pytest.mark.parametrize(
    "content",
    [
        b"kind,unit,successor,new_name,effective_on,legal_basis\nmerge,X90,X91,,2030-01-01,NQ\x00\n",
        b"kind,unit,successor,new_name,effective_on,legal_basis\nmerge,X90,X91,,01/01/2030,NQ\n",
        b"kind,unit,successor,new_name,effective_on,legal_basis\nexplode,X90,X91,,2030-01-01,NQ\n",
        b"kind,unit,successor,new_name,effective_on,legal_basis\nmerge,T\xe1\xbb,X91,,2030-01-01,NQ\n",
        b"kind,unit,successor,new_name,effective_on,legal_basis\nmerge,X90,X90,,2030-01-01,NQ\n",
        b"kind,unit,successor,new_name,effective_on,legal_basis\nmerge,Nowhere,X91,,2030-01-01,NQ\n",
        b'kind,unit,successor,new_name,effective_on,legal_basis\nmerge,"X90,X91,,2030-01-01,NQ\n',
        b"a,b\n1,2\n",
        b"\xff\xfe\x00k\x00i\x00n\x00d",
        b"kind,unit,successor,new_name,effective_on,legal_basis\n"
        b"merge,X91,X92,,2030-01-01,NQ\nmerge,X90,X91,,2030-01-02,NQ\n",
    ],
)
def test_a_bad_changes_file_is_refused_whole_and_records_nothing(provinces, tmp_path, content):
    from django.core.management import CommandError, call_command

    path = tmp_path / "changes.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("apply_unit_changes", str(path))
    assert not UnitChange.objects.exists()


def test_a_unit_moves_only_by_a_dated_change_not_an_admin_edit(provinces, client):
    client.force_login(user_with_role(Role.NATIONAL_ADMIN))
    department = provinces["A-IT"]
    url = f"/admin/registry/unit/{department.pk}/change/"
    data = {"code": department.code, "name": department.name, "kind": department.kind,
            "group": department.group, "sort_order": 0, "parent": provinces["B"].pk,
            "_save": "1"}  # fmt: skip
    client.post(url, data)
    department.refresh_from_db()
    assert department.parent == provinces["A"]
    assert totals(datetime.date(2024, 6, 30)) == {"Tỉnh A": 3, "Tỉnh B": 2, "Tỉnh C": 1}
