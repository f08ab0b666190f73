"""Writing a note from the system page: a thin view over the scoped loader and the action."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from registry import scope
from registry.notes.actions import add_note
from registry.notes.forms import NoteForm


@login_required
def new_note(request, pk):
    # Out of scope: 404; in scope but read-only (viewer, manager): 403, GET or POST.
    system = scope.get_system_for_user(request.user, pk, write=True)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_note(
                system,
                form.cleaned_data["text"],
                form.cleaned_data["noted_on"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field, message)
        else:
            return redirect(reverse("compliance:system", args=[system.pk]) + "#notes")
    return render(request, "notes/new_note.html", {"system": system, "form": form})
