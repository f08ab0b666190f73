"""Deadline campaigns: who gets what, once, and what happens when the scheduler was down."""

import datetime

import pytest
from django.core.management import call_command

from notifications.models import CampaignStep, DeadlineCampaign, Delivery, Kind, Status
from notifications.planner import plan_day
from notifications.tasks import plan_reminders
from registry.models import DossierStatus, InformationSystem
from tests.factories import SubUnitFactory, SystemFactory, UnitFactory

from .conftest import delivery_of, staff_units

D = datetime.date
pytestmark = pytest.mark.usefixtures("only_approval")


def run(as_of):
    """What Celery beat does each day (in-process here: the same code path)."""
    return plan_reminders.delay(as_of.isoformat()).get()


def campaign_rows(**filters):
    return Delivery.objects.filter(kind=Kind.CAMPAIGN, **filters)


def addressed(**filters):
    rows = campaign_rows(**filters).select_related("recipient", "unit")
    return sorted((row.unit.code, row.recipient.username, row.role) for row in rows)


def test_managers_and_officers_of_each_unit_get_one_digest(province, mailoutbox):
    run(D(2024, 9, 23))
    assert addressed(status=Status.SENT) == [
        ("P99", "manager-p99", "manager"),
        ("P99", "officer-p99", "officer"),
        ("P99-IT", "manager-p99-it", "manager"),
        ("P99-IT", "officer-p99-it", "officer"),
    ]
    counts = {row.unit.code: row.outstanding for row in campaign_rows()}
    assert counts == {"P99": 3, "P99-IT": 1}  # a unit counts its whole subtree
    sent = Delivery.objects.filter(status=Status.SENT).count()
    assert len(mailoutbox) == sent
    digest = next(m for m in mailoutbox if m.to == ["manager-p99@example.invalid"])
    assert "Tỉnh Thử" in digest.subject and "3" in digest.subject
    assert "30/09/2024" in digest.subject


def test_a_second_tick_and_a_second_command_run_send_nothing(province, mailoutbox):
    run(D(2024, 9, 23))
    first = len(mailoutbox)
    run(D(2024, 9, 23))
    call_command("send_reminders", "--as-of", "2024-09-23")
    assert len(mailoutbox) == first
    assert Delivery.objects.count() == first


def test_units_with_nothing_outstanding_get_nothing(province, mailoutbox):
    done = UnitFactory(code="P98")
    staff_units([done])
    SystemFactory(owner=done, approved=True)
    run(D(2024, 9, 23))
    assert not campaign_rows(unit=done).exists()
    assert not [m for m in mailoutbox if "p98" in m.to[0]]


def test_a_unit_that_catches_up_stops_getting_reminders(province):
    run(D(2024, 9, 23))
    InformationSystem.objects.filter(pk=province["dept"].pk).update(
        dossier_status=DossierStatus.APPROVED,
        approved_level=3,
        appraised_on=D(2024, 9, 20),
        decision_date=D(2024, 9, 25),
        decision_number="1/QĐ",
        decision_authority="system_owner",
    )
    run(D(2024, 9, 29))
    assert addressed(step=-1) == [
        ("P99", "manager-p99", "manager"),
        ("P99", "officer-p99", "officer"),
    ]
    assert campaign_rows(step=-1, unit__code="P99").first().outstanding == 2


def test_overdue_units_escalate_in_one_digest_per_manager_of_the_parent(province, mailoutbox):
    second = SubUnitFactory(code="P99-TC", parent=province["province"], name="Sở Tài chính Thử")
    staff_units([second])
    SystemFactory(owner=second, proposed_level=2, code="P99-005")
    run(D(2024, 9, 23))
    assert not campaign_rows(role="escalation").exists()
    run(D(2024, 10, 7))
    assert addressed(step=7, role="escalation") == [("P99", "manager-p99", "escalation")]
    escalated = campaign_rows(role="escalation").get()
    assert escalated.status == Status.SENT and escalated.outstanding == 2  # 1 system in each
    digest = next(m for m in mailoutbox if delivery_of(m).pk == escalated.pk)
    assert digest.subject.startswith("Quá hạn: [Tỉnh Thử] 2 đơn vị trực thuộc")
    assert "Sở TT&TT Tỉnh Thử" in digest.body and "Sở Tài chính Thử" in digest.body
    assert "http://127.0.0.1:8000/units/P99-TC/" in digest.body
    run(D(2024, 10, 14))
    assert campaign_rows(step=14, role="escalation").count() == 1  # every week while overdue


