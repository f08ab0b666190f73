"""Reads of the API that registry/scope.py does not already answer: campaigns and reports."""

from django.db.models import Q
from django.utils import timezone

from notifications.models import DeadlineCampaign
from registry import scope


def visible_campaigns(user):
    """Deadline campaigns that concern the user's units: those for every unit, those aimed at
    a unit they may see, and those aimed at a unit above one of theirs (which covers them)."""
    campaigns = DeadlineCampaign.objects.in_force(timezone.localdate())
    if scope.is_national_admin(user):
        return campaigns
    above = {
        int(pk)
        for path in scope.membership_units(user).values_list("path", flat=True)
        for pk in path.strip("/").split("/")
    }
    covering = Q(units__isnull=True) | Q(units__in=scope.visible_units(user)) | Q(units__in=above)
    return campaigns.filter(pk__in=campaigns.filter(covering).values("pk"))


def campaign_rows(campaigns, user):
    """Each campaign with the codes of its units the user may see (one query for all)."""
    campaigns = list(campaigns.order_by("due_date", "name", "pk"))
    through = DeadlineCampaign.units.through.objects.filter(
        deadlinecampaign_id__in=[c.pk for c in campaigns],
        unit__in=scope.visible_units(user),
    ).values_list("deadlinecampaign_id", "unit__code")
    codes = {}
    for campaign_id, code in through:
        codes.setdefault(campaign_id, []).append(code)
    return [
        {
            "id": campaign.pk,
            "name": campaign.name,
            "legal_basis": campaign.legal_basis,
            "requirement": campaign.requirement,
            "due_date": campaign.due_date,
            "levels": list(campaign.levels or []),
            "units": sorted(codes.get(campaign.pk, [])),
        }
        for campaign in campaigns
    ]
