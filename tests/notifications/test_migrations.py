"""Migration 0003 turns the old one-row-per-system dossier notices into sent notices of the
digests that replace them: each keeps its place, the one-digest-a-day constraint holds, and
the planner does not send a notice again that an old row already sent."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications.models import Delivery, Kind, Status
from notifications.planner import plan_day
from tests.factories import SystemFactory

AS_OF = datetime.date(2024, 9, 23)
BEFORE = ("notifications", "0002_seed_deadlines")
pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target):
    """Migrate the notifications app to `target`; the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def migrations():
    """`migrate`, and the schema put back to the latest migration afterwards whatever happens."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("notifications")
    try:
        yield migrate
    finally:
        MigrationExecutor(connection).migrate(latest)


def test_old_dossier_notices_become_sent_digest_notices_and_are_not_sent_again(
    only_approval, province, migrations
):
    # A second dossier waiting in the department: two notices for the same people today.
    SystemFactory(owner=province["department"], proposed_level=3, submitted=True, code="P99-005")
    digests = [d for d in plan_day(AS_OF, dry_run=True).new if d.kind == Kind.DOSSIER]
    notices = [(digest, item) for digest in digests for item in digest.items]
    assert len({item for _digest, item in notices}) == 2 and digests

    OldDelivery = migrations(BEFORE).get_model("notifications", "Delivery")
    old_rows = {}
    for digest, item in notices:  # what the old planner wrote: one row per system
        system_id, key = item.split(":", 1)
        row = OldDelivery.objects.create(
            kind="dossier",
            system_id=int(system_id),
            subject=key,
            unit_id=digest.unit_id,
            recipient_id=digest.recipient_id,
            role=digest.role,
            planned_for=AS_OF,
            valid_until=AS_OF + datetime.timedelta(days=1),
            status="sent",
        )
        old_rows[row.pk] = item
    campaign = OldDelivery.objects.create(
        kind="campaign",
        campaign_id=only_approval.pk,
        step=-7,
        unit_id=province["province"].pk,
        recipient_id=province["people"][("P99", "manager")].pk,
        role="manager",
        planned_for=AS_OF,
        valid_until=AS_OF + datetime.timedelta(days=7),
        status="sent",
    )

    # Through 0003 and on to the latest, whose models the assertions below use.
    migrations(*MigrationExecutor(connection).loader.graph.leaf_nodes("notifications"))

    for pk, item in old_rows.items():
        row = Delivery.objects.get(pk=pk)
        assert row.items == [item]
        assert row.subject == f"{AS_OF.isoformat()}#{pk}"  # one of its own: no clash
        assert row.kind == Kind.DOSSIER and row.status == Status.SENT
    untouched = Delivery.objects.get(pk=campaign.pk)
    assert (untouched.items, untouched.subject, untouched.step) == ([], "", -7)

    plan_day(AS_OF)  # every notice due today went out in an old row: no digest for them
    assert Delivery.objects.filter(kind=Kind.DOSSIER).count() == len(old_rows)
    assert not Delivery.objects.filter(kind=Kind.DOSSIER, subject=AS_OF.isoformat()).exists()
