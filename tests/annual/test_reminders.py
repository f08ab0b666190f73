"""The annual report's reminders run before 20/12 and 25/12 and after, until it is filed."""

import datetime

import pytest

from compliance.annual import actions
from notifications.content import content_for, overdue_units
from notifications.models import DeadlineCampaign, Delivery, Kind
from notifications.planner import plan_day
from tests.annual.conftest import AFTER_PERIOD, YEAR
from tests.notifications.conftest import staff_units

D = datetime.date


@pytest.fixture
def campaign(world):
    DeadlineCampaign.objects.update(is_active=False)
    staff_units([world["province"], world["department"], world["other"]])
    return DeadlineCampaign.objects.create(
        name="Báo cáo định kỳ năm 2024",
        legal_basis="Thông tư 12/2022/TT-BTTTT, Điều 13-14",
        issued_on=D(2022, 8, 12),
        requirement="annual_report",
        due_date=D(YEAR, 12, 25),
        reminder_days="7,3",
        overdue_interval_days=3,
    )


def reminded(campaign, day):
    """{unit code} the day's new reminders of the campaign are addressed to."""
    plan_day(day)
    rows = Delivery.objects.filter(kind=Kind.CAMPAIGN, campaign=campaign, planned_for=day)
    return set(rows.values_list("unit__code", flat=True))


def test_filing_stops_the_reminders_of_the_unit_and_its_subordinates(world, campaign):
    assert reminded(campaign, D(2024, 12, 18)) == {"P91", "P91-IT", "P92"}
    report = actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    assert reminded(campaign, D(2024, 12, 22)) == {"P92"}
    # After the due date, every three days while not filed: P92 only.
    assert reminded(campaign, D(2024, 12, 28)) == {"P92"}
    assert reminded(campaign, D(2024, 12, 31)) == {"P92"}


def test_a_returned_report_is_not_filed_and_is_reminded_again(world, campaign):
    report = actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    report = actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    assert "P91" not in reminded(campaign, D(2024, 12, 22))
    actions.return_report(report, "Thiếu quy chế", actor=world["national"])
    assert "P91" in reminded(campaign, D(2024, 12, 28))


def test_a_reminder_planned_before_the_filing_is_not_sent_after_it(world, campaign):
    plan_day(D(2024, 12, 18))
    planned = Delivery.objects.filter(kind=Kind.CAMPAIGN, unit=world["department"]).first()
    assert content_for(planned) is not None
    report = actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    assert content_for(planned) is None


def test_the_2026_reminders_are_seeded(db):
    seeded = DeadlineCampaign.objects.filter(requirement="annual_report", due_date__year=2026)
    assert sorted(seeded.values_list("due_date", flat=True)) == [D(2026, 12, 20), D(2026, 12, 25)]
    assert all(c.issued_on == D(2022, 8, 12) for c in seeded)


def test_the_overdue_digests_leave_out_the_units_that_filed(world, campaign):
    after_due = D(2024, 12, 28)
    assert {row["unit"].code for row in overdue_units(campaign, after_due)} == {"P91", "P92"}
    report = actions.prepare(world["province"], YEAR, actor=world["officer"], today=AFTER_PERIOD)
    actions.submit(report, actor=world["officer"], today=AFTER_PERIOD)
    assert {row["unit"].code for row in overdue_units(campaign, after_due)} == {"P92"}
    assert overdue_units(campaign, after_due, parent=world["province"]) == []
