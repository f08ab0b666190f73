"""Argument types shared by the management commands."""

import datetime

from django.core.management.base import CommandError


def iso_date(value):
    """An argparse type: YYYY-MM-DD, or a clear error."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error
