"""Sign-ins, failed sign-ins and sign-outs, from django.contrib.auth's signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from registry.audit.actions import record


@receiver(user_logged_in, dispatch_uid="audit.login")
def _logged_in(sender, request, user, **kwargs):
    record("auth.login", actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django masks password-like keys in `credentials`; only the name tried is kept.
    username = str(credentials.get("username", ""))[:150]
    record("auth.login_failed", data={"username": username}, request=request)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", actor=user, request=request)
