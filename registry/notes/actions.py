"""Adding a note: the one write of this area."""

from django.db import transaction
from django.utils import timezone

from registry.audit.actions import record
from registry.notes.models import SystemNote
from registry.notes.rules import validate_note


@transaction.atomic
def add_note(system, text, noted_on, *, actor, request=None):
    """A note on `system` (loaded in scope for writing), recorded in its history and the
    audit trail; ValidationError (keyed by field) and nothing written when it breaks a rule."""
    text, noted_on = validate_note(text, noted_on, today=timezone.localdate())
    note = SystemNote(system=system, text=text, noted_on=noted_on, author=actor)
    note._history_user = actor  # simple-history keeps who
    note.save()
    record(
        "system.note_added",
        actor=actor,
        unit=system.owner,
        target=system,
        data={"note": note.pk, "noted_on": noted_on.isoformat()},
        request=request,
    )
    return note
