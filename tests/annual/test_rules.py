import datetime

import pytest
from django.core.exceptions import ValidationError

from compliance.annual import rules
from compliance.annual.rules import Action, FilingStatus

D = datetime.date


def test_the_data_period_runs_from_15_12_to_14_12():
    assert rules.period_start(2024) == D(2023, 12, 15)
    assert rules.report_as_of(2024) == D(2024, 12, 14)


@pytest.mark.parametrize(
    ("action", "current", "expected"),
    [
        (Action.PREPARE, FilingStatus.NOT_STARTED, FilingStatus.PREPARED),
        (Action.PREPARE, FilingStatus.PREPARED, FilingStatus.PREPARED),
        (Action.PREPARE, FilingStatus.RETURNED, FilingStatus.PREPARED),
        (Action.SUBMIT, FilingStatus.PREPARED, FilingStatus.SUBMITTED),
        (Action.RECEIVE, FilingStatus.SUBMITTED, FilingStatus.RECEIVED),
        (Action.RETURN, FilingStatus.SUBMITTED, FilingStatus.RETURNED),
    ],
)
def test_allowed_moves(action, current, expected):
    assert rules.next_status(action, current) == expected


@pytest.mark.parametrize(
    ("action", "current"),
    [
        (Action.PREPARE, FilingStatus.SUBMITTED),  # frozen once submitted
        (Action.PREPARE, FilingStatus.RECEIVED),
        (Action.SUBMIT, FilingStatus.NOT_STARTED),
        (Action.SUBMIT, FilingStatus.SUBMITTED),
        (Action.SUBMIT, FilingStatus.RETURNED),  # prepared again first
        (Action.RECEIVE, FilingStatus.PREPARED),
        (Action.RECEIVE, FilingStatus.RETURNED),
        (Action.RETURN, FilingStatus.RECEIVED),
    ],
)
def test_refused_moves(action, current):
    with pytest.raises(ValidationError):
        rules.next_status(action, current)


def test_submitting_waits_for_the_end_of_the_data_period():
    with pytest.raises(ValidationError, match="15/12/2024"):
        rules.check_submittable(2024, D(2024, 12, 14), D(2024, 12, 14))
    rules.check_submittable(2024, D(2024, 12, 15), D(2024, 12, 15))


def test_a_draft_prepared_before_the_end_of_the_period_is_prepared_again_first():
    with pytest.raises(ValidationError, match="prepare it again|lập lại"):
        rules.check_submittable(2024, D(2024, 12, 20), D(2024, 12, 14))


def test_no_report_for_a_year_to_come():
    with pytest.raises(ValidationError):
        rules.check_year_open(2027, D(2026, 11, 29))
    rules.check_year_open(2026, D(2026, 11, 29))


def test_late_when_not_filed_after_the_due_date():
    due = D(2024, 12, 25)
    assert rules.shown_status(None, D(2024, 12, 25), due) == FilingStatus.NOT_STARTED
    assert rules.shown_status(None, D(2024, 12, 26), due) == FilingStatus.LATE
    assert rules.shown_status("returned", D(2024, 12, 26), due) == FilingStatus.LATE
    assert rules.shown_status("submitted", D(2025, 1, 5), due) == FilingStatus.SUBMITTED
    assert rules.filed_late(D(2024, 12, 26), due) and not rules.filed_late(D(2024, 12, 25), due)


@pytest.mark.parametrize("reason", ["", "   ", "x" * (rules.RETURN_REASON_MAX + 1)])
def test_a_return_needs_a_reason_of_sensible_length(reason):
    with pytest.raises(ValidationError):
        rules.clean_return_reason(reason)
