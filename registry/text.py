"""One cleaning step for every piece of text that enters the registry.

Forms, the admin, the import and the request guard (compliance/middleware.py)
all call it, so text is compared and stored in one form: NFC, trimmed, and
free of characters a person cannot see. A NUL byte cannot be stored by
PostgreSQL at all, a CR/LF in a one-line field breaks e-mail headers and CSV
files, and zero-width or bidi characters make two codes look identical while
differing: each is refused with a message naming the character, never
silently dropped.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# Control (Cc), format (Cf: zero-width, BOM, bidi overrides, soft hyphen), surrogate (Cs),
# line and paragraph separators (Zl, Zp).
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
# What a multi-line field (a textarea) may contain beyond one-line text.
_MULTILINE_ALLOWED = {"\n", "\r", "\t"}


def forbidden_character(value, *, multiline=False):
    """The first character `value` may not contain, or None."""
    # Every forbidden character is non-printable, so printable text (nearly all of it) is
    # cleared in one C-speed pass; only the rest is looked at character by character.
    if value.isprintable():
        return None
    for char in value:
        if multiline and char in _MULTILINE_ALLOWED:
            continue
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            return char
    return None


def describe(char):
    """'U+200B' and, where Unicode names it, its name: for messages people can act on."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def clean_text(value, *, multiline=False):
    """`value` NFC-normalised and trimmed; ValidationError if it holds a forbidden character."""
    if value is None:
        return value
    text = unicodedata.normalize("NFC", str(value))
    if multiline:
        text = text.replace("\r\n", "\n")
    char = forbidden_character(text, multiline=multiline)
    if char is not None:
        raise ValidationError(
            _("This text contains an invisible or control character (%(char)s); remove it.")
            % {"char": describe(char)},
            code="forbidden_character",
        )
    return text.strip()


def clean_text_fields(instance):
    """Clean every text field of a model instance in place; ValidationError keyed by field."""
    errors = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if not isinstance(field, models.CharField | models.TextField) or not isinstance(value, str):
            continue
        try:
            multiline = isinstance(field, models.TextField)
            setattr(instance, field.attname, clean_text(value, multiline=multiline))
        except ValidationError as error:
            errors[field.name] = error.error_list
    if errors:
        raise ValidationError(errors)
