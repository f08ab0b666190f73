"""Who may see and act on which annual report, on top of registry/scope.py.

A report belongs to a reporting unit: whoever may see that unit may read its
report (404 otherwise); its security officers prepare and submit it; national
administrators receive or return it. A read-only role's write is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from compliance.annual import rules
from compliance.annual.models import AnnualReport
from compliance.annual.rules import Action
from registry import scope
from registry.models import Membership, Role

UNIT_ACTIONS = (Action.PREPARE, Action.SUBMIT)
NATIONAL_ACTIONS = (Action.RECEIVE, Action.RETURN)


def get_reporting_unit_for_user(user, code, year, *, action=None):
    """The reporting unit `code` for the report of `year`: 404 when the year is out of range
    or the unit is not one the user may see, 403 when `action` is not theirs to take."""
    if not rules.is_valid_year(year):
        raise Http404
    unit = scope.get_visible_unit_or_404(user, code=code, parent__isnull=True)
    if action is not None and not may_act(user, unit, action):
        raise PermissionDenied
    return unit


def may_act(user, unit, action):
    if action in NATIONAL_ACTIONS:
        return scope.is_national_admin(user)
    return is_unit_officer(user, unit)


def is_unit_officer(user, unit):
    """An officer of the reporting unit itself: its specialised security unit. Not a national
    administrator, who receives the report and does not file it for the unit."""
    return Membership.objects.filter(user=user, unit=unit, role=Role.OFFICER).exists()


def allowed_actions(user, unit):
    return [action for action in Action if may_act(user, unit, action)]


def report_of(unit, year):
    """The unit's report row for the year; None while not started."""
    return AnnualReport.objects.filter(unit=unit, year=year).first()
