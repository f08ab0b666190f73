"""What each e-mail says: its subject and template context, per kind, as of its date.

Figures are computed when the e-mail is built, with the same selectors as the
compliance pages, so a unit that caught up since it was planned gets nothing
(None: the delivery is skipped). Lists are cut at REMINDER_LIST_LIMIT rows and
then say how many more there are, with a link to the page that shows them all.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.selectors import deadline_outstanding, unit_systems
from registry.models import DossierStatus, InformationSystem
from registry.reorganisation.structure import Structure

from .models import DeadlineCampaign, DossierTimeLimit, Kind, RecipientRole, Stage
from .planner import (
    EXCEEDED,
    dossier_deadline,
    inspection_systems,
    next_inspection_due,
    settled_units,
)
from .steps import current_step, steps_until

WAITING_STATUS = {Stage.APPRAISAL: DossierStatus.SUBMITTED, Stage.APPROVAL: DossierStatus.APPRAISED}
START_FIELD = {Stage.APPRAISAL: "submitted_on", Stage.APPROVAL: "appraised_on"}


@dataclass
class Content:
    subject: str
    context: dict


def absolute_url(name, **kwargs):
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def scope_url(unit):
    """The page that shows everything a unit's (or the national) notice lists."""
    if unit is None:
        return absolute_url("compliance:national")
    return absolute_url("compliance:unit", code=unit.code)


def listed(rows, count, unit):
    """The first REMINDER_LIST_LIMIT rows; `more` says how many the linked page adds."""
    shown = list(rows[: settings.REMINDER_LIST_LIMIT])
    return {"rows": shown, "more": count - len(shown), "more_url": scope_url(unit)}


def first_rows(systems):
    """The first REMINDER_LIST_LIMIT systems and how many there are, in one query."""
    rows = list(systems.annotate(total=Window(Count("pk")))[: settings.REMINDER_LIST_LIMIT])
    return rows, rows[0].total if rows else 0


def content_for(delivery):
    if delivery.role == RecipientRole.ESCALATION:
        return _escalation_content(delivery)
    return BUILDERS[delivery.kind](delivery)


def _campaign_subject(text, delivery, count):
    """`text` (an ngettext result) filled in, marked overdue after the due date."""
    campaign = delivery.campaign
    subject = text % {
        "unit": delivery.unit.name,
        "count": count,
        "campaign": campaign.name,
        "due": f"{campaign.due_date:%d/%m/%Y}",
    }
    if delivery.planned_for > campaign.due_date:
        subject = _("Overdue: %(subject)s") % {"subject": subject}
    return subject


def _campaign_context(campaign, as_of):
    days = (campaign.due_date - as_of).days
    return {
        "campaign": campaign,
        "requirement": campaign.get_requirement_display(),
        "days_left": max(days, 0),
        "days_overdue": max(-days, 0),
    }


def _outstanding(campaign, as_of, units, structure=None):
    return deadline_outstanding(
        campaign.requirement,
        as_of,
        campaign.due_date,
        levels=campaign.levels,
        units=units,
        intervals=settings.INSPECTION_INTERVAL_MONTHS,
        structure=structure,
    )


def _campaign_content(delivery):
    campaign = delivery.campaign
    if not campaign.is_active:
        return None  # switched off by an administrator since it was planned
    reporting_unit = Structure.load(delivery.planned_for).reporting_unit(delivery.unit.pk)
    if reporting_unit in settled_units(campaign):
        return None  # the annual report was filed since it was planned
    # The campaign's own units, within the addressed unit's subtree: a successor is told
    # only about the systems of the campaign's unit merged into it.
    systems = _outstanding(campaign, delivery.planned_for, list(campaign.units.all()))
    systems = systems.filter(owner_then__in=_subtree_ids(delivery))
    rows, count = first_rows(systems.select_related("owner"))
    if not count:
        return None
    text = ngettext(
        "[%(unit)s] %(count)s system outstanding: %(campaign)s, due %(due)s",
        "[%(unit)s] %(count)s systems outstanding: %(campaign)s, due %(due)s",
        count,
    )
    subject = _campaign_subject(text, delivery, count)
    context = _campaign_context(campaign, delivery.planned_for)
    context.update(count=count, **listed(rows, count, delivery.unit))
    return Content(subject, context)


def overdue_units(campaign, as_of, parent=None):
    """[{unit, count, url}] for the units directly under `parent` (the top-level units when
    None) with systems the campaign still waits for, most behind first."""
    structure = Structure.load(as_of)
    units = [parent] if parent else list(campaign.units.all())
    rows = (
        _outstanding(campaign, as_of, units, structure)
        .order_by()
        .values_list("owner_then")
        .annotate(count=Count("pk"))
    )
    settled = settled_units(campaign)
    counts = Counter()
    for owner_id, count in rows:
        chain = structure.chain(owner_id)
        if chain and chain[-1] in settled:  # its reporting unit (the root) filed
            continue
        unit_id = structure.branch_below(owner_id, parent.pk if parent else None)
        if unit_id is not None:  # the parent's own systems are in its own digest
            counts[unit_id] += count
    rows = [
        {"unit": structure.unit(pk), "count": n, "url": scope_url(structure.unit(pk))}
        for pk, n in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["unit"].name))


def _subtree_ids(delivery):
    return sorted(Structure.load(delivery.planned_for).subtree(delivery.unit.pk))


