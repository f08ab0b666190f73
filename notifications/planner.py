"""The daily plan: which reminders are due on a date, written as delivery rows.

One run reads everything in a fixed number of queries, whatever the number of
units or systems: the unit tree and members (2), the active campaigns with
their scopes and step records (3), one GROUP BY per campaign, the dossiers
waiting on an appraising or approving unit (2) and the notices already sent
about them (1), the inspection counts (1), the deliveries already planned (1);
then it writes in bulk and lists what to send.

Digests, not floods: one dossier digest per recipient and day (only on a day
something new reached its time limit), one escalation per manager of a parent
unit listing its overdue subordinate units, and overdue top-level units in one
weekly digest to the national administrators.
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

from compliance.annual.selectors import filed_unit_ids
from compliance.selectors import (
    REQUIREMENT_ANNUAL_REPORT,
    counts_by_owner,
    deadline_outstanding,
    systems_as_of,
)
from registry.inspections.rules import next_due
from registry.inspections.selectors import systems_due
from registry.models import Authority, DossierStatus, Role
from registry.reorganisation.structure import structures_cached
from registry.transitions import APPRAISER_BY_LEVEL, APPROVER_BY_LEVEL

from .ledger import due_ids, flag_unknown_outcomes
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
    unknown: int = 0  # stale transmissions flagged for a person to check
    to_send: list = field(default_factory=list)  # delivery ids to hand to the workers
    # (campaign, unit id, outstanding) for overdue top-level units: the national digest
    overdue_top_level: list = field(default_factory=list)


def plan_day(as_of, dry_run=False, now=None, rerun=False):
    """Plan the reminders due on `as_of`; with dry_run, compute them and write nothing.
    `rerun` (an operator running the command again) also hands out that day's deferred
    deliveries at once, whatever their backoff."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE), structures_cached():
        directory = Directory.load(as_of)
        result = PlanResult(as_of=as_of)
        candidates = []
        for campaign in _active_campaigns(as_of):
            candidates += _campaign_deliveries(campaign, directory, as_of, result)
        candidates += _national_digests(directory, as_of, result.overdue_top_level)
        candidates += _dossier_deliveries(directory, as_of)
        candidates += _inspection_deliveries(directory, as_of)
        result.new = _not_yet_planned(candidates, as_of)
        if dry_run:
            return result
        with transaction.atomic():
            CampaignStep.objects.bulk_create(result.step_records, ignore_conflicts=True)
            Delivery.objects.bulk_create(result.new, ignore_conflicts=True)
            result.superseded = _skip_superseded(as_of)
            result.unknown = flag_unknown_outcomes(now)
        result.to_send = due_ids(now, as_of, rerun_day=as_of if rerun else None)
    return result


def _active_campaigns(as_of):
    return DeadlineCampaign.objects.in_force(as_of).prefetch_related("units", "steps")


def _campaign_deliveries(campaign, directory, as_of, result):
    steps = steps_until(campaign, as_of)
    step = current_step(steps)
    if step is None:
        return []
    result.step_records += _step_records(campaign, steps, step, as_of)
    scope = list(campaign.units.all())
    systems = deadline_outstanding(
        campaign.requirement,
        as_of,
        campaign.due_date,
        levels=campaign.levels,
        units=scope,
        intervals=settings.INSPECTION_INTERVAL_MONTHS,
        structure=directory.structure,
    )
    totals = directory.roll_up(counts_by_owner(systems))
    # A unit of the campaign merged since is reminded through its successor.
    scope_ids = [directory.structure.placement(unit.pk) for unit in scope]
    settled = settled_units(campaign)
    in_scope = {
        u: n
        for u, n in totals.items()
        if directory.in_subtrees(u, scope_ids) and directory.reporting_unit(u) not in settled
    }
    deliveries = []
    for unit_id, outstanding in in_scope.items():
        for recipient, role in directory.unit_recipients(unit_id):
            deliveries.append(
                _step_delivery(campaign, step, as_of, unit_id, role, recipient, outstanding)
            )
    if step.overdue and campaign.escalate_when_overdue:
        deliveries += _escalations(campaign, step, as_of, directory, in_scope)
        result.overdue_top_level += [
            (campaign, unit_id, n) for unit_id, n in in_scope.items() if directory.is_top(unit_id)
        ]
    return deliveries


