"""Changes recorded out of date order can make a structure whose systems count nowhere."""

import contextlib
import datetime

import pytest
from django.core.exceptions import ValidationError

from compliance.selectors import compliance_summary
from registry.reorganisation.models import ChangeKind

from .conftest import later, merge, record


def after_both():
    return later() + datetime.timedelta(days=5)


def test_two_mergers_into_each_other_never_drop_systems(provinces):
    """B is merged into A on a later date, then A into B on an earlier one: validation looks
    only at the new change's own date, so both are accepted, and from the second date each
    unit's successor is the other: a cycle, and `placement` returns None for both."""
    a, b = provinces["A"], provinces["B"]
    merge(b, a, after_both())
    with contextlib.suppress(ValidationError):  # refusing the second merger is a fix
        merge(a, b, later())
    assert compliance_summary(after_both()).national.total == 6


def test_two_moves_under_each_other_never_drop_systems(provinces):
    """B moves under A later, then A under B earlier: from the later date each reports to
    the other, neither is a reporting unit, and their systems vanish from the country."""
    a, b = provinces["A"], provinces["B"]
    record(ChangeKind.MOVE, b, after_both(), new_parent=a)
    with contextlib.suppress(ValidationError):
        record(ChangeKind.MOVE, a, later(), new_parent=b)
    assert compliance_summary(after_both()).national.total == 6


def test_a_split_cannot_hand_functions_to_itself_or_to_a_unit_that_has_ended(provinces):
    """The other receiving units of a split are not validated at all: the split unit itself,
    or a unit merged away before the date, are accepted, and the reassign page then offers
    them as owners of the split unit's systems."""
    from registry.reorganisation import changes

    a, b, c = provinces["A"], provinces["B"], provinces["C"]
    merge(c, b, later())
    spec = changes.ChangeSpec(
        kind=ChangeKind.SPLIT,
        unit=a,
        successor=b,
        other_successors=[a, c],
        effective_on=after_both(),
        legal_basis="NQ",
    )
    with pytest.raises(ValidationError):
        changes.validate(spec)


def test_the_daily_application_is_not_stopped_by_one_change(provinces):
    """With the two moves above recorded, applying the later one moves B under A, which by
    then is under B: Unit.save refuses it, `apply_due_changes` raises, and every change due
    after it (here C's rename) is never applied — each day, the daily task fails again."""
    from registry.reorganisation import changes

    a, b, c = provinces["A"], provinces["B"], provinces["C"]
    record(ChangeKind.MOVE, b, after_both(), new_parent=a)
    try:
        record(ChangeKind.MOVE, a, later(), new_parent=b)
    except ValidationError:
        return  # refusing the second move is a fix
    record(
        ChangeKind.RENAME,
        c,
        after_both() + datetime.timedelta(days=1),
        new_name="Tỉnh C mới",
    )
    changes.apply_due_changes(after_both() + datetime.timedelta(days=1))
    c.refresh_from_db()
    assert c.name == "Tỉnh C mới"
