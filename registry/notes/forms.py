from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.date_input import DayFirstDateInput
from registry.notes.models import TEXT_MAX


class NoteForm(forms.Form):
    """The fields; the rules are registry/notes/rules.py's, run by the action."""

    noted_on = forms.DateField(label=_("Date"), widget=DayFirstDateInput())
    text = forms.CharField(
        label=_("Note"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,  # registry/text.py cleans it, once, in the rules
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["noted_on"].initial = timezone.localdate()
