"""Systems whose proposed level, or level in force, is below what the criteria give."""

from django.db.models import F, Q

from compliance.selectors import level_as_of, systems_as_of
from registry.levels.rules import suggested_level_expression


def below_suggestion(systems, as_of):
    """Of `systems` on the registry on `as_of`: those with a proposed level or a level in force
    below the suggested one, the widest gap first. Each carries `suggested` and `level_then`."""
    on_registry = systems.filter(pk__in=systems_as_of(as_of).values("pk"))
    annotated = on_registry.annotate(
        suggested=suggested_level_expression(), level_then=level_as_of(as_of)
    )
    below = Q(proposed_level__lt=F("suggested")) | Q(level_then__lt=F("suggested"))
    return annotated.filter(below).order_by(
        (F("suggested") - F("level_then")).desc(nulls_last=True), "code"
    )
