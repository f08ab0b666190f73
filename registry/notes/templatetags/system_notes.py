from django import template

from registry import scope
from registry.notes.forms import NoteForm
from registry.notes.selectors import notes_of

register = template.Library()


@register.inclusion_tag("notes/_notes.html", takes_context=True)
def system_notes(context, system):
    """The system page's notes section: its notes, and the form for those who may write."""
    user = context["request"].user
    may_write = scope.editable_systems(user).filter(pk=system.pk).exists()
    return {
        "system": system,
        "notes": notes_of(system),
        "form": NoteForm() if may_write else None,
        "csrf_token": context.get("csrf_token"),
    }