def settled_units(campaign):
    """Reporting units the campaign no longer waits for whatever their systems say: for an
    annual report, those whose report of the campaign's year is filed (their subordinate
    units report through them, so they are left out too)."""
    if campaign.requirement != REQUIREMENT_ANNUAL_REPORT:
        return set()
    return filed_unit_ids(campaign.due_date.year)


def _step_delivery(campaign, step, as_of, unit_id, role, recipient, outstanding):
    delivery = Delivery(
        kind=Kind.CAMPAIGN, campaign=campaign, step=step.offset, unit_id=unit_id, role=role
    )
    return _addressed(delivery, recipient, as_of, step.valid_until, outstanding)


def _escalations(campaign, step, as_of, directory, in_scope):
    """One digest per manager of a parent unit, listing its overdue subordinate units
    (their outstanding systems added up)."""
    by_parent = {}
    for unit_id, outstanding in in_scope.items():
        parent_id = directory.parent(unit_id)
        if parent_id is not None:
            by_parent[parent_id] = by_parent.get(parent_id, 0) + outstanding
    return [
        _step_delivery(campaign, step, as_of, parent_id, RecipientRole.ESCALATION, recipient, total)
        for parent_id, total in by_parent.items()
        for recipient in directory.members(parent_id, Role.MANAGER)
    ]


def national_week(as_of):
    year, week, _weekday = as_of.isocalendar()
    return f"{year}-W{week:02d}"


def _national_digests(directory, as_of, overdue_top_level):
    """Overdue ministries and provinces have no parent to escalate to: the national
    administrators get one digest a week, planned on the set weekday or the first run
    after it that week (so a planner that was down that day still sends it)."""
    if not overdue_top_level or as_of.weekday() < settings.REMINDER_NATIONAL_DIGEST_WEEKDAY:
        return []
    outstanding = sum(count for _campaign, _unit, count in overdue_top_level)
    next_week = as_of + datetime.timedelta(days=7 - as_of.weekday())
    deliveries = []
    for recipient in directory.national:
        delivery = Delivery(
            kind=Kind.NATIONAL, subject=national_week(as_of), role=RecipientRole.NATIONAL
        )
        deliveries.append(_addressed(delivery, recipient, as_of, next_week, outstanding))
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
    """Today's digest for each recipient with a dossier that newly reached a step (its
    time limit near, or exceeded), listing all their dossiers at a step today. A notice
    is sent once: in the first digest that holds it."""
    notices = _dossier_notices(directory, as_of)
    # A notice is planned on or after its clock started: older digests cannot hold it.
    starts = [start for items in notices.values() for start, _key in items]
    sent = _notices_sent_since(min(starts, default=as_of))
    deliveries = []
    for (recipient, role, unit_id), items in notices.items():
        keys = sorted(item for _start, item in items)
        if set(keys) <= sent.get((recipient.user_id, unit_id), set()):
            continue
        delivery = Delivery(
            kind=Kind.DOSSIER, subject=as_of.isoformat(), unit_id=unit_id, role=role, items=keys
        )
        deliveries.append(_addressed(delivery, recipient, as_of, NO_SUPERSEDING_STEP, len(keys)))
    return deliveries


def _dossier_notices(directory, as_of):
    """{(recipient, role, unit id or None): [(clock start, notice key)]} due on `as_of`."""
    limits = {(limit.stage, limit.level): limit for limit in DossierTimeLimit.objects.all()}
    waiting = (
        systems_as_of(as_of)
        .filter(dossier_status__in=list(STAGE_OF_STATUS), proposed_level__isnull=False)
        .values_list("pk", "owner_id", "dossier_status", "proposed_level", *_START_FIELDS)
    )
    notices = {}
    for pk, owner_id, status, level, *starts in waiting:
        stage, start_field, authorities = STAGE_OF_STATUS[status]
        start = starts[_START_FIELDS.index(start_field)]
        limit = limits.get((stage, level))
        if limit is None or start is None or start > as_of:
            continue
        step = _dossier_step(start, limit, as_of)
        if step is None:
            continue
        item = (start, dossier_notice(pk, stage, start, step))
        recipients, role, unit_id = _authority_recipients(directory, authorities[level], owner_id)
        for recipient in recipients:
            notices.setdefault((recipient, role, unit_id), []).append(item)
    return notices


