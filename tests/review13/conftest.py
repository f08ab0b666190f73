"""Small structures for the review of issue 13: the provinces of tests/reorganisation (A with
3 systems, one in its department A-IT; B with 2; C with 1) and a helper for any change."""

from registry.reorganisation import changes
from tests.reorganisation.test_changes import LATER, TODAY, merge, provinces  # noqa: F401


def record(kind, unit, day, **extra):
    spec = changes.ChangeSpec(
        kind=kind, unit=unit, effective_on=day, legal_basis="Nghị quyết thử", **extra
    )
    return changes.record_change(spec)
