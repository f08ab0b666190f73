from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.cli import iso_date
from notifications.dispatch import dispatch
from notifications.models import Status
from notifications.planner import plan_day
from notifications.tasks import send_delivery
from registry.models import Unit


class Command(BaseCommand):
    help = (
        "Plan the deadline reminders due on a date and send them. Running it twice for the "
        "same date sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be sent; send and save nothing"
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="hand the e-mails to the Celery workers instead of sending them here",
        )

    def handle(self, *args, as_of, dry_run, queue, **options):
        as_of = as_of or timezone.localdate()
        plan = plan_day(as_of, dry_run=dry_run)
        for record in plan.step_records:
            self.stdout.write(f"  step {record.campaign} {record.offset:+d}: {record.outcome}")
        if dry_run:
            self._list(plan)
            return
        if queue:
            result = dispatch(plan.to_send)
            if result.broker_error:
                raise CommandError(f"Broker unavailable: {result.broker_error}")
            self.stdout.write(f"{len(plan.new)} planned; {result.queued} queued for the workers.")
            return
        outcomes = {}
        for delivery_id in plan.to_send:
            status = send_delivery.apply((delivery_id,)).get()
            outcomes[status] = outcomes.get(status, 0) + 1
        summary = ", ".join(f"{status}: {count}" for status, count in sorted(outcomes.items()))
        self.stdout.write(
            f"As of {as_of:%d/%m/%Y}: {len(plan.new)} planned, {len(plan.to_send)} to send"
            f" ({summary or 'nothing'}); {plan.superseded} superseded."
        )

    def _list(self, plan):
        """The deliveries the run would create (only addresses and counts: no e-mail built)."""
        would_send = [d for d in plan.new if d.status == Status.PENDING]
        units = Unit.objects.in_bulk({d.unit_id for d in would_send})
        users = get_user_model().objects.in_bulk({d.recipient_id for d in would_send})
        for delivery in sorted(would_send, key=lambda d: (d.kind, d.unit_id, d.recipient_id)):
            what = delivery.campaign or delivery.subject
            step = f" {delivery.step:+d}" if delivery.step is not None else ""
            self.stdout.write(
                f"  {delivery.get_kind_display()}: {what}{step} | {units[delivery.unit_id]} | "
                f"{users[delivery.recipient_id].email} ({delivery.get_role_display()}) | "
                f"{delivery.outstanding} outstanding"
            )
        skipped = len(plan.new) - len(would_send)
        self.stdout.write(
            f"Dry run as of {plan.as_of:%d/%m/%Y}: {len(would_send)} e-mails would be sent"
            f" ({skipped} recipients without an address); nothing was sent or saved."
        )
