"""Who must pass a second factor, and where a signed-in user who has not yet goes.

A national or account administrator must use one (everyone with OTP_REQUIRED_FOR_ALL); a
user who enrolled a device of their own will is asked for it too. Until then the
user gets only the second-factor pages, the invitation link, the language switch and
logging out: no page, no admin, no export (SecondFactorMiddleware).
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django_otp import user_has_device

from registry import scope
from registry.accounts import rules

ENROLLED_SESSION_KEY = "accounts_otp_enrolled"


def must_use_second_factor(user):
    if not user.is_authenticated:
        return False
    roles = set(scope._memberships(user))
    if user.is_superuser:
        roles.add(rules.Role.NATIONAL_ADMIN)
    return rules.needs_second_factor(roles, required_for_all=settings.OTP_REQUIRED_FOR_ALL)


@receiver(user_logged_in, dispatch_uid="accounts.note_enrolment")
def _note_enrolment(sender, request, user, **kwargs):
    # Read once per sign-in, not on every request of an optional user.
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = user_has_device(user)


def is_enrolled(request):
    return bool(request.session.get(ENROLLED_SESSION_KEY))


def pending(request):
    """Whether this signed-in user still owes a second factor."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    return is_enrolled(request) or must_use_second_factor(user)


def satisfied(request):
    return request.user.is_authenticated and not pending(request)


def step_url(request):
    """The verification step for an enrolled user, the enrolment for one who has no device."""
    return reverse("accounts:verify" if is_enrolled(request) else "accounts:setup")
