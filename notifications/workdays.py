"""Working days in Viet Nam: no Saturdays, Sundays or public holidays (Tết included).

Holidays come from the maintained `holidays` package (its "VN" calendar,
including the substitute days off the government announces), so no table of
dates is kept here.
"""

import datetime
from functools import lru_cache

import holidays

ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _holidays(year):
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start, count):
    """The `count`-th working day after `start` (count >= 0; 0 gives start itself)."""
    day = start
    while count > 0:
        day += ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def subtract_working_days(end, count):
    """The `count`-th working day before `end`."""
    day = end
    while count > 0:
        day -= ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def add_days(start, count, working):
    """A time limit of `count` days (or working days) running from `start`."""
    if working:
        return add_working_days(start, count)
    return start + datetime.timedelta(days=count)
