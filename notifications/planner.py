"""The daily plan: which reminders are due on a date, written as delivery rows.

One run reads everything in a fixed number of queries, whatever the number of
units or systems: the unit tree and members (2), the active campaigns with
their scopes and step records (3), one GROUP BY per campaign, the dossiers
waiting on an appraising or approving unit (2), the inspection counts (1), the
deliveries already planned (1); then it writes in bulk and lists what to send.
Writing is idempotent (unique constraints, INSERT ... ON CONFLICT DO NOTHING),
so a second tick, a retried task or two planners at once add nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.selectors import (
    REQUIREMENT_INSPECTION,
    counts_by_owner,
    deadline_outstanding,
    months_before,
    systems_as_of,
)
from registry.models import Authority, DossierStatus, Role
from registry.transitions import APPRAISER_BY_LEVEL, APPROVER_BY_LEVEL

from .models import (
    CampaignStep,
    DeadlineCampaign,
    Delivery,
    DossierTimeLimit,
    Kind,
    RecipientRole,
    Stage,
    Status,
)
from .recipients import Directory
from .steps import current_step, steps_until
from .workdays import add_days, subtract_working_days

# A notice that a time limit was exceeded stays worth sending however late it goes out.
NO_SUPERSEDING_STEP = datetime.date(9999, 12, 31)
DUE_SOON = "due_soon"
EXCEEDED = "exceeded"


@dataclass
class PlanResult:
    as_of: datetime.date
    new: list = field(default_factory=list)  # deliveries created (unsaved in a dry run)
    step_records: list = field(default_factory=list)  # CampaignStep rows written now
    superseded: int = 0
    abandoned: int = 0
    to_send: list = field(default_factory=list)  # delivery ids to hand to the workers


def plan_day(as_of, dry_run=False, now=None):
    """Plan the reminders due on `as_of`; with dry_run, compute them and write nothing."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        directory = Directory.load()
        result = PlanResult(as_of=as_of)
        candidates = []
        for campaign in _active_campaigns():
            candidates += _campaign_deliveries(campaign, directory, as_of, result.step_records)
        candidates += _dossier_deliveries(directory, as_of)
        candidates += _inspection_deliveries(directory, as_of)
        result.new = _not_yet_planned(candidates, as_of)
        if dry_run:
            return result
        with transaction.atomic():
            CampaignStep.objects.bulk_create(result.step_records, ignore_conflicts=True)
            Delivery.objects.bulk_create(result.new, ignore_conflicts=True)
            result.superseded = _skip_superseded(as_of)
            result.abandoned = _fail_abandoned_transmissions(now)
        result.to_send = _sendable_ids(as_of, now)
    return result


def _active_campaigns():
    return DeadlineCampaign.objects.filter(is_active=True).prefetch_related("units", "steps")


def _campaign_deliveries(campaign, directory, as_of, step_records):
    steps = steps_until(campaign, as_of)
    step = current_step(steps)
    if step is None:
        return []
    step_records += _step_records(campaign, steps, step, as_of)
    scope = [unit.path for unit in campaign.units.all()]
    systems = deadline_outstanding(
        campaign.requirement,
        as_of,
        campaign.due_date,
        levels=campaign.levels,
        unit_paths=scope,
        intervals=settings.INSPECTION_INTERVAL_MONTHS,
    )
    totals = directory.roll_up(counts_by_owner(systems))
    escalate = step.overdue and campaign.escalate_when_overdue
    deliveries = []
    for unit_id, outstanding in totals.items():
        if not directory.in_subtrees(unit_id, scope):
            continue
        for recipient, role in directory.unit_recipients(unit_id, escalate=escalate):
            delivery = Delivery(
                kind=Kind.CAMPAIGN, campaign=campaign, step=step.offset, unit_id=unit_id, role=role
            )
            deliveries.append(_addressed(delivery, recipient, as_of, step.valid_until, outstanding))
    return deliveries


