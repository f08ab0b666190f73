"""Argument types shared by the management commands."""

import datetime

from django.core.management.base import CommandError


def iso_date(value):
    """An argparse type: YYYY-MM-DD, or a clear error."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error


def unit_on(code, as_of):
    """The unit with this code, with figures of its own on `as_of`; else a clear error (a
    unit merged by then has none: its successor has them)."""
    from registry.models import Unit
    from registry.reorganisation.structure import Structure

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"Unknown unit code: {code}")
    absence = Structure.load(as_of).absence(unit.pk)
    if absence:
        raise CommandError(absence)
    return unit


def fit_words(text, width):
    """text in at most `width` characters, cut at a word boundary and ended with "…".

    A table column cut mid-word ("(no sy") reads as a different name; only a single word
    longer than the column is cut inside."""
    if len(text) <= width:
        return text
    space = text.rfind(" ", 0, width)  # the kept words and "…" take at most `width`
    head = text[:space] if space > 0 else text[: width - 1]
    return head.rstrip(" ,;:-–—(") + "…"
