"""The legal deadlines that pages and reports count down to.

Deadlines are data: the notifications app keeps them as DeadlineCampaign rows
that national administrators edit. Until that app provides the model (or in a
deployment without it), the defaults in settings.COMPLIANCE_DEFAULT_DEADLINES
apply. Pages, PDFs and e-mails read deadlines through `active_deadlines` only.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings

APPROVAL = "approval"
DEPLOYMENT = "deployment"
REQUIREMENTS = (APPROVAL, DEPLOYMENT)


@dataclass(frozen=True)
class Deadline:
    name: str
    legal_basis: str
    requirement: str  # APPROVAL or DEPLOYMENT
    due_date: datetime.date

    def days_left(self, as_of):
        """Days until the due date; negative once overdue."""
        return (self.due_date - as_of).days

    def outstanding(self, figures):
        """How many of the figures' systems this deadline still waits for."""
        done = figures.approved if self.requirement == APPROVAL else figures.fully_deployed
        return figures.total - done


def active_deadlines(as_of=None):
    """Active approval and deployment deadlines, earliest first.

    `as_of` is accepted so that a campaign created after a date can be left out
    by callers that care; every active campaign is returned, past or future,
    because an overdue deadline is exactly what a page must show.
    """
    model = _campaign_model()
    deadlines = _from_campaigns(model) if model is not None else _from_settings()
    return sorted(deadlines, key=lambda deadline: (deadline.due_date, deadline.requirement))


def _campaign_model():
    if not apps.is_installed("notifications"):
        return None
    try:
        return apps.get_model("notifications", "DeadlineCampaign")
    except LookupError:
        return None


def _from_settings():
    return [
        Deadline(
            name=str(item["name"]),
            legal_basis=str(item["legal_basis"]),
            requirement=item["requirement"],
            due_date=_as_date(item["due_date"]),
        )
        for item in settings.COMPLIANCE_DEFAULT_DEADLINES
    ]


def _from_campaigns(model):
    deadlines = []
    for campaign in model.objects.filter(is_active=True).order_by("due_date"):
        requirement = _requirement(campaign.requirement)
        if requirement is None:
            continue  # annual reports and inspections are not about these rates
        deadlines.append(
            Deadline(
                name=str(campaign.name),
                legal_basis=str(campaign.legal_basis),
                requirement=requirement,
                due_date=_as_date(campaign.due_date),
            )
        )
    return deadlines


def _requirement(value):
    return value if value in REQUIREMENTS else None


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
