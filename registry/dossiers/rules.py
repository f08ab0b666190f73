"""What a re-determination round may say and how it may change (Decree 85/2016 Art. 18).

A round is a dossier like the first: the same statuses, the same appraising and approving
authorities per level, the same step dates; registry/transitions.py checks it, on a copy of
the system carrying the round's dossier. What is particular to a round is checked here: only
an approved system is re-determined, one round at a time, and a round comes after the
decision it would replace.
"""

import copy

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import transitions
from registry.choices import Deployment, DossierStatus

# The fields of a system's dossier that a round carries (its own step dates and decision).
ROUND_FIELDS = (
    "proposed_level",
    "dossier_status",
    "submitted_on",
    "appraised_on",
    "returned_on",
    "decision_number",
    "decision_date",
    "decision_authority",
    "approved_level",
)


def validate_start(system, open_round):
    """ValidationError unless `system` may start a new round now."""
    if system.dossier_status != DossierStatus.APPROVED or not system.decision_date:
        raise ValidationError(
            {"system": _("Only a system with an approved level can have its level re-determined.")}
        )
    if open_round is not None:
        raise ValidationError(
            {
                "system": _(
                    "Round %(number)s of this system is still in progress: it needs its "
                    "decision before another round starts."
                )
                % {"number": open_round.number}
            }
        )


def validate_round(dossier_round, system, in_force_since, previous=None, today=None):
    """ValidationError by field unless the round is valid, and a valid change from `previous`.

    `in_force_since`: the date of the decision the round would replace."""
    errors = {}
    try:
        transitions.validate_system(
            _as_system(dossier_round, system),
            _as_system(previous, system) if previous is not None else None,
            today=today,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            key = field if field in ROUND_FIELDS else NON_FIELD_ERRORS
            errors.setdefault(key, []).extend(messages)
    _check_order(dossier_round, in_force_since, errors, today)
    if errors:
        raise ValidationError(errors)


def _check_order(dossier_round, in_force_since, errors, today):
    started = dossier_round.started_on
    if started and in_force_since and started < in_force_since:
        errors.setdefault("started_on", []).append(
            _("A re-determination starts after the decision it would replace.")
        )
    for field in ("submitted_on", "decision_date"):
        value = getattr(dossier_round, field)
        if value and started and value < started:
            errors.setdefault(field, []).append(_("This date is before the round started."))
    if started and started > (today or timezone.localdate()):
        errors.setdefault("started_on", []).append(_("This date is in the future."))


def _as_system(dossier_round, system):
    """A copy of the system carrying the round's dossier, for the first round's rules.

    The protection plan of the new level is not deployed by the round: its deployment stays
    with the system, so the copy has none."""
    proxy = copy.copy(system)
    for field in ROUND_FIELDS:
        setattr(proxy, field, getattr(dossier_round, field))
    proxy.deployment, proxy.deployed_full_on = Deployment.NOT_STARTED, None
    return proxy
