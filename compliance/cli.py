"""Argument types shared by the management commands."""

import datetime

from django.core.management.base import CommandError


def iso_date(value):
    """An argparse type: YYYY-MM-DD, or a clear error."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error


def fit_words(text, width):
    """text in at most `width` characters, cut at a word boundary and ended with "…".

    A table column cut mid-word ("(no sy") reads as a different name; only a single word
    longer than the column is cut inside."""
    if len(text) <= width:
        return text
    space = text.rfind(" ", 0, width)  # the kept words and "…" take at most `width`
    head = text[:space] if space > 0 else text[: width - 1]
    return head.rstrip(" ,;:-–—(") + "…"