def _step_records(campaign, steps, step, as_of):
    """A 'planned' record for the current step, a 'skipped' one for each earlier step the
    planner never reached: more than its interval late, superseded by the current one."""
    recorded = {record.offset for record in campaign.steps.all()}
    records = []
    for missed in steps[:-1]:
        if missed.offset in recorded:
            continue
        reason = _(
            "Not sent: the planner did not run between %(start)s and %(end)s; the step was "
            "more than its interval late when it ran on %(run)s and step %(current)+d "
            "was sent instead."
        ) % {
            "start": f"{missed.date:%d/%m/%Y}",
            "end": f"{missed.valid_until - datetime.timedelta(days=1):%d/%m/%Y}",
            "run": f"{as_of:%d/%m/%Y}",
            "current": step.offset,
        }
        records.append(_record(campaign, missed, CampaignStep.Outcome.SKIPPED, as_of, reason))
    if step.offset not in recorded:
        records.append(_record(campaign, step, CampaignStep.Outcome.PLANNED, as_of, ""))
    return records


def _record(campaign, step, outcome, as_of, reason):
    return CampaignStep(
        campaign=campaign,
        offset=step.offset,
        step_date=step.date,
        outcome=outcome,
        run_date=as_of,
        reason=reason,
    )


def _addressed(delivery, recipient, as_of, valid_until, outstanding):
    delivery.recipient_id = recipient.user_id
    delivery.planned_for = as_of
    delivery.valid_until = valid_until
    delivery.outstanding = outstanding
    if not recipient.email:
        delivery.status = Status.SKIPPED
        delivery.reason = _("The recipient has no e-mail address.")
    return delivery


# Dossier time limits (DOMAIN.md §4): who is waited for, per stage and level.
STAGE_OF_STATUS = {
    DossierStatus.SUBMITTED: (Stage.APPRAISAL, "submitted_on", APPRAISER_BY_LEVEL),
    DossierStatus.APPRAISED: (Stage.APPROVAL, "appraised_on", APPROVER_BY_LEVEL),
}


def _dossier_deliveries(directory, as_of):
    limits = {(limit.stage, limit.level): limit for limit in DossierTimeLimit.objects.all()}
    waiting = (
        systems_as_of(as_of)
        .filter(dossier_status__in=list(STAGE_OF_STATUS), proposed_level__isnull=False)
        .values_list("pk", "owner_id", "dossier_status", "proposed_level", *_START_FIELDS)
    )
    deliveries = []
    for pk, owner_id, status, level, *starts in waiting:
        stage, start_field, authorities = STAGE_OF_STATUS[status]
        start = starts[_START_FIELDS.index(start_field)]
        limit = limits.get((stage, level))
        if limit is None or start is None or start > as_of:
            continue
        step, valid_until = _dossier_step(start, limit, as_of)
        if step is None:
            continue
        subject = f"{stage}:{start.isoformat()}:{step}"
        for recipient, role in _authority_recipients(directory, authorities[level], owner_id):
            delivery = Delivery(
                kind=Kind.DOSSIER, system_id=pk, subject=subject, unit_id=owner_id, role=role
            )
            deliveries.append(_addressed(delivery, recipient, as_of, valid_until, 1))
    return deliveries


_START_FIELDS = ["submitted_on", "appraised_on"]


def dossier_deadline(start, limit):
    return add_days(start, limit.days, limit.working_days)


def _dossier_step(start, limit, as_of):
    """(step, valid until) due on `as_of`: a reminder some working days before the limit,
    then the notice that it was exceeded; (None, None) before the reminder."""
    deadline = dossier_deadline(start, limit)
    if as_of > deadline:
        return EXCEEDED, NO_SUPERSEDING_STEP
    if as_of >= subtract_working_days(deadline, settings.DOSSIER_REMINDER_WORKING_DAYS_BEFORE):
        return DUE_SOON, deadline + datetime.timedelta(days=1)
    return None, None


def _authority_recipients(directory, authority, owner_id):
    """The national authority's administrators, or the owner's (reporting unit's) managers
    or specialised security unit (its officers)."""
    if authority == Authority.NATIONAL_AUTHORITY:
        return [(recipient, RecipientRole.NATIONAL) for recipient in directory.national]
    reporting_id = directory.reporting[owner_id]
    if authority == Authority.SYSTEM_OWNER:
        members, role = directory.members(reporting_id, Role.MANAGER), RecipientRole.MANAGER
    else:
        members, role = directory.members(reporting_id, Role.OFFICER), RecipientRole.OFFICER
    return [(recipient, role) for recipient in members]


