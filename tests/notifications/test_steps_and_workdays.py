import datetime

import pytest

from notifications.models import DeadlineCampaign, parse_days, validate_reminder_days
from notifications.steps import current_step, steps_until
from notifications.workdays import add_days, add_working_days, is_working_day

D = datetime.date
DUE = D(2024, 9, 30)


def campaign(**fields):
    values = {"due_date": DUE, "requirement": "approval", "reminder_days": "30,14,7,1"}
    return DeadlineCampaign(**{**values, **fields})


def offsets(as_of, **fields):
    return [step.offset for step in steps_until(campaign(**fields), as_of)]


def test_default_steps_before_and_while_overdue():
    assert offsets(D(2024, 8, 30)) == []
    assert offsets(D(2024, 8, 31)) == [-30]
    assert offsets(D(2024, 9, 23)) == [-30, -14, -7]
    assert offsets(D(2024, 9, 30)) == [-30, -14, -7, -1]
    assert offsets(D(2024, 10, 7)) == [-30, -14, -7, -1, 7]
    assert offsets(D(2024, 10, 20)) == [-30, -14, -7, -1, 7, 14]


def test_each_step_is_valid_until_the_next_one():
    steps = steps_until(campaign(), D(2024, 10, 8))
    assert [(s.date, s.valid_until) for s in steps] == [
        (D(2024, 8, 31), D(2024, 9, 16)),
        (D(2024, 9, 16), D(2024, 9, 23)),
        (D(2024, 9, 23), D(2024, 9, 29)),
        (D(2024, 9, 29), D(2024, 10, 7)),
        (D(2024, 10, 7), D(2024, 10, 14)),
    ]
    assert current_step(steps).offset == 7 and current_step(steps).overdue


def test_custom_steps_and_interval():
    assert offsets(D(2024, 10, 15), reminder_days="3", overdue_interval_days=5) == [-3, 5, 10, 15]


def test_annual_report_reminds_after_its_due_date_too():
    # Until the report is filed: the planner leaves out the units that filed.
    late = steps_until(campaign(requirement="annual_report"), D(2024, 10, 14))
    assert [step.offset for step in late] == [-30, -14, -7, -1, 7, 14]
    assert late[-1].valid_until == DUE + datetime.timedelta(days=21)


def test_reminder_days_are_validated():
    assert parse_days("7, 30,14") == [30, 14, 7]
    for bad in ("a", "0", "-3", "7;14"):
        with pytest.raises(Exception):  # noqa: B017 - ValidationError from the validator
            validate_reminder_days(bad)


def test_working_days_skip_weekends_and_vietnamese_holidays():
    assert not is_working_day(D(2024, 9, 2))  # National Day
    assert not is_working_day(D(2024, 9, 3))
    assert not is_working_day(D(2024, 2, 12))  # Tết
    assert not is_working_day(D(2024, 9, 7))  # Saturday
    assert is_working_day(D(2024, 9, 4))
    # Received Friday 30/08/2024: the 7 working days skip the weekend and 2-3/9.
    assert add_working_days(D(2024, 8, 30), 7) == D(2024, 9, 12)
    # Received just before Tết 2024 (8-14/02): the limit runs into the week after.
    assert add_working_days(D(2024, 2, 7), 7) == D(2024, 2, 23)
    assert add_days(D(2024, 8, 30), 15, working=False) == D(2024, 9, 14)
