"""The legal deadlines that pages and reports count down to.

Deadlines are data: the notifications app keeps them as DeadlineCampaign rows
that national administrators edit (Directive 09/CT-TTg's two are seeded by its
migration). Pages and PDFs read deadlines through `active_deadlines` only.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from notifications.models import DeadlineCampaign

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


def active_deadlines(as_of=None, unit=None):
    """Approval and deployment deadlines in force on `as_of` (today when None), earliest
    first; for `unit`, only its own.

    A campaign exists from the day its legal basis was issued: as of an earlier date it
    is left out entirely. After that, every active campaign is returned, past or future,
    because an overdue deadline is exactly what a page must show. A campaign aimed at
    some units applies to them and their subordinate units: another unit's page must not
    show it (nor learn that unit's campaigns exist).
    """
    as_of = as_of or timezone.localdate()
    campaigns = DeadlineCampaign.objects.in_force(as_of).filter(requirement__in=REQUIREMENTS)
    if unit is not None:
        ancestors = [int(pk) for pk in unit.path.strip("/").split("/")]
        campaigns = campaigns.filter(Q(units__isnull=True) | Q(units__in=ancestors)).distinct()
    return [
        Deadline(
            name=str(campaign.name),
            legal_basis=str(campaign.legal_basis),
            requirement=campaign.requirement,
            due_date=campaign.due_date,
        )
        for campaign in campaigns.order_by("due_date", "requirement")
    ]


def units_missing_deadline(deadline, rows, as_of):
    """The rows (units' Figures) that missed `deadline` on `as_of`: it is due, its due date
    included (that day's figures are final for it), and they still have systems it waits for.
    A unit with no systems declared has nothing outstanding: it missed nothing.

    The one definition of "missed a deadline": the pages, the PDF and XLSX reports and the
    e-mails name and count units from here, so they cannot disagree."""
    if deadline.days_left(as_of) > 0:
        return []
    return [row for row in rows if deadline.outstanding(row) > 0]
