"""When a campaign reminds: its steps, which one is due on a date, which ones were missed.

A step is an offset in days from the due date: -30, -14, -7, -1 before it, then
+7, +14, ... while overdue. A step stays valid until the next step's date; the
planner sends the latest valid step only, so a scheduler that was down sends
the step it missed once (never a backlog of them), and any earlier step not
sent by then was more than its interval late: it is recorded as skipped.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    offset: int
    date: datetime.date
    valid_until: datetime.date  # the next step's date: from then on this one is superseded

    @property
    def overdue(self):
        return self.offset > 0


def steps_until(campaign, as_of):
    """The campaign's steps dated on or before `as_of`, in order."""
    due = campaign.due_date
    offsets = [-days for days in campaign.days_before]
    # While overdue, every interval: an annual report's reminders too, until it is filed
    # (the planner leaves out the units that filed: planner.settled_units).
    interval = campaign.overdue_interval_days
    overdue_count = max((as_of - due).days // interval, 0)
    offsets += [interval * k for k in range(1, overdue_count + 2)]
    dates = [due + datetime.timedelta(days=offset) for offset in offsets]
    steps = [
        Step(offset, date, next_date)
        for offset, date, next_date in zip(offsets, dates, dates[1:], strict=False)
    ]
    return [step for step in steps if step.date <= as_of]


def current_step(steps):
    """The step to send on this date (the latest one reached), or None before the first."""
    return steps[-1] if steps else None
