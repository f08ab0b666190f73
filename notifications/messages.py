"""The e-mail for one delivery: text and HTML from templates, in the recipient's language.

Figures are computed when the e-mail is built, as of the delivery's date, with
the same selectors as the compliance pages, so a unit that caught up since it
was planned gets nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.selectors import deadline_outstanding
from registry.models import DossierStatus

from .models import DossierTimeLimit, Kind, RecipientPreference, RecipientRole, Stage
from .planner import EXCEEDED, dossier_deadline, inspection_systems, next_inspection_due

WAITING_STATUS = {Stage.APPRAISAL: DossierStatus.SUBMITTED, Stage.APPROVAL: DossierStatus.APPRAISED}

TEMPLATES = {
    Kind.CAMPAIGN: "notifications/email/campaign",
    Kind.DOSSIER: "notifications/email/dossier",
    Kind.INSPECTION: "notifications/email/inspection",
}


@dataclass
class Content:
    subject: str
    context: dict


def recipient_language(user):
    preference = RecipientPreference.objects.filter(user=user).first()
    return preference.language if preference else settings.LANGUAGE_CODE


def absolute_url(name, **kwargs):
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def message_id(delivery):
    """The same Message-ID whenever this delivery is built: mail clients drop duplicates."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<reminder-{delivery.pk}@{domain}>"


def build_email(delivery):
    """The message for a delivery, or None when there is nothing to report any more."""
    language = recipient_language(delivery.recipient)
    with translation.override(language):
        content = BUILDERS[delivery.kind](delivery)
        if content is None:
            return None
        context = {
            **content.context,
            "delivery": delivery,
            "recipient": delivery.recipient,
            "unit": delivery.unit,
            "as_of": delivery.planned_for,
            # Officers get the managers' deadline digest as a copy; other notices are theirs.
            "is_copy": delivery.role == RecipientRole.OFFICER and delivery.kind == Kind.CAMPAIGN,
            "is_escalation": delivery.role == RecipientRole.ESCALATION,
            "unit_url": absolute_url("compliance:unit", code=delivery.unit.code),
            "LANGUAGE_CODE": language,
        }
        template = TEMPLATES[delivery.kind]
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=text,
        to=[delivery.recipient.email],
        headers={"Message-ID": message_id(delivery), "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def _campaign_content(delivery):
    campaign = delivery.campaign
    if not campaign.is_active:
        return None  # switched off by an administrator since it was planned
    systems = deadline_outstanding(
        campaign.requirement,
        delivery.planned_for,
        campaign.due_date,
        levels=campaign.levels,
        unit_paths=[delivery.unit.path],
        intervals=settings.INSPECTION_INTERVAL_MONTHS,
    ).select_related("owner")
    # The planner only addresses units inside the campaign's scope, so the unit's subtree
    # is all in scope: no need to narrow by the campaign's units again.
    count = systems.count()
    if not count:
        return None
    days = (campaign.due_date - delivery.planned_for).days
    subject = ngettext(
        "[%(unit)s] %(count)s system outstanding: %(campaign)s, due %(due)s",
        "[%(unit)s] %(count)s systems outstanding: %(campaign)s, due %(due)s",
        count,
    ) % {
        "unit": delivery.unit.name,
        "count": count,
        "campaign": campaign.name,
        "due": f"{campaign.due_date:%d/%m/%Y}",
    }
    if days < 0:
        subject = _("Overdue: %(subject)s") % {"subject": subject}
    context = {
        "campaign": campaign,
        "requirement": campaign.get_requirement_display(),
        "count": count,
        "systems": list(systems[: settings.REMINDER_LIST_LIMIT]),
        "days_left": max(days, 0),
        "days_overdue": max(-days, 0),
    }
    return Content(subject, context)


def _dossier_content(delivery):
    system = delivery.system
    stage, start, step = delivery.subject.split(":")
    start_field = "submitted_on" if stage == Stage.APPRAISAL else "appraised_on"
    still_waiting = system.dossier_status == WAITING_STATUS[stage]
    if not still_waiting or str(getattr(system, start_field)) != start:
        return None  # appraised, approved or returned since it was planned
    limit = DossierTimeLimit.objects.filter(stage=stage, level=system.proposed_level).first()
    if limit is None:
        return None
    deadline = dossier_deadline(getattr(system, start_field), limit)
    exceeded = step == EXCEEDED
    values = {
        "system": system.code,
        "stage": limit.get_stage_display().lower(),
        "deadline": f"{deadline:%d/%m/%Y}",
    }
    if exceeded:
        subject = _("Time limit exceeded: %(stage)s of %(system)s was due %(deadline)s") % values
    else:
        subject = _("Time limit near: %(stage)s of %(system)s is due %(deadline)s") % values
    context = {
        "system": system,
        "limit": limit,
        "stage": limit.get_stage_display().lower(),
        "received_on": getattr(system, start_field),
        "deadline": deadline,
        "exceeded": exceeded,
        "days_overdue": (delivery.planned_for - deadline).days,
        "system_url": absolute_url("compliance:system", pk=system.pk),
    }
    return Content(subject, context)


def _inspection_content(delivery):
    systems = (
        inspection_systems(delivery.planned_for)
        .filter(owner__path__startswith=delivery.unit.path)
        .select_related("owner")
    )
    count = systems.count()
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
    listed = list(systems[: settings.REMINDER_LIST_LIMIT])
    for system in listed:
        system.inspection_due_on = next_inspection_due(system)
    horizon = settings.INSPECTION_DIGEST_HORIZON_DAYS
    return Content(subject, {"count": count, "systems": listed, "horizon": horizon})


BUILDERS = {
    Kind.CAMPAIGN: _campaign_content,
    Kind.DOSSIER: _dossier_content,
    Kind.INSPECTION: _inspection_content,
}