def inspection_period(as_of):
    return f"{as_of:%Y-%m}"


def _next_month(as_of):
    return (as_of.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def inspection_systems(as_of):
    """Level 3-5 systems whose inspection is overdue or due within the horizon."""
    horizon = as_of + datetime.timedelta(days=settings.INSPECTION_DIGEST_HORIZON_DAYS)
    intervals = settings.INSPECTION_INTERVAL_MONTHS
    return deadline_outstanding(
        REQUIREMENT_INSPECTION, as_of, horizon, levels=list(intervals), intervals=intervals
    )


def next_inspection_due(system):
    """The date the system's next inspection is due; None if never inspected (due now)."""
    if system.last_inspection_on is None:
        return None
    months = settings.INSPECTION_INTERVAL_MONTHS[system.level_then]
    return months_before(system.last_inspection_on, -months)


def _inspection_deliveries(directory, as_of):
    """The month's digest to each unit's officers (sent on the first run of the month)."""
    totals = directory.roll_up(counts_by_owner(inspection_systems(as_of)))
    period, valid_until = inspection_period(as_of), _next_month(as_of)
    deliveries = []
    for unit_id, outstanding in totals.items():
        for recipient in directory.members(unit_id, Role.OFFICER):
            delivery = Delivery(
                kind=Kind.INSPECTION, subject=period, unit_id=unit_id, role=RecipientRole.OFFICER
            )
            deliveries.append(_addressed(delivery, recipient, as_of, valid_until, outstanding))
    return deliveries


def _key(delivery):
    return (
        delivery.kind,
        delivery.campaign_id,
        delivery.step,
        delivery.system_id,
        delivery.subject,
        delivery.recipient_id,
        delivery.unit_id,
    )


def _not_yet_planned(candidates, as_of):
    """The candidates without a delivery row yet (one query), each key once."""
    campaign_steps = {(d.campaign_id, d.step) for d in candidates if d.kind == Kind.CAMPAIGN}
    condition = Q(kind=Kind.INSPECTION, subject=inspection_period(as_of))
    condition |= Q(kind=Kind.DOSSIER, system__in=_dossier_systems(candidates))
    for campaign_id, step in campaign_steps:
        condition |= Q(kind=Kind.CAMPAIGN, campaign_id=campaign_id, step=step)
    existing = set(
        Delivery.objects.filter(condition).values_list(
            "kind", "campaign_id", "step", "system_id", "subject", "recipient_id", "unit_id"
        )
    )
    new = {}
    for delivery in candidates:
        key = _key(delivery)
        if key not in existing:
            new.setdefault(key, delivery)
    return list(new.values())


def _dossier_systems(candidates):
    return sorted({d.system_id for d in candidates if d.kind == Kind.DOSSIER})


def _skip_superseded(as_of):
    """Deliveries still unsent when their step's successor is due: more than their interval
    late, so they are skipped (the current step is sent instead)."""
    return Delivery.objects.filter(
        status__in=[Status.PENDING, Status.CLAIMED], valid_until__lte=as_of
    ).update(
        status=Status.SKIPPED,
        claim_token=None,
        reason=_("Not sent before the next step was due: more than its interval late."),
    )


def lease_expired_before(now):
    return now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)


def _fail_abandoned_transmissions(now):
    """A worker that died while handing a message to the SMTP server may or may not have got
    it accepted. Resending could deliver it twice, so it is marked failed for a person to
    check and resend from the admin: at most once (see notifications/sending.py)."""
    return Delivery.objects.filter(
        status=Status.TRANSMITTING, claimed_at__lt=lease_expired_before(now)
    ).update(
        status=Status.FAILED,
        claim_token=None,
        reason=_(
            "The worker stopped while handing the message to the mail server; it may or may "
            "not have been delivered. Check with the recipient, then resend from the admin."
        ),
    )


def _sendable_ids(as_of, now):
    """Pending deliveries, and claims whose worker died before sending (the lease expired)."""
    stale_claim = Q(status=Status.CLAIMED, claimed_at__lt=lease_expired_before(now))
    return list(
        Delivery.objects.filter(Q(status=Status.PENDING) | stale_claim, valid_until__gt=as_of)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
