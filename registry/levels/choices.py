"""The attributes of a system that Decree 85/2016 Arts. 7-11 decide its level from, beyond its
type and the kinds of information it handles (DOMAIN.md §3).

Kept free of models so that registry/models.py can use these choices and labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UserBand(models.TextChoices):
    UNDER_10000 = "under_10000", _("Fewer than 10,000 users")
    FROM_10000 = "10000_or_more", _("10,000 users or more")


class InfrastructureReach(models.TextChoices):
    SINGLE_AGENCY = "single_agency", _("Serves a single agency")
    SECTOR_OR_PROVINCE = "sector_province", _("Shared within a sector or a province")
    NATIONWIDE = "nationwide", _("Shared nationwide, run 24/7")
    INTERNATIONAL = "international", _("National infrastructure connecting Vietnam internationally")


class SecurityHarm(models.TextChoices):
    HARM = "harm", _("Harms national security")
    SERIOUS = "serious", _("Seriously harms national security")
    ESPECIALLY_SERIOUS = "especially_serious", _("Especially seriously harms national security")


class IndustrialWorksGrade(models.TextChoices):
    GRADE_II_TO_IV = "grade_2_4", _("Works of grade II to IV")
    GRADE_I = "grade_1", _("Works of grade I")


class NationalRole(models.TextChoices):
    E_GOVERNMENT = "e_government", _("National e-government system that must run 24/7")
    NATIONAL_DATA = "national_data", _("Central storage of especially important national data")
    DESIGNATED = "designated", _("Designated by the Prime Minister")


# Labels of the system's fields (registry/models.py), translated in this area's catalog.
LABELS = {
    "online_service_level": _("online public service level"),
    "user_count_band": _("users"),
    "conditional_business": _("online service of a conditional business line"),
    "infrastructure_reach": _("infrastructure reach"),
    "security_harm": _("harm to national security if sabotaged"),
    "industrial_works_grade": _("industrial control: grade of the works"),
    "national_role": _("national role"),
}
HELP = {
    "online_service_level": _("For an online public service: its service level, 1 to 4."),
}
