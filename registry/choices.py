"""The vocabulary of a system's record: the choices the rules in registry/transitions.py speak of.

Kept apart from the models so that the rules module can be imported by them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_DEVELOPMENT = "in_development", _("In development")
    OPERATING = "operating", _("Operating")
    RETIRED = "retired", _("Retired")


class DossierStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    SUBMITTED = "submitted", _("Sent for appraisal")
    APPRAISED = "appraised", _("Appraised")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for revision")


class Deployment(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PARTIAL = "partial", _("Partial")
    FULL = "full", _("Full")


class Authority(models.TextChoices):
    SPECIALISED_UNIT = "specialised_unit", _("Specialised security unit")
    SYSTEM_OWNER = "system_owner", _("System owner")
    NATIONAL_AUTHORITY = "national_authority", _("National authority")