def test_missed_steps_are_skipped_and_only_the_latest_is_sent_once(province, mailoutbox):
    run(D(2024, 9, 25))  # the scheduler was down from before 31/08 until 25/09
    assert set(campaign_rows().values_list("step", flat=True)) == {-7}
    records = {r.offset: r for r in CampaignStep.objects.all()}
    assert {o: r.outcome for o, r in records.items()} == {
        -30: "skipped",
        -14: "skipped",
        -7: "planned",
    }
    assert "31/08/2024" in records[-30].reason and "25/09/2024" in records[-30].reason
    sent = len(mailoutbox)
    run(D(2024, 9, 26))
    assert len(mailoutbox) == sent
    run(D(2024, 9, 29))
    assert campaign_rows(step=-1, status=Status.SENT).count() == 4


def test_an_unsent_step_is_skipped_once_the_next_one_is_due(province, mailoutbox):
    plan_day(D(2024, 9, 23))  # planned, but never handed to a worker (broker lost, say)
    assert campaign_rows(step=-7, status=Status.PENDING).count() == 4
    run(D(2024, 9, 29))
    late = campaign_rows(step=-7)
    assert set(late.values_list("status", flat=True)) == {Status.SKIPPED}
    assert all(row.reason for row in late)
    assert campaign_rows(step=-1, status=Status.SENT).count() == 4
    assert len(mailoutbox) == Delivery.objects.filter(status=Status.SENT).count()


def test_dry_run_lists_what_would_be_sent_and_changes_nothing(province, mailoutbox, capsys):
    call_command("send_reminders", "--as-of", "2024-09-23", "--dry-run")
    output = capsys.readouterr().out
    assert "manager-p99@example.invalid" in output and "officer-p99-it@example.invalid" in output
    assert "nothing was sent or saved" in output
    assert not Delivery.objects.exists() and not CampaignStep.objects.exists()
    assert mailoutbox == []


def test_recipients_without_an_address_are_recorded_as_skipped(db, mailoutbox):
    unit = UnitFactory(code="P97")
    staff_units([unit], with_email=False)
    SystemFactory(owner=unit)
    run(D(2024, 9, 23))
    rows = campaign_rows(unit=unit)
    assert rows.count() == 2 and set(rows.values_list("status", flat=True)) == {Status.SKIPPED}
    assert mailoutbox == []


def test_a_new_campaign_is_data_with_its_own_units_levels_and_steps(province, only_approval):
    only_approval.is_active = False
    only_approval.save()
    circular = DeadlineCampaign.objects.create(
        name="Báo cáo định kỳ năm 2024",
        legal_basis="Thông tư 12/2022/TT-BTTTT, Điều 14",
        requirement="annual_report",
        issued_on=D(2022, 8, 12),
        due_date=D(2024, 12, 25),
        reminder_days="10",
        levels=[3, 4],
    )
    circular.units.set([province["department"]])
    run(D(2024, 12, 15))
    assert addressed() == [
        ("P99-IT", "manager-p99-it", "manager"),
        ("P99-IT", "officer-p99-it", "officer"),
    ]
    run(D(2024, 12, 26))
    assert campaign_rows().count() == 2
    run(D(2025, 1, 1))  # overdue a week and not filed: reminded again, and escalated
    assert addressed(step=7) == [
        ("P99", "manager-p99", "escalation"),
        ("P99-IT", "manager-p99-it", "manager"),
        ("P99-IT", "officer-p99-it", "officer"),
    ]
