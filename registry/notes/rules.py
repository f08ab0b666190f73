"""What a note must be: pure checks, errors keyed by field (like registry/transitions.py)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from compliance.filters import EARLIEST_AS_OF  # Law 86/2015 in force: no note is older
from registry.notes.models import TEXT_MAX
from registry.text import clean_text


def validate_note(text, noted_on, *, today):
    """(the cleaned text, the date), or ValidationError keyed by field."""
    errors = {}
    try:
        text = clean_text(text or "", multiline=True)
    except ValidationError as error:
        errors["text"] = error.messages
    else:
        if not text:
            errors["text"] = _("Write the note.")
        elif len(text) > TEXT_MAX:
            errors["text"] = _("A note holds at most %(max)s characters.") % {"max": TEXT_MAX}
    if noted_on is None:
        errors["noted_on"] = _("Give the date the note is about.")
    elif not EARLIEST_AS_OF <= noted_on <= today:
        errors["noted_on"] = _("Choose a date between 01/07/2015 and today.")
    if errors:
        raise ValidationError(errors)
    return text, noted_on