def dossier_notice(system_id, stage, start, step):
    return f"{system_id}:{stage}:{start.isoformat()}:{step}"


def _notices_sent_since(earliest):
    """{(recipient id, unit id): notice keys} of the dossier digests planned since then."""
    sent = {}
    rows = Delivery.objects.filter(kind=Kind.DOSSIER, planned_for__gte=earliest).values_list(
        "recipient_id", "unit_id", "items"
    )
    for recipient_id, unit_id, items in rows:
        sent.setdefault((recipient_id, unit_id), set()).update(items)
    return sent


_START_FIELDS = ["submitted_on", "appraised_on"]


def dossier_deadline(start, limit):
    return add_days(start, limit.days, limit.working_days)


def _dossier_step(start, limit, as_of):
    """The step due on `as_of`: a reminder some working days before the limit, then the
    notice that it was exceeded; None before the reminder."""
    deadline = dossier_deadline(start, limit)
    if as_of > deadline:
        return EXCEEDED
    if as_of >= subtract_working_days(deadline, settings.DOSSIER_REMINDER_WORKING_DAYS_BEFORE):
        return DUE_SOON
    return None


def _authority_recipients(directory, authority, owner_id):
    """(recipients, role, unit id): the national authority's administrators (no unit), or
    the owner's reporting unit's managers or specialised security unit (its officers)."""
    if authority == Authority.NATIONAL_AUTHORITY:
        return directory.national, RecipientRole.NATIONAL, None
    reporting_id = directory.reporting_unit(owner_id)
    if authority == Authority.SYSTEM_OWNER:
        return directory.members(reporting_id, Role.MANAGER), RecipientRole.MANAGER, reporting_id
    return directory.members(reporting_id, Role.OFFICER), RecipientRole.OFFICER, reporting_id


def inspection_period(as_of):
    return f"{as_of:%Y-%m}"


def _next_month(as_of):
    return (as_of.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def inspection_systems(as_of):
    """Level 3-5 systems whose inspection is overdue or due within the horizon, by the
    inspection ledger as of that date (registry/inspections)."""
    return systems_due(systems_as_of(as_of), as_of)


def next_inspection_due(system):
    """The date the system's next inspection is due; None if never inspected (due now)."""
    if system.last_inspected_then is None:
        return None
    return next_due(system.level_then, system.last_inspected_then)


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


KEY_FIELDS = ["kind", "campaign_id", "step", "role", "subject", "recipient_id", "unit_id"]


def _key(delivery):
    return tuple(getattr(delivery, name) for name in KEY_FIELDS)


def _not_yet_planned(candidates, as_of):
    """The candidates without a delivery row yet (one query), each key once."""
    campaign_steps = {(d.campaign_id, d.step) for d in candidates if d.kind == Kind.CAMPAIGN}
    condition = Q(kind=Kind.INSPECTION, subject=inspection_period(as_of))
    condition |= Q(kind=Kind.DOSSIER, subject=as_of.isoformat())
    condition |= Q(kind=Kind.NATIONAL, subject=national_week(as_of))
    for campaign_id, step in campaign_steps:
        condition |= Q(kind=Kind.CAMPAIGN, campaign_id=campaign_id, step=step)
    existing = set(Delivery.objects.filter(condition).values_list(*KEY_FIELDS))
    new = {}
    for delivery in candidates:
        key = _key(delivery)
        if key not in existing:
            new.setdefault(key, delivery)
    return list(new.values())


def _skip_superseded(as_of):
    """Deliveries never tried when their step's successor is due: more than their interval
    late, so they are skipped (the current step is sent instead). A deferred one was tried
    and keeps its retries until the schedule's time runs out."""
    return Delivery.objects.filter(
        status__in=[Status.PENDING, Status.CLAIMED], valid_until__lte=as_of
    ).update(
        status=Status.SKIPPED,
        claim_token=None,
        reason=_("Not sent before the next step was due: more than its interval late."),
    )
