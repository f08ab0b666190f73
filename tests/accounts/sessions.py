"""Test sign-ins: the test client's shortcuts stand for a whole sign-in, second factor included.

tests/conftest.py puts `force_login` and `login` below in place of the test client's own for
every test, so that tests of other areas sign national administrators in as the product
does after both steps (users who owe no second factor get no device). `password_only`
leaves a session after the password step alone.
"""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice

from registry.accounts.second_factor import ENROLLED_SESSION_KEY, must_use_second_factor

CLIENT_FORCE_LOGIN = Client.force_login


def _pass_second_factor(client, user):
    device, _ = StaticDevice.objects.get_or_create(user=user, name="test sign-in")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[ENROLLED_SESSION_KEY] = True
    session.save()


def force_login(client, user, backend=None):
    CLIENT_FORCE_LOGIN(client, user, backend)
    if must_use_second_factor(user):
        _pass_second_factor(client, user)


def login(client, **credentials):
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    user = authenticate(request, **credentials)
    if user is None:
        return False
    force_login(client, user)
    return True


def password_only(client, user):
    """Signed in with the password, the second factor not passed yet."""
    CLIENT_FORCE_LOGIN(client, user)
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()


def token_of(device):
    """The code an authenticator app shows now for this TOTP device (django-otp's own TOTP)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"
