"""Planning cost does not grow with the data; the Appendix IX baseline end to end."""

import datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import CampaignStep, Delivery, DossierTimeLimit, Kind, Status
from notifications.planner import plan_day
from notifications.sending import SENT, send_batch
from registry.models import Role, Unit
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory
from tests.inspections.factories import InspectionFactory

from .conftest import seed_deadlines, staff_units

OVERDUE_DAY = datetime.date(2024, 10, 7)  # campaign step +7, escalations, dossiers, inspections
PLANNING_BUDGET = 17  # queries other than the bulk INSERTs


def build(units):
    """`units` provinces, each with a department; systems at every stage and level."""
    made = []
    for index in range(units):
        province = UnitFactory()
        department = SubUnitFactory(parent=province)
        made += [province, department]
        for owner in (province, department):
            InspectionFactory(
                system__owner=owner,
                system__proposed_level=5,
                system__approved=False,
                inspected_on=datetime.date(2024, 1, 1),
            )
            SystemFactory(
                owner=owner,
                proposed_level=3,
                submitted=True,
                submitted_on=datetime.date(2024, 9, 2),
            )
            SystemFactory(
                owner=owner,
                proposed_level=2 + index % 2,
                dossier_status="appraised",
                submitted_on=datetime.date(2024, 9, 1),
                appraised_on=datetime.date(2024, 10, 1),
            )
            SystemFactory(owner=owner, approved=True, proposed_level=4)
            SystemFactory(owner=owner, deployed=True, proposed_level=1)
    staff_units(made)
    return made


def planning_queries(as_of, dry_run):
    with CaptureQueriesContext(connection) as captured:
        plan = plan_day(as_of, dry_run=dry_run)
    sql = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    inserts = [q for q in sql if q.startswith("INSERT")]
    return len(sql) - len(inserts), len(inserts), plan


def test_planning_takes_the_same_queries_for_3_or_12_units(db):
    seed_deadlines()
    build(3)
    small_dry, _, small_plan = planning_queries(OVERDUE_DAY, dry_run=True)
    small, small_inserts, _ = planning_queries(OVERDUE_DAY, dry_run=False)
    Delivery.objects.all().delete()
    CampaignStep.objects.all().delete()  # start the bigger run from the same state
    build(9)
    big_dry, _, big_plan = planning_queries(OVERDUE_DAY, dry_run=True)
    big, big_inserts, _ = planning_queries(OVERDUE_DAY, dry_run=False)
    assert len(big_plan.new) > 3 * len(small_plan.new) > 0
    assert small_dry == big_dry
    assert small == big <= PLANNING_BUDGET
    if connection.vendor == "postgresql":  # one INSERT per table; SQLite splits by its
        assert small_inserts == big_inserts <= 2  # 999-parameter limit


def staff_every_unit():
    """A manager and an officer on each of the baseline's 182 units (91 + their IT units)."""
    return staff_units(list(Unit.objects.all()))


def test_baseline_each_manager_is_emailed_once_then_escalation_after_the_deadline(
    baseline, mailoutbox, only_approval, settings
):
    seed_deadlines()
    people = staff_every_unit()
    with CaptureQueriesContext(connection) as captured:
        plan_day(datetime.date(2024, 9, 23), dry_run=True)
    assert len(captured) <= PLANNING_BUDGET  # 7,008 systems, 364 people

    # The deadline digests only: dossier notices and inspection digests are tested elsewhere.
    DossierTimeLimit.objects.all().delete()
    settings.INSPECTION_INTERVAL_MONTHS = {}
    call_command("send_reminders", "--as-of", "2024-09-23")
    digests = Delivery.objects.filter(kind=Kind.CAMPAIGN, campaign=only_approval)
    managers = digests.filter(role="manager")
    assert set(managers.values_list("status", flat=True)) == {Status.SENT}
    units_behind = {row.unit_id for row in managers}
    assert units_behind == {unit.pk for unit in Unit.objects.all() if _has_unapproved(unit)}
    assert len(units_behind) < 182  # some units have every system approved: nothing for them
    to_managers = [m for m in mailoutbox if m.to[0].startswith("manager-")]
    assert len(to_managers) == len(units_behind)
    assert len({m.to[0] for m in to_managers}) == len(to_managers)  # once each
    assert all("30/09/2024" in m.subject for m in to_managers)

    sent = len(mailoutbox)
    call_command("send_reminders", "--as-of", "2024-09-23")
    assert len(mailoutbox) == sent
    assert not digests.filter(role="escalation").exists()

    overdue = plan_day(datetime.date(2024, 10, 7), dry_run=True)
    escalations = [d for d in overdue.new if d.role == "escalation"]
    units = Unit.objects.in_bulk()
    # One digest per parent unit with overdue subordinate units, to its manager.
    assert sorted(d.unit_id for d in escalations) == sorted(
        {units[unit_id].parent_id for unit_id in units_behind if units[unit_id].parent_id}
    )
    for delivery in escalations:
        assert delivery.recipient_id == people[units[delivery.unit_id].code, Role.MANAGER].pk


def _has_unapproved(unit):
    from compliance.selectors import deadline_outstanding

    return deadline_outstanding(
        "approval", datetime.date(2024, 9, 23), datetime.date(2024, 9, 30), units=[unit]
    ).exists()


# The chunk, the structure of its date (units, changes), the campaign's units, the notice (list
# and count in one).
SENDING_READS = 5


def sending_queries(ids):
    """(reads, writes, outcomes) of sending one chunk."""
    with CaptureQueriesContext(connection) as captured:
        outcomes = send_batch(ids)
    sql = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    writes = [q for q in sql if q.startswith("UPDATE")]
    return len(sql) - len(writes), len(writes), outcomes


def test_sending_a_chunk_reads_the_same_for_3_or_12_e_mails_and_writes_one_update_each(
    only_approval, province, smtp_server
):
    for n in range(5):  # twelve people named on the province: one notice, twelve e-mails
        staff_units([province["province"]], prefix=f"more{n}-")
    plan_day(datetime.date(2024, 9, 23))
    ids = list(
        Delivery.objects.filter(kind=Kind.CAMPAIGN, unit=province["province"])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) == 12
    small = sending_queries(ids[:3])
    big = sending_queries(ids[3:])
    assert small[0] == big[0] <= SENDING_READS
    # The claim, then one UPDATE per e-mail (it marks the next one transmitting and records
    # the previous one sent), and the last one recorded at the end of the chunk.
    assert (small[1], big[1]) == (1 + 3 + 1, 1 + 9 + 1)
    assert (small[2], big[2]) == ({SENT: 3}, {SENT: 9})
    assert len(smtp_server.received) == 12
    rows = Delivery.objects.filter(pk__in=ids)
    assert {(r.status, r.attempts, r.claim_token, r.reason) for r in rows} == {
        (Status.SENT, 1, None, "")
    }
    assert all(r.sent_at >= r.first_attempt_at for r in rows)
