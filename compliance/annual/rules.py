"""The annual report's dates and its filing workflow, as pure rules (no database).

Circular 12/2022/TT-BTTTT Arts. 13-14: the data period runs from 15/12 of the
previous year to 14/12; the owner reports to the national authority before 25/12
(the reminder campaigns hold the dates the reminders count down to, as data).

A filing goes not started → prepared (the unit's officer builds the files, as
often as needed) → submitted (frozen: the files and their checksums are what was
filed) → received by a national administrator, or returned with a reason, after
which it can be prepared and submitted again. It is late while not filed after
its due date.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Circular 12/2022 came into force on 01/10/2022: 2022 is the first report year.
FIRST_YEAR = 2022
LAST_YEAR = 2099
# Before 25/12 (Art. 14): the default due date when no campaign for the year says otherwise.
OWNER_DUE = (12, 25)
RETURN_REASON_MAX = 2000


class FilingStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("annual report", "Not started")
    PREPARED = "prepared", _("Prepared")
    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned")
    LATE = "late", _("Late")


FILED = (FilingStatus.SUBMITTED, FilingStatus.RECEIVED)


class Action(models.TextChoices):
    PREPARE = "prepare", _("Prepare")
    SUBMIT = "submit", _("Submit")
    RECEIVE = "receive", _("Mark received")
    RETURN = "return", _("Return")


# action -> (statuses it starts from, status it leads to)
TRANSITIONS = {
    Action.PREPARE: (
        (FilingStatus.NOT_STARTED, FilingStatus.PREPARED, FilingStatus.RETURNED),
        FilingStatus.PREPARED,
    ),
    Action.SUBMIT: ((FilingStatus.PREPARED,), FilingStatus.SUBMITTED),
    Action.RECEIVE: ((FilingStatus.SUBMITTED,), FilingStatus.RECEIVED),
    Action.RETURN: ((FilingStatus.SUBMITTED,), FilingStatus.RETURNED),
}


def is_valid_year(year):
    return isinstance(year, int) and FIRST_YEAR <= year <= LAST_YEAR


def report_as_of(year):
    """The registry is read as of 14/12 of the report's year."""
    return datetime.date(year, 12, 14)


def period_start(year):
    return datetime.date(year - 1, 12, 15)


def default_due_date(year):
    return datetime.date(year, *OWNER_DUE)


def next_status(action, current):
    """The status `action` leads to from `current`; ValidationError when it may not."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise ValidationError(
            _("A report that is “%(status)s” cannot be %(action)s."),
            code="transition",
            params={
                "status": FilingStatus(current).label,
                "action": ACTION_PAST[action],
            },
        )
    return target


ACTION_PAST = {
    Action.PREPARE: _("prepared again"),
    Action.SUBMIT: _("submitted"),
    Action.RECEIVE: _("marked received"),
    Action.RETURN: _("returned"),
}


def check_year_open(year, today):
    """A report can be worked on from its year on, not for a year still to come."""
    if not is_valid_year(year) or year > today.year:
        raise ValidationError(
            _("There is no annual report for %(year)s yet."), code="year", params={"year": year}
        )


def check_submittable(year, today, prepared_on):
    """Filed data must be final: the data period has to be over, and the files prepared
    after it (a draft made before 15/12 misses the period's last days)."""
    end = report_as_of(year)
    params = {"end": f"{end:%d/%m/%Y}", "next": f"{end + datetime.timedelta(days=1):%d/%m/%Y}"}
    if today <= end:
        raise ValidationError(
            _("The data period ends on %(end)s: the report can be submitted from %(next)s."),
            code="period",
            params=params,
        )
    if prepared_on is None or prepared_on <= end:
        raise ValidationError(
            _("This draft was prepared before the data period ended on %(end)s: prepare it again."),
            code="stale",
            params=params,
        )


def clean_return_reason(text):
    reason = (text or "").strip()
    if not reason:
        raise ValidationError(_("Say why the report is returned."), code="reason")
    if len(reason) > RETURN_REASON_MAX:
        raise ValidationError(
            _("The reason is too long (at most %(max)s characters)."),
            code="reason",
            params={"max": RETURN_REASON_MAX},
        )
    return reason


def is_filed(status):
    return status in FILED


def shown_status(status, today, due_date):
    """What the status page says: the stored status, or late when not filed after its due."""
    status = status or FilingStatus.NOT_STARTED
    if not is_filed(status) and today > due_date:
        return FilingStatus.LATE
    return FilingStatus(status)


def filed_late(submitted_on, due_date):
    """Submitted (local date) after the due date."""
    return submitted_on is not None and submitted_on > due_date
