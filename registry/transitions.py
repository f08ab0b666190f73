"""Every rule on what a system's record may say and how it may change.

One place, whoever calls it: the admin (through InformationSystem.clean), the
import, the API, the tests. Errors come back as a ValidationError keyed by
field, in the active language, and the caller saves nothing.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.choices import Authority, Deployment, DossierStatus, Lifecycle
from registry.text import clean_text

# System and unit codes: upper-case ASCII letters, digits and . _ -, starting and ending with
# a letter or digit ("P38-IT-00042", "B05.CA_1"). Codes end up in e-mail headers, file names,
# URLs and other agencies' spreadsheets, where anything wider breaks or deceives. The database
# holds the same pattern as a check constraint, so no write path can store anything else.
CODE_PATTERN = r"^[A-Z0-9]([A-Z0-9._-]*[A-Z0-9])?$"
CODE_CHARACTERS = "A-Z 0-9 . _ -"
# Dashes a word processor or a spreadsheet puts where a person typed "-".
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)

# Decree 85/2016 Art. 12-13 and DOMAIN.md §4: who appraises and who approves.
APPRAISER_BY_LEVEL = {
    1: Authority.SPECIALISED_UNIT,
    2: Authority.SPECIALISED_UNIT,
    3: Authority.SPECIALISED_UNIT,
    4: Authority.NATIONAL_AUTHORITY,
    5: Authority.NATIONAL_AUTHORITY,
}
APPROVER_BY_LEVEL = {
    1: Authority.SPECIALISED_UNIT,
    2: Authority.SPECIALISED_UNIT,
    3: Authority.SYSTEM_OWNER,
    4: Authority.SYSTEM_OWNER,
    5: Authority.SYSTEM_OWNER,
}

# The dossier workflow: where a dossier may go from each status.
NEXT_STATUSES = {
    DossierStatus.DRAFTING: {DossierStatus.SUBMITTED},
    DossierStatus.SUBMITTED: {DossierStatus.APPRAISED, DossierStatus.RETURNED},
    DossierStatus.APPRAISED: {DossierStatus.APPROVED, DossierStatus.RETURNED},
    DossierStatus.RETURNED: {DossierStatus.SUBMITTED, DossierStatus.DRAFTING},
    # A different level needs a new dossier, so an approval is final.
    DossierStatus.APPROVED: set(),
}
LIFECYCLE_ORDER = [
    Lifecycle.PLANNED,
    Lifecycle.IN_DEVELOPMENT,
    Lifecycle.OPERATING,
    Lifecycle.RETIRED,
]
DATE_FIELDS = [
    "declared_on",
    "go_live_on",
    "retired_on",
    "submitted_on",
    "appraised_on",
    "returned_on",
    "decision_date",
    "deployed_full_on",
    "last_inspection_on",
]
DECISION_FIELDS = ["decision_number", "decision_date", "decision_authority", "approved_level"]
STATUSES_AFTER_SUBMISSION = {
    DossierStatus.SUBMITTED,
    DossierStatus.APPRAISED,
    DossierStatus.APPROVED,
    DossierStatus.RETURNED,
}


def normalize_code(value):
    """The one spelling of a code: 'p38‐it-00001 ' and 'P38-IT-00001' are the same system.

    Full-width letters and Unicode dashes fold to ASCII, case to upper; a control or
    invisible character is refused (registry/text.py), never dropped."""
    text = unicodedata.normalize("NFKC", clean_text(value or ""))
    return text.translate(_DASHES).upper()


def validate_code(code):
    """ValidationError unless `code` (already normalised) is made of the allowed characters."""
    if not re.fullmatch(CODE_PATTERN, code):
        raise ValidationError(
            _(
                "A code may only contain the characters %(allowed)s, and starts and ends with a "
                "letter or digit."
            )
            % {"allowed": CODE_CHARACTERS},
            code="invalid_code",
        )


def validate_unit_parent(unit_path, parent_path):
    """ValidationError if the unit stored at `unit_path` would sit under itself.

    Paths are read from the database by the caller: an in-memory unit may carry a stale one
    (a past version, a form), and a cycle would make every path endless."""
    if unit_path and parent_path and parent_path.startswith(unit_path):
        raise ValidationError(
            {"parent": _("A unit cannot be placed under itself or one of its subordinate units.")},
            code="unit_cycle",
        )


def validate_system(system, previous=None, today=None):
    """Raise ValidationError unless `system` is valid, and a valid change from `previous`."""
    errors = _Errors()
    today = today or timezone.localdate()
    _check_levels(system, errors)
    _check_dates(system, today, errors)
    _check_lifecycle(system, errors)
    _check_dossier(system, errors)
    _check_decision(system, errors)
    _check_deployment(system, errors)
    if previous is not None:
        _check_transition(previous, system, errors)
    errors.raise_if_any()


class _Errors:
    def __init__(self):
        self.by_field = {}

    def add(self, field, message):
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_levels(system, errors):
    for field in ("proposed_level", "approved_level"):
        level = getattr(system, field)
        if level is not None and level not in range(1, 6):
            errors.add(field, _("The level must be between 1 and 5."))


def _check_dates(system, today, errors):
    for field in DATE_FIELDS:
        value = getattr(system, field)
        if value is not None and value > today:
            errors.add(field, _("This date is in the future."))
    if system.retired_on and system.declared_on and system.retired_on < system.declared_on:
        errors.add("retired_on", _("A system cannot be retired before it was declared."))


def _check_lifecycle(system, errors):
    retired = system.lifecycle == Lifecycle.RETIRED
    if retired and not system.retired_on:
        errors.add("retired_on", _("A retired system needs its retirement date."))
    if not retired and system.retired_on:
        errors.add("retired_on", _("Only a retired system has a retirement date."))


def _check_dossier(system, errors):
    status = system.dossier_status
    if status in STATUSES_AFTER_SUBMISSION:
        if not system.proposed_level:
            errors.add("proposed_level", _("A dossier sent for appraisal needs a proposed level."))
        if not system.submitted_on:
            errors.add("submitted_on", _("A dossier sent for appraisal needs its submission date."))
    _check_step_date(system, errors, DossierStatus.APPRAISED, "appraised_on")
    _check_step_date(system, errors, DossierStatus.RETURNED, "returned_on")


def _check_step_date(system, errors, status, field):
    value = getattr(system, field)
    if system.dossier_status == status and not value:
        errors.add(field, _("This status needs its date."))
    if value and system.submitted_on and value < system.submitted_on:
        errors.add(field, _("This date is before the dossier was sent for appraisal."))


def _check_decision(system, errors):
    if system.dossier_status != DossierStatus.APPROVED:
        for field in DECISION_FIELDS:
            if getattr(system, field):
                errors.add(field, _("Only an approved dossier has an approval decision."))
        return
    if not system.decision_number:
        errors.add("decision_number", _("An approval needs the decision number."))
    if not system.decision_date:
        errors.add("decision_date", _("An approval needs the decision date."))
    elif system.submitted_on and system.decision_date < system.submitted_on:
        errors.add(
            "decision_date", _("The decision cannot be dated before the dossier was submitted.")
        )
    if not system.approved_level:
        errors.add("approved_level", _("An approval needs the approved level."))
        return
    expected = APPROVER_BY_LEVEL[system.approved_level]
    if system.decision_authority != expected:
        errors.add(
            "decision_authority",
            _("A level %(level)s system is approved by: %(authority)s.")
            % {"level": system.approved_level, "authority": Authority(expected).label},
        )


def _check_deployment(system, errors):
    full = system.deployment == Deployment.FULL
    if full and system.dossier_status != DossierStatus.APPROVED:
        errors.add(
            "deployment",
            _("A protection plan can only be fully deployed once the dossier is approved."),
        )
    if full and not system.deployed_full_on:
        errors.add("deployed_full_on", _("Full deployment needs the date it was completed."))
    if not full and system.deployed_full_on:
        errors.add("deployed_full_on", _("Only a fully deployed plan has a completion date."))
    decided = system.decision_date
    if full and system.deployed_full_on and decided and system.deployed_full_on < decided:
        errors.add("deployed_full_on", _("The plan cannot be fully deployed before its approval."))


def _check_transition(previous, system, errors):
    old, new = previous.dossier_status, system.dossier_status
    if old != new and new not in NEXT_STATUSES[DossierStatus(old)]:
        errors.add(
            "dossier_status",
            _("A dossier cannot go from “%(old)s” to “%(new)s”.")
            % {"old": DossierStatus(old).label, "new": DossierStatus(new).label},
        )
    if LIFECYCLE_ORDER.index(system.lifecycle) < LIFECYCLE_ORDER.index(previous.lifecycle):
        errors.add(
            "lifecycle",
            _("A system cannot go back from “%(old)s” to “%(new)s”.")
            % {
                "old": Lifecycle(previous.lifecycle).label,
                "new": Lifecycle(system.lifecycle).label,
            },
        )
