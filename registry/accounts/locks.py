"""django-axes wiring: the client address it locks, the lockout page, the lockout event."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from registry.audit.actions import record
from registry.audit.rules import client_address

LOCKED_STATUS = 429


def client_ip(request):
    """The address axes counts failures of: the one the audit trail records."""
    return client_address(request.META, getattr(settings, "TRUSTED_PROXY_COUNT", 0)) or ""


def locked_out(request, original_response=None, credentials=None):
    """The lockout page (AXES_LOCKOUT_CALLABLE): in the user's language, with the time the
    lock lifts unless an administrator lifts it sooner."""
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"until": until, "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=LOCKED_STATUS)


@receiver(user_locked_out, dispatch_uid="accounts.lockout_event")
def _record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    # Axes signals every refused try during a lock; the event is the lock itself (the tries
    # are failed sign-ins of their own).
    failures = getattr(request, "axes_failures_since_start", settings.AXES_FAILURE_LIMIT)
    if failures > settings.AXES_FAILURE_LIMIT:
        return
    target = get_user_model().objects.filter(username=username).first() if username else None
    data = {"username": str(username or "")[:150], "ip": ip_address or ""}
    record("auth.lockout", target=target, data=data, request=request)
