"""Re-determining a level (Decree 85/2016 Art. 18): rounds, and the level counted on either
side of the new decision (registry/dossiers, compliance.selectors.level_as_of)."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from compliance.selectors import compliance_summary, outstanding_systems
from registry.audit.models import AuditEvent
from registry.choices import Authority, DossierStatus
from registry.dossiers import actions, selectors
from registry.dossiers.models import DossierRound
from registry.models import Role
from tests.factories import SystemFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 29)
DECIDED = D(2025, 3, 1)


@pytest.fixture
def officer(db):
    return user_with_role(Role.NATIONAL_ADMIN)


def redetermine(system, actor, *, level=3, decided_on=DECIDED):
    """A full second round: started, sent, appraised, decided on `decided_on`."""
    new_round = actions.start_round(
        DossierRound(
            system=system,
            reason="Thêm dịch vụ công",
            started_on=D(2025, 1, 10),
            proposed_level=level,
        ),
        actor=actor,
        today=TODAY,
    )
    steps = [
        {"dossier_status": DossierStatus.SUBMITTED, "submitted_on": D(2025, 1, 15)},
        {"dossier_status": DossierStatus.APPRAISED, "appraised_on": D(2025, 2, 1)},
        {
            "dossier_status": DossierStatus.APPROVED,
            "decision_number": "15/QĐ-UBND",
            "decision_date": decided_on,
            "decision_authority": Authority.SYSTEM_OWNER
            if level >= 3
            else Authority.SPECIALISED_UNIT,
            "approved_level": level,
        },
    ]
    for step in steps:
        for field, value in step.items():
            setattr(new_round, field, value)
        actions.change_round(new_round, actor=actor, today=TODAY)
    return new_round


def _unit_figures(unit, as_of):
    row = compliance_summary(as_of, unit).units[0]
    return row.approved, {level: n for level, n in row.levels.items() if n}


def test_the_old_level_counts_until_the_new_decision_then_the_new_one(officer):
    unit = UnitFactory()
    system = SystemFactory(owner=unit, approved=True, proposed_level=2)  # approved 01/04/2024
    redetermine(system, officer, level=3, decided_on=D(2025, 3, 1))
    assert _unit_figures(unit, D(2024, 3, 31)) == (0, {2: 1})  # not yet approved: proposed
    assert _unit_figures(unit, D(2024, 4, 1)) == (1, {2: 1})
    assert _unit_figures(unit, D(2025, 2, 28)) == (1, {2: 1})  # round in progress: old level
    assert _unit_figures(unit, D(2025, 3, 1)) == (1, {3: 1})  # the new decision, from its date
    assert _unit_figures(unit, TODAY) == (1, {3: 1})
    listed = outstanding_systems(unit, D(2025, 3, 1)).get()
    assert listed.level_then == 3


def test_a_round_in_progress_changes_nothing_counted(officer):
    unit = UnitFactory()
    system = SystemFactory(owner=unit, approved=True, proposed_level=4)
    actions.start_round(
        DossierRound(system=system, reason="Thu hẹp", started_on=D(2025, 1, 10), proposed_level=5),
        actor=officer,
        today=TODAY,
    )
    assert _unit_figures(unit, TODAY) == (1, {4: 1})
    assert selectors.current_level(system) == 4


def test_a_second_re_determination_replaces_the_first_from_its_date(officer):
    unit = UnitFactory()
    system = SystemFactory(owner=unit, approved=True, proposed_level=2)
    redetermine(system, officer, level=3, decided_on=D(2025, 3, 1))
    third = actions.start_round(
        DossierRound(
            system=system, reason="Kết nối liên tỉnh", started_on=D(2025, 6, 1), proposed_level=4
        ),
        actor=officer,
        today=TODAY,
    )
    third.dossier_status, third.submitted_on = DossierStatus.SUBMITTED, D(2025, 6, 2)
    actions.change_round(third, actor=officer, today=TODAY)
    third.dossier_status, third.appraised_on = DossierStatus.APPRAISED, D(2025, 7, 1)
    actions.change_round(third, actor=officer, today=TODAY)
    third.dossier_status, third.decision_number = DossierStatus.APPROVED, "99/QĐ"
    third.decision_date, third.approved_level = D(2025, 8, 1), 4
    third.decision_authority = Authority.SYSTEM_OWNER
    actions.change_round(third, actor=officer, today=TODAY)
    assert third.number == 3
    assert _unit_figures(unit, D(2025, 7, 31)) == (1, {3: 1})
    assert _unit_figures(unit, D(2025, 8, 1)) == (1, {4: 1})
    assert [e.action for e in AuditEvent.objects.order_by("pk")].count("dossier.round_decided") == 2


def test_the_summary_stays_a_constant_number_of_queries(officer, django_assert_num_queries):
    unit = UnitFactory()
    SystemFactory(owner=unit, approved=True, proposed_level=2)
    # The unit structure of the date (units, unit changes), then the figures.
    with django_assert_num_queries(3):
        compliance_summary(TODAY)
    for _ in range(5):
        redetermine(SystemFactory(owner=unit, approved=True, proposed_level=2), officer)
    with django_assert_num_queries(3):
        summary = compliance_summary(TODAY)
    assert summary.national.levels[3] == 5 and summary.national.levels[2] == 1
    with django_assert_num_queries(4):  # and one for a unit's subtree
        compliance_summary(TODAY, unit)


def test_the_command_is_right_on_either_side_of_a_re_decision(officer):
    unit = UnitFactory(code="PRD")
    redetermine(SystemFactory(owner=unit, approved=True, proposed_level=2), officer)
    levels = {}
    for day in ("2025-02-28", "2025-03-01"):
        out = io.StringIO()
        call_command(
            "compliance_summary", "--unit", "PRD", "--as-of", day, "--format", "json", stdout=out
        )
        row = json.loads(out.getvalue())["units"][0]
        levels[day] = (row["approved"], {k: v for k, v in row["levels"].items() if v})
    assert levels == {"2025-02-28": (1, {"2": 1}), "2025-03-01": (1, {"3": 1})}


def test_only_an_approved_system_is_re_determined(officer):
    drafting = SystemFactory(proposed_level=2)
    with pytest.raises(ValidationError) as error:
        actions.start_round(
            DossierRound(system=drafting, reason="x", started_on=D(2025, 1, 10), proposed_level=3),
            actor=officer,
            today=TODAY,
        )
    assert "system" in error.value.message_dict
    assert not DossierRound.objects.exists()


def test_one_round_at_a_time(officer):
    system = SystemFactory(approved=True, proposed_level=2)
    first = DossierRound(system=system, reason="x", started_on=D(2025, 1, 10), proposed_level=3)
    actions.start_round(first, actor=officer, today=TODAY)
    with pytest.raises(ValidationError, match="still in progress"):
        actions.start_round(
            DossierRound(system=system, reason="y", started_on=D(2025, 1, 11), proposed_level=4),
            actor=officer,
            today=TODAY,
        )
    assert DossierRound.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        # The first round's rules: the approving authority per level, a decision needs its date...
        (
            {
                "dossier_status": DossierStatus.APPROVED,
                "decision_number": "1/QĐ",
                "decision_date": D(2025, 3, 1),
                "decision_authority": Authority.SPECIALISED_UNIT,
                "approved_level": 3,
            },
            "decision_authority",
        ),
        ({"dossier_status": DossierStatus.APPROVED}, "dossier_status"),  # skips appraisal
        ({"dossier_status": DossierStatus.SUBMITTED}, "submitted_on"),
        (
            {"dossier_status": DossierStatus.SUBMITTED, "submitted_on": D(2025, 1, 1)},
            "submitted_on",
        ),
        ({"proposed_level": 7}, "proposed_level"),
    ],
)
def test_a_round_follows_the_first_rounds_rules(officer, changes, field):
    system = SystemFactory(approved=True, proposed_level=2)
    new_round = actions.start_round(
        DossierRound(system=system, reason="x", started_on=D(2025, 1, 10), proposed_level=3),
        actor=officer,
        today=TODAY,
    )
    if changes.get("dossier_status") == DossierStatus.APPROVED and "decision_date" in changes:
        new_round.dossier_status, new_round.submitted_on = DossierStatus.SUBMITTED, D(2025, 1, 15)
        actions.change_round(new_round, actor=officer, today=TODAY)
        new_round.dossier_status, new_round.appraised_on = DossierStatus.APPRAISED, D(2025, 2, 1)
        actions.change_round(new_round, actor=officer, today=TODAY)
    stored = list(DossierRound.objects.values())
    for name, value in changes.items():
        setattr(new_round, name, value)
    with pytest.raises(ValidationError) as error:
        actions.change_round(new_round, actor=officer, today=TODAY)
    assert field in error.value.message_dict
    assert list(DossierRound.objects.values()) == stored


def test_a_round_starts_after_the_decision_it_replaces(officer):
    system = SystemFactory(approved=True, proposed_level=2)  # approved 01/04/2024
    with pytest.raises(ValidationError) as error:
        actions.start_round(
            DossierRound(system=system, reason="x", started_on=D(2024, 3, 1), proposed_level=3),
            actor=officer,
            today=TODAY,
        )
    assert "started_on" in error.value.message_dict


def test_the_decision_in_force_on_a_date(officer, django_assert_num_queries):
    redetermined = SystemFactory(approved=True, proposed_level=2)
    redetermine(redetermined, officer, level=3)
    plain = SystemFactory(approved=True, proposed_level=4)
    drafting = SystemFactory(proposed_level=1)
    systems = [redetermined, plain, drafting]
    with django_assert_num_queries(1):
        before = selectors.decisions_in_force(systems, D(2025, 2, 28))
    after = selectors.decisions_in_force(systems, D(2025, 3, 1))
    assert (before[redetermined.pk].level, before[redetermined.pk].round) == (2, 1)
    assert after[redetermined.pk] == selectors.Decision(
        "15/QĐ-UBND", D(2025, 3, 1), Authority.SYSTEM_OWNER, 3, 2
    )
    assert after[plain.pk].level == 4 and drafting.pk not in after
    assert selectors.decisions_in_force(systems, D(2024, 3, 31)) == {}
