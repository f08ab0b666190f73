"""The counts of systems due for inspection (the national and unit pages) agree with the list
of systems due (the digest, the unit page's list): one rule, counted in Python from grouped
rows and filtered in SQL. Generated cases: levels 1-5, never inspected or inspected on dates
around month ends and the intervals' edges, asked on dates that include month ends."""

import datetime
import random

import pytest

from compliance.selectors import inspected_before_due, months_before, systems_as_of
from registry.inspections import rules, selectors
from tests.factories import SystemFactory
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db
D = datetime.date
ASKED = [D(2025, 2, 28), D(2025, 3, 31), D(2025, 8, 31), D(2025, 12, 1), D(2026, 2, 28)]


def _edge_dates(rng):
    """Days near the month ends and the 6- and 12-month edges of the dates asked."""
    days = []
    for asked in ASKED:
        for months in (6, 12):
            edge = months_before(asked, months)
            days += [edge + datetime.timedelta(days=delta) for delta in (-31, -1, 0, 1, 29)]
    return rng.sample(days, 40)


def test_the_counts_of_systems_due_agree_with_the_list_of_systems_due():
    rng = random.Random(17)
    for day in _edge_dates(rng):
        system = SystemFactory(approved=True, proposed_level=rng.randint(1, 5))
        InspectionFactory(system=system, inspected_on=day)
    for _ in range(8):  # never inspected
        SystemFactory(approved=True, proposed_level=rng.randint(1, 5))
    for asked in ASKED:
        systems = systems_as_of(asked)
        overdue = selectors.systems_due(systems, asked, asked - datetime.timedelta(days=1))
        due_by_horizon = selectors.systems_due(systems, asked)
        expected = {
            "overdue": overdue.count(),
            "due_soon": due_by_horizon.count() - overdue.count(),
        }
        assert selectors.due_counts(systems, asked) == expected, asked
        assert expected["overdue"] > 0


def test_what_is_counted_due_is_what_the_due_date_shown_says_on_every_day():
    """The cutoff of the counts and lists against the due date the pages show (next_due), on
    every day of 2025-2026 at 6 and 12 months: an inspection on the cutoff falls due by then,
    one a day later falls due after (next_due never goes back, so no later one does)."""
    start, days = D(2024, 1, 1), 731
    for months in (6, 12):
        for by_offset in range(365, 365 + days):
            by_date = start + datetime.timedelta(days=by_offset)
            cutoff = inspected_before_due(by_date, months)
            assert rules.add_months(cutoff, months) <= by_date, (by_date, months)
            after = cutoff + datetime.timedelta(days=1)
            assert rules.add_months(after, months) > by_date, (by_date, months)


def test_a_level_5_system_inspected_on_31_august_is_overdue_from_1_march():
    system = SystemFactory(approved=True, proposed_level=5)
    InspectionFactory(system=system, inspected_on=D(2025, 8, 31))
    assert rules.next_due(5, D(2025, 8, 31)) == D(2026, 2, 28)  # the date the page shows
    counts = selectors.due_counts(systems_as_of(D(2026, 3, 1)), D(2026, 3, 1))
    assert counts["overdue"] == 1
    listed = selectors.systems_due(systems_as_of(D(2026, 2, 28)), D(2026, 2, 28), D(2026, 2, 28))
    assert list(listed) == [system]  # due on the day itself
