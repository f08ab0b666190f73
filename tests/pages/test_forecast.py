import datetime

from compliance.deadlines import APPROVAL, DEPLOYMENT, Deadline
from compliance.forecast import Outlook, deadline_for, forecast
from compliance.trends import TrendPoint

DUE = Deadline("approval", "Directive 09", APPROVAL, datetime.date(2024, 9, 30))


def _points(rates, start=datetime.date(2024, 1, 31), step=30):
    return [
        TrendPoint(
            start + datetime.timedelta(days=step * i), 1000, int(rate * 10), None, "recorded"
        )
        for i, rate in enumerate(rates)
    ]


def test_too_little_history_is_said_plainly():
    result = forecast(_points([50, 60]), APPROVAL, DUE, datetime.date(2024, 3, 1))
    assert result.outlook == Outlook.TOO_LITTLE_HISTORY and result.reaches_on is None
    short = _points([50, 55, 60], step=10)
    assert forecast(short, APPROVAL, DUE, short[-1].as_of).outlook == Outlook.TOO_LITTLE_HISTORY


def test_on_track_with_the_date_it_reaches_100():
    points = _points([40, 50, 60, 70])  # 10 points a month
    result = forecast(points, APPROVAL, DUE, points[-1].as_of)
    assert result.outlook == Outlook.ON_TRACK
    assert result.reaches_on == points[-1].as_of + datetime.timedelta(days=90)
    assert result.points_per_month == 10


def test_will_miss_when_the_pace_is_too_slow():
    points = _points([40, 41, 42, 43])
    result = forecast(points, APPROVAL, DUE, points[-1].as_of)
    assert result.outlook == Outlook.WILL_MISS and result.at_risk
    assert result.reaches_on > DUE.due_date


def test_no_progress_and_reached():
    flat = _points([40, 40, 40, 40])
    assert forecast(flat, APPROVAL, DUE, flat[-1].as_of).outlook == Outlook.NO_PROGRESS
    falling = _points([60, 55, 50, 45])
    assert forecast(falling, APPROVAL, DUE, falling[-1].as_of).outlook == Outlook.NO_PROGRESS
    done = _points([80, 90, 100])
    assert forecast(done, APPROVAL, DUE, done[-1].as_of).outlook == Outlook.REACHED


def test_missed_once_the_deadline_has_passed():
    points = _points([40, 50, 60, 70], start=datetime.date(2024, 8, 1))
    result = forecast(points, APPROVAL, DUE, points[-1].as_of)
    assert result.outlook == Outlook.MISSED and result.reaches_on is not None


def test_unknown_figures_are_skipped_not_read_as_zero():
    points = [
        TrendPoint(datetime.date(2024, 1, 31) + datetime.timedelta(days=30 * i), 100, 50, None, "p")
        for i in range(4)
    ]
    result = forecast(points, DEPLOYMENT, None, points[-1].as_of)
    assert result.outlook == Outlook.TOO_LITTLE_HISTORY


def test_deadline_for_prefers_the_next_one():
    later = Deadline("again", "Decree", APPROVAL, datetime.date(2026, 12, 31))
    assert deadline_for([DUE, later], APPROVAL, datetime.date(2025, 1, 1)) == later
    assert deadline_for([DUE, later], APPROVAL, datetime.date(2024, 1, 1)) == DUE
    assert deadline_for([DUE], APPROVAL, datetime.date(2027, 1, 1)) == DUE
    assert deadline_for([DUE], DEPLOYMENT, datetime.date(2024, 1, 1)) is None
