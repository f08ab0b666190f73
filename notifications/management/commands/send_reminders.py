from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.cli import iso_date
from notifications.dispatch import dispatch
from notifications.models import Delivery, Status
from notifications.planner import plan_day
from notifications.sending import send_batch
from registry.models import Unit

# Of the day's deliveries, those that make the run a failure for cron and monitoring.
NOT_DELIVERED = [Status.DEFERRED, Status.FAILED, Status.UNKNOWN]


class Command(BaseCommand):
    help = (
        "Plan the deadline reminders due on a date and send them, as a worker would: transient "
        "SMTP failures are left deferred for the sweeper. Run again for the same date, it sends "
        "nothing new and tries that day's deferred e-mails at once. Exits non-zero while any "
        "e-mail of that day is deferred, failed or of unknown outcome."
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
        plan = plan_day(as_of, dry_run=dry_run, rerun=not dry_run)
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
        outcomes = send_batch(plan.to_send, force=True)
        tried = ", ".join(f"{status}: {count}" for status, count in sorted(outcomes.items()))
        self.stdout.write(
            f"As of {as_of:%d/%m/%Y}: {len(plan.new)} planned, {len(plan.to_send)} to send"
            f" ({tried or 'nothing'}); {plan.superseded} superseded."
        )
        self._day_summary(as_of)

    def _day_summary(self, as_of):
        """The day's deliveries by status, whichever run sent them; non-zero exit while any
        is not delivered, so cron and monitoring see it."""
        day = Counter(Delivery.objects.filter(planned_for=as_of).values_list("status", flat=True))
        self.stdout.write(
            f"Deliveries of {as_of:%d/%m/%Y}: sent: {day[Status.SENT]}, "
            f"deferred: {day[Status.DEFERRED]}, failed: {day[Status.FAILED]}, "
            f"unknown outcome: {day[Status.UNKNOWN]}, skipped: {day[Status.SKIPPED]}."
        )
        not_delivered = sum(day[status] for status in NOT_DELIVERED)
        if not_delivered:
            raise CommandError(
                f"{not_delivered} e-mail(s) of {as_of:%d/%m/%Y} not delivered: deferred ones are "
                "retried by the sweeper or by running this command again; see the admin's "
                "deliveries for failed ones and those of unknown outcome.",
                returncode=2,
            )

    def _list(self, plan):
        """The deliveries the run would create (only addresses and counts: no e-mail built)."""
        would_send = [d for d in plan.new if d.status == Status.PENDING]
        units = Unit.objects.in_bulk({d.unit_id for d in would_send if d.unit_id})
        users = get_user_model().objects.in_bulk({d.recipient_id for d in would_send})
        for delivery in sorted(
            would_send, key=lambda d: (d.kind, d.unit_id or 0, d.recipient_id, d.role)
        ):
            what = delivery.campaign or delivery.subject
            step = f" {delivery.step:+d}" if delivery.step is not None else ""
            unit = units[delivery.unit_id] if delivery.unit_id else "*"
            self.stdout.write(
                f"  {delivery.get_kind_display()}: {what}{step} | {unit} | "
                f"{users[delivery.recipient_id].email} ({delivery.get_role_display()}) | "
                f"{delivery.outstanding} outstanding"
            )
        skipped = len(plan.new) - len(would_send)
        self.stdout.write(
            f"Dry run as of {plan.as_of:%d/%m/%Y}: {len(would_send)} e-mails would be sent"
            f" ({skipped} recipients without an address); nothing was sent or saved."
        )
