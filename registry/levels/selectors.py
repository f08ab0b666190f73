"""Systems whose proposed level, or level in force, is below what the criteria give."""

from django.db.models import F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from compliance.selectors import level_as_of, systems_as_of
from registry.dossiers.models import DossierRound
from registry.levels.rules import suggested_level_expression


def latest_proposed_level():
    """The level proposed by the system's latest dossier: its last re-determination round's
    (registry/dossiers), else its own."""
    rounds = DossierRound.objects.filter(system=OuterRef("pk")).order_by("-number")
    latest = Subquery(rounds.values("proposed_level")[:1], output_field=IntegerField())
    return Coalesce(latest, F("proposed_level"), output_field=IntegerField())


def below_suggestion(systems, as_of):
    """Of `systems` on the registry on `as_of`: those whose latest proposed level or level in
    force is below the suggested one, the widest gap first. Each carries `suggested`,
    `proposed_then` and `level_then`."""
    on_registry = systems.filter(pk__in=systems_as_of(as_of).values("pk"))
    annotated = on_registry.annotate(
        suggested=suggested_level_expression(),
        proposed_then=latest_proposed_level(),
        level_then=level_as_of(as_of),
    )
    below = Q(proposed_then__lt=F("suggested")) | Q(level_then__lt=F("suggested"))
    return annotated.filter(below).order_by(
        (F("suggested") - F("level_then")).desc(nulls_last=True), "code"
    )
