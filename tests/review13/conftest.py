"""Small structures for the review of issue 13: the provinces of tests/reorganisation (A with
3 systems, one in its department A-IT; B with 2; C with 1) and a helper for any change."""

import datetime

from registry.reorganisation import changes
from tests.reorganisation.test_changes import later, merge, provinces, today  # noqa: F401


def days_ago(days):
    return today() - datetime.timedelta(days=days)


def record(kind, unit, day, **extra):
    spec = changes.ChangeSpec(
        kind=kind, unit=unit, effective_on=day, legal_basis="Nghị quyết thử", **extra
    )
    return changes.record_change(spec)
