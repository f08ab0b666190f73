"""Reads of the re-determination rounds: who may see which, and the decision in force."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from registry import scope
from registry.choices import DossierStatus
from registry.dossiers.models import DossierRound


def visible_rounds(user):
    return DossierRound.objects.filter(system__in=scope.visible_systems(user))


def editable_rounds(user):
    return DossierRound.objects.filter(system__in=scope.editable_systems(user))


def rounds_of(system):
    return list(system.dossier_rounds.select_related("started_by").order_by("number"))


def open_round(system):
    return system.dossier_rounds.exclude(dossier_status=DossierStatus.APPROVED).first()


def in_force_since(system, rounds=None):
    """The date of the decision in force: the latest decided round's, else the system's."""
    rounds = rounds_of(system) if rounds is None else rounds
    decided = [r.decision_date for r in rounds if r.decision_date]
    return max(decided, default=system.decision_date)


def current_level(system, rounds=None):
    """The level that counts today: the latest decided round's, else the system's own."""
    rounds = rounds_of(system) if rounds is None else rounds
    decided = [r for r in rounds if r.decision_date]
    if decided:
        return max(decided, key=lambda r: (r.decision_date, r.number)).approved_level
    return system.level


@dataclass(frozen=True)
class Decision:
    number: str
    date: datetime.date
    authority: str
    level: int
    round: int  # 1: the system's own dossier


def decisions_in_force(systems, as_of):
    """{system id: Decision} of the approval in force on `as_of` for each of `systems` (a
    list of loaded systems): its latest re-determination decided by then, else its own
    approval if decided by then. One query, for lists such as the annual report's."""
    rounds = DossierRound.objects.filter(
        system__in=[system.pk for system in systems], decision_date__lte=as_of
    ).order_by("system_id", "decision_date", "number")
    latest = {r.system_id: r for r in rounds}  # the last one per system wins
    decisions = {}
    for system in systems:
        source, number = latest.get(system.pk), None
        if source is not None:
            number = source.number
        elif system.decision_date and system.decision_date <= as_of:
            source, number = system, 1
        if source is not None:
            decisions[system.pk] = Decision(
                source.decision_number,
                source.decision_date,
                source.decision_authority,
                source.approved_level,
                number,
            )
    return decisions


def time_limit(dossier_round):
    """(stage, deadline) of a round waiting on its appraisal or approval, by the same time
    limits as a first dossier (notifications.DossierTimeLimit); None when it waits on nobody."""
    from notifications.models import DossierTimeLimit
    from notifications.planner import STAGE_OF_STATUS, dossier_deadline

    if dossier_round is None or dossier_round.dossier_status not in STAGE_OF_STATUS:
        return None
    stage, start_field, _authorities = STAGE_OF_STATUS[dossier_round.dossier_status]
    start = getattr(dossier_round, start_field)
    limit = DossierTimeLimit.objects.filter(stage=stage, level=dossier_round.proposed_level).first()
    if limit is None or start is None:
        return None
    return limit, dossier_deadline(start, limit)


def system_context(system):
    """What the system page shows of its rounds (templates: dossiers/_rounds.html)."""
    rounds = rounds_of(system)
    open_round = next((r for r in rounds if r.is_open), None)
    return {
        "rounds": rounds,
        "open_round": open_round,
        "open_round_limit": time_limit(open_round),
        "level_in_force": current_level(system, rounds),
    }


def rounds_history(rounds, viewer):
    """The change history of each round, each entry named for its round (newest first)."""
    from compliance.history import change_history

    entries = []
    for dossier_round in rounds:
        for entry in change_history(dossier_round, viewer):
            entry.action = _("round %(number)s: %(action)s") % {
                "number": dossier_round.number,
                "action": entry.action,
            }
            entries.append(entry)
    return entries
