"""Starting and moving re-determination rounds: atomic, validated by rules.py, audited."""

from django.db import transaction
from django.db.models import Max

from registry.audit.actions import record
from registry.choices import DossierStatus
from registry.dossiers import rules, selectors
from registry.dossiers.models import DossierRound
from registry.models import InformationSystem


@transaction.atomic
def start_round(dossier_round, *, actor, request=None, today=None):
    """Open a new round for an approved system (loaded in scope by the caller)."""
    system = InformationSystem.objects.select_for_update().get(pk=dossier_round.system_id)
    rules.validate_start(system, selectors.open_round(system))
    dossier_round.dossier_status = DossierStatus.DRAFTING
    rules.validate_round(dossier_round, system, selectors.in_force_since(system), today=today)
    last = system.dossier_rounds.aggregate(last=Max("number"))["last"]
    dossier_round.number = (last or 1) + 1  # the system's own dossier is round 1
    dossier_round.started_by = actor
    dossier_round._history_user = actor
    dossier_round.save()
    _audit("dossier.round_started", dossier_round, system, actor, request)
    return dossier_round


@transaction.atomic
def change_round(dossier_round, *, actor, request=None, today=None):
    """Save a round's next step (sent, appraised, returned, decided)."""
    system = InformationSystem.objects.select_for_update().get(pk=dossier_round.system_id)
    previous = DossierRound.objects.select_for_update().get(pk=dossier_round.pk)
    others = [r for r in selectors.rounds_of(system) if r.pk != dossier_round.pk]
    rules.validate_round(
        dossier_round, system, selectors.in_force_since(system, others), previous, today
    )
    dossier_round._history_user = actor
    dossier_round.save()
    decided = (
        dossier_round.dossier_status == DossierStatus.APPROVED
        and previous.dossier_status != DossierStatus.APPROVED
    )
    _audit(
        "dossier.round_decided" if decided else "dossier.round_changed",
        dossier_round,
        system,
        actor,
        request,
    )
    return dossier_round


def _audit(action, dossier_round, system, actor, request):
    record(
        action,
        actor=actor,
        unit=system.owner,
        target=dossier_round,
        request=request,
        data={
            "system": system.code,
            "round": dossier_round.number,
            "status": dossier_round.dossier_status,
            "proposed_level": dossier_round.proposed_level,
            "approved_level": dossier_round.approved_level,
        },
    )
