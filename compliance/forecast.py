"""When will a unit reach 100%, at the pace of its recent trend?

The pace is the least-squares slope of the rate (percentage points per day)
over the trend points of the last FORECAST_WINDOW_DAYS. Rates, not counts,
because new systems keep being declared: a unit that approves as fast as it
declares is not getting closer. The answer says plainly when it cannot be
given: fewer than MIN_POINTS points or less than MIN_SPAN_DAYS of history,
or no progress at all.

One consistent series: the points rebuilt from the registry (recorded snapshots
and the live figures), never the published reports' points, which counted a
different set of systems (3,086 systems in 12/2022 against 6,155 rebuilt). And
no date beyond settings.FORECAST_HORIZON_YEARS: a 100% date twenty years out
says more about the arithmetic than about the unit.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from compliance.deadlines import APPROVAL, DEPLOYMENT
from compliance.trends import FORECAST_WINDOW_DAYS

MIN_POINTS = 3
MIN_SPAN_DAYS = 60
PUBLISHED = "published"  # TrendPoint.source of the published reports' points


def horizon_days():
    return round(settings.FORECAST_HORIZON_YEARS * 365.25)


class Outlook:
    REACHED = "reached"
    ON_TRACK = "on_track"
    WILL_MISS = "will_miss"
    MISSED = "missed"
    NO_PROGRESS = "no_progress"
    TOO_LITTLE_HISTORY = "too_little_history"


LABELS = {
    Outlook.REACHED: _("100% reached"),
    Outlook.ON_TRACK: _("on track"),
    Outlook.WILL_MISS: _("will miss the deadline"),
    Outlook.MISSED: _("deadline missed"),
    Outlook.NO_PROGRESS: _("no progress at the recent pace"),
    Outlook.TOO_LITTLE_HISTORY: _("too little history to forecast"),
}
SHORT_LABELS = {  # the national table's badges; the full label is their title
    Outlook.REACHED: _("done"),
    Outlook.ON_TRACK: _("on track"),
    Outlook.WILL_MISS: _("late"),
    Outlook.MISSED: _("missed"),
    Outlook.NO_PROGRESS: _("stalled"),
    Outlook.TOO_LITTLE_HISTORY: _("no data"),
}
AT_RISK = {Outlook.WILL_MISS, Outlook.MISSED, Outlook.NO_PROGRESS}
RATE_ATTRIBUTE = {APPROVAL: "approval_rate", DEPLOYMENT: "deployment_rate"}


@dataclass(frozen=True)
class Forecast:
    requirement: str
    outlook: str
    due_date: datetime.date | None
    reaches_on: datetime.date | None = None
    points_per_month: Decimal | None = None
    beyond_horizon: bool = False  # 100% would come later than the horizon: no date given

    @property
    def label(self):
        return LABELS[self.outlook]

    @property
    def at_risk(self):
        return self.outlook in AT_RISK

    @property
    def horizon_years(self):
        return settings.FORECAST_HORIZON_YEARS


def short_label(outlook):
    return SHORT_LABELS[outlook]


def deadline_for(deadlines, requirement, as_of):
    """The next deadline for the requirement on or after as_of, else the latest one passed."""
    matching = [d for d in deadlines if d.requirement == requirement]
    upcoming = [d for d in matching if d.due_date >= as_of]
    if upcoming:
        return min(upcoming, key=lambda d: d.due_date)
    return max(matching, key=lambda d: d.due_date, default=None)


def forecast(points, requirement, deadline, as_of):
    """A Forecast from TrendPoints (oldest first, the last one being as_of's figures)."""
    due = deadline.due_date if deadline else None
    attribute = RATE_ATTRIBUTE[requirement]
    window_start = as_of - datetime.timedelta(days=FORECAST_WINDOW_DAYS)
    usable = [
        p
        for p in points
        if window_start <= p.as_of <= as_of
        and getattr(p, attribute) is not None
        and p.source != PUBLISHED
    ]
    if not usable:  # no systems declared: nothing outstanding, nothing missed
        return Forecast(requirement, Outlook.TOO_LITTLE_HISTORY, due)
    if _all_done(usable[-1], requirement):  # counts, not the rounded rate: 99.96% is not done
        return Forecast(requirement, Outlook.REACHED, due)
    samples = [(p.as_of, float(getattr(p, attribute))) for p in usable]
    if len(samples) < MIN_POINTS or (samples[-1][0] - samples[0][0]).days < MIN_SPAN_DAYS:
        return Forecast(requirement, _passed_or(Outlook.TOO_LITTLE_HISTORY, due, as_of), due)
    slope = _slope(samples)
    pace = Decimal(slope * 30).quantize(Decimal("0.1"))
    if pace <= 0:  # less than 0.05 points a month: no progress worth projecting
        return Forecast(requirement, _passed_or(Outlook.NO_PROGRESS, due, as_of), due, None, pace)
    last_day, last_rate = samples[-1]
    days_needed = math.ceil((100 - last_rate) / slope)
    if days_needed > horizon_days():
        # Too far to name a date; a deadline before the horizon will be missed all the same.
        misses = due is not None and (due - last_day).days < days_needed
        outlook = Outlook.WILL_MISS if misses else Outlook.TOO_LITTLE_HISTORY
        return Forecast(requirement, _passed_or(outlook, due, as_of), due, None, pace, True)
    reaches_on = last_day + datetime.timedelta(days=days_needed)
    if due is None or reaches_on <= due:
        outlook = Outlook.ON_TRACK
    else:
        outlook = _passed_or(Outlook.WILL_MISS, due, as_of)
    return Forecast(requirement, outlook, due, reaches_on, pace)


def _all_done(point, requirement):
    done = point.approved if requirement == APPROVAL else point.fully_deployed
    return done == point.total


def _passed_or(outlook, due, as_of):
    """Once the deadline is due short of 100% (its day included, as for
    compliance.deadlines.units_missing_deadline), it was missed, whatever the pace."""
    return Outlook.MISSED if due is not None and as_of >= due else outlook


def _slope(samples):
    """Least-squares slope of rate over days."""
    origin = samples[0][0]
    xs = [(day - origin).days for day, _rate in samples]
    ys = [rate for _day, rate in samples]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def unit_forecasts(points, deadlines, as_of):
    """{requirement: Forecast} for approval and deployment."""
    return {
        requirement: forecast(
            points, requirement, deadline_for(deadlines, requirement, as_of), as_of
        )
        for requirement in (APPROVAL, DEPLOYMENT)
    }