def _escalation_content(delivery):
    campaign = delivery.campaign
    if not campaign.is_active:
        return None
    units = overdue_units(campaign, delivery.planned_for, parent=delivery.unit)
    if not units:
        return None
    text = ngettext(
        "[%(unit)s] %(count)s subordinate unit behind: %(campaign)s, due %(due)s",
        "[%(unit)s] %(count)s subordinate units behind: %(campaign)s, due %(due)s",
        len(units),
    )
    subject = _campaign_subject(text, delivery, len(units))
    context = _campaign_context(campaign, delivery.planned_for)
    context.update(units=units, count=len(units))
    return Content(subject, context)


def _overdue_campaigns(as_of):
    """Active campaigns whose current step on `as_of` is an overdue one that escalates."""
    campaigns = DeadlineCampaign.objects.in_force(as_of).filter(escalate_when_overdue=True)
    for campaign in campaigns.prefetch_related("units"):
        step = current_step(steps_until(campaign, as_of))
        if step is not None and step.overdue:
            yield campaign


def _national_content(delivery):
    as_of = delivery.planned_for
    sections = []
    for campaign in _overdue_campaigns(as_of):
        units = overdue_units(campaign, as_of)
        if units:
            sections.append({**_campaign_context(campaign, as_of), "units": units})
    if not sections:
        return None
    count = len({row["unit"].pk for section in sections for row in section["units"]})
    subject = ngettext(
        "%(count)s ministry or province overdue on its deadlines (week of %(monday)s)",
        "%(count)s ministries and provinces overdue on their deadlines (week of %(monday)s)",
        count,
    ) % {"count": count, "monday": f"{as_of - datetime.timedelta(days=as_of.weekday()):%d/%m/%Y}"}
    return Content(subject, {"sections": sections, "count": count})


@dataclass
class DossierNotice:
    system: InformationSystem
    limit: DossierTimeLimit
    received_on: datetime.date
    deadline: datetime.date
    exceeded: bool
    days_overdue: int
    url: str


def dossier_notices(delivery):
    """The digest's notices whose dossier still waits where it did, most urgent first."""
    parsed = [item.split(":") for item in delivery.items]
    systems = InformationSystem.objects.select_related("owner").in_bulk(
        [int(pk) for pk, *_rest in parsed]
    )
    limits = {(limit.stage, limit.level): limit for limit in DossierTimeLimit.objects.all()}
    notices = []
    for pk, stage, start, step in parsed:
        system = systems.get(int(pk))
        if system is None or system.dossier_status != WAITING_STATUS[stage]:
            continue  # appraised, approved or returned since it was planned
        received_on = getattr(system, START_FIELD[stage])
        limit = limits.get((stage, system.proposed_level))
        if str(received_on) != start or limit is None:
            continue  # returned and submitted again: a new clock, a new notice
        deadline = dossier_deadline(received_on, limit)
        notices.append(
            DossierNotice(
                system=system,
                limit=limit,
                received_on=received_on,
                deadline=deadline,
                exceeded=step == EXCEEDED,
                days_overdue=(delivery.planned_for - deadline).days,
                url=absolute_url("compliance:system", pk=system.pk),
            )
        )
    return sorted(notices, key=lambda n: (not n.exceeded, n.deadline, n.system.code))


def _dossier_content(delivery):
    notices = dossier_notices(delivery)
    if not notices:
        return None
    if len(notices) == 1:
        subject = _single_dossier_subject(notices[0])
    else:
        subject = ngettext(
            "[%(unit)s] %(count)s dossier near or past its time limit",
            "[%(unit)s] %(count)s dossiers near or past their time limits",
            len(notices),
        ) % {"unit": _unit_name(delivery.unit), "count": len(notices)}
    context = {"count": len(notices), **listed(notices, len(notices), delivery.unit)}
    return Content(subject, context)


def _single_dossier_subject(notice):
    values = {
        "system": notice.system.code,
        "stage": notice.limit.get_stage_display().lower(),
        "deadline": f"{notice.deadline:%d/%m/%Y}",
    }
    if notice.exceeded:
        return _("Time limit exceeded: %(stage)s of %(system)s was due %(deadline)s") % values
    return _("Time limit near: %(stage)s of %(system)s is due %(deadline)s") % values


def _unit_name(unit):
    return unit.name if unit is not None else _("national authority")


def _inspection_content(delivery):
    systems = (
        inspection_systems(delivery.planned_for)
        .filter(pk__in=unit_systems(delivery.unit, delivery.planned_for).values("pk"))
        .select_related("owner")
    )
    rows, count = first_rows(systems)
    if not count:
        return None
    subject = ngettext(
        "[%(unit)s] %(count)s system due for periodic inspection (%(month)s)",
        "[%(unit)s] %(count)s systems due for periodic inspection (%(month)s)",
        count,
    ) % {
        "unit": delivery.unit.name,
        "count": count,
        "month": f"{delivery.planned_for:%m/%Y}",
    }
    context = listed(rows, count, delivery.unit)
    for system in context["rows"]:
        system.inspection_due_on = next_inspection_due(system)
    horizon = settings.INSPECTION_DIGEST_HORIZON_DAYS
    return Content(subject, {"count": count, "horizon": horizon, **context})


BUILDERS = {
    Kind.CAMPAIGN: _campaign_content,
    Kind.DOSSIER: _dossier_content,
    Kind.INSPECTION: _inspection_content,
    Kind.NATIONAL: _national_content,
}
