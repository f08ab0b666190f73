"""Reads of the account pages: take scoped querysets, never a request."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Prefetch, Sum
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.models import Membership


def account_rows(accounts):
    """Accounts with their roles (unit names loaded), each with whether it enrolled a device."""
    memberships = Membership.objects.select_related("unit", "carried_over_from").order_by(
        "role", "unit__name"
    )
    rows = accounts.prefetch_related(Prefetch("memberships", queryset=memberships))
    enrolled = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=accounts).values_list(
            "user_id", flat=True
        )
    )
    return [
        (account, account.pk in enrolled) for account in rows.order_by("-is_active", "username")
    ]


def is_locked(username):
    """Whether django-axes refuses this account name now (its failures reach the limit)."""
    failures = (
        _current().filter(username=username).aggregate(total=Sum("failures_since_start"))["total"]
    )
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT


def failed_attempts():
    """django-axes' failure counts, newest first, each marked when it reaches the limit."""
    limit = settings.AXES_FAILURE_LIMIT
    return [
        (attempt, attempt.failures_since_start >= limit)
        for attempt in _current().order_by("-attempt_time")
    ]


def _current():
    """Attempts whose cool-off has not run out (axes forgets older ones at the next sign-in)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(attempt_time__gte=since)
