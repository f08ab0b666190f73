"""Dossier time limits (working days, per level) and the monthly inspection digest."""

import datetime

import pytest

from notifications.dispatch import dispatch
from notifications.models import DeadlineCampaign, Delivery, DossierTimeLimit, Kind, Status
from notifications.planner import plan_day
from notifications.tasks import plan_reminders
from registry.models import Role
from tests.factories import SystemFactory, UnitFactory, user_with_role
from tests.inspections.factories import InspectionFactory

from .conftest import mails_of, staff_units

D = datetime.date


@pytest.fixture(autouse=True)
def no_campaigns(db):
    DeadlineCampaign.objects.update(is_active=False)


@pytest.fixture
def unit(db):
    unit = UnitFactory(code="B77", name="Bộ Thử")
    staff_units([unit])
    return unit


def run(as_of):
    plan_reminders.delay(as_of.isoformat()).get()


def notices(**filters):
    """(stage:start:step, recipient, role) of each notice in the dossier digests."""
    rows = Delivery.objects.filter(kind=Kind.DOSSIER, **filters).select_related("recipient")
    return sorted(
        (item.partition(":")[2], row.recipient.username, row.role)
        for row in rows
        for item in row.items
    )


def submitted(unit, level, on):
    return SystemFactory(owner=unit, proposed_level=level, submitted=True, submitted_on=on)


def appraised(unit, level, on):
    return SystemFactory(
        owner=unit,
        proposed_level=level,
        dossier_status="appraised",
        submitted_on=on - datetime.timedelta(days=20),
        appraised_on=on,
    )


def test_level_3_appraisal_reminds_the_specialised_unit_then_says_when_exceeded(unit, mailoutbox):
    submitted(unit, 3, D(2024, 9, 4))  # 15 days: due 19/09/2024 (a Thursday)
    run(D(2024, 9, 16))
    assert notices() == []
    run(D(2024, 9, 17))  # 2 working days before
    assert notices() == [("appraisal:2024-09-04:due_soon", "officer-b77", "officer")]
    run(D(2024, 9, 19))
    assert len(notices()) == 1
    run(D(2024, 9, 20))
    assert [n[0] for n in notices()] == [
        "appraisal:2024-09-04:due_soon",
        "appraisal:2024-09-04:exceeded",
    ]
    run(D(2024, 9, 27))
    sent = mails_of(mailoutbox, Kind.DOSSIER)
    assert len(notices()) == 2 and len(sent) == 2
    exceeded = sent[1]
    assert "19/09/2024" in exceeded.subject
    assert "19/09/2024" in exceeded.body and "15" in exceeded.body


def test_level_4_and_5_appraisal_is_the_national_authoritys(unit):
    national = user_with_role(Role.NATIONAL_ADMIN)
    submitted(unit, 4, D(2024, 8, 1))  # 30 days: 31/08/2024
    run(D(2024, 9, 2))
    assert notices() == [("appraisal:2024-08-01:exceeded", national.username, "national")]


def test_approval_counts_working_days_and_goes_to_the_approving_unit(unit):
    # Appraised Friday 30/08/2024: 7 working days skip the weekend and National Day (2-3/9).
    appraised(unit, 3, D(2024, 8, 30))
    appraised(unit, 2, D(2024, 8, 30))
    run(D(2024, 9, 9))
    assert notices() == []
    run(D(2024, 9, 10))  # two working days before 12/09/2024
    assert notices() == [
        ("approval:2024-08-30:due_soon", "manager-b77", "manager"),  # level 3: the owner
        ("approval:2024-08-30:due_soon", "officer-b77", "officer"),  # level 2: specialised unit
    ]


def test_time_limits_are_data(unit):
    DossierTimeLimit.objects.filter(stage="appraisal", level=3).update(days=10, working_days=True)
    submitted(unit, 3, D(2024, 9, 4))  # 10 working days: 18/09/2024
    run(D(2024, 9, 16))
    assert notices() == [("appraisal:2024-09-04:due_soon", "officer-b77", "officer")]


def test_a_dossier_that_moved_on_is_not_reminded(unit, mailoutbox):
    system = submitted(unit, 3, D(2024, 9, 4))
    plan = plan_day(D(2024, 9, 17))
    system.dossier_status = "appraised"
    system.appraised_on = D(2024, 9, 17)
    system.save()
    dispatch(plan.to_send)
    assert mails_of(mailoutbox, Kind.DOSSIER) == []
    assert Delivery.objects.get(kind=Kind.DOSSIER).status == Status.SKIPPED


def test_monthly_inspection_digest_to_officers(unit, mailoutbox):
    # The digest reads the inspection ledger (registry/inspections).
    overdue = InspectionFactory(
        system__owner=unit, system__proposed_level=5, inspected_on=D(2024, 3, 1)
    ).system
    soon = InspectionFactory(
        system__owner=unit, system__proposed_level=3, inspected_on=D(2023, 10, 15)
    ).system
    InspectionFactory(system__owner=unit, system__proposed_level=4, inspected_on=D(2024, 1, 10))
    SystemFactory(owner=unit, proposed_level=2)  # not inspected periodically
    run(D(2024, 9, 23))
    digest = Delivery.objects.get(kind=Kind.INSPECTION)
    assert (digest.recipient.username, digest.subject, digest.outstanding) == (
        "officer-b77",
        "2024-09",
        2,
    )
    body = mails_of(mailoutbox, Kind.INSPECTION)[0].body
    assert overdue.code in body and soon.code in body
    assert body.index(overdue.code) < body.index(soon.code)  # highest level first
    assert "01/09/2024" in body and "15/10/2024" in body  # when each was due
    run(D(2024, 9, 24))
    assert Delivery.objects.filter(kind=Kind.INSPECTION).count() == 1
    run(D(2024, 10, 1))
    assert Delivery.objects.filter(kind=Kind.INSPECTION, subject="2024-10").count() == 1
