from registry.notes.models import SystemNote


def notes_of(system):
    """The system's notes, newest date first, with their authors: one query."""
    return SystemNote.objects.filter(system=system).select_related("author")
