import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.test import APIClient

from registry.api import actions

TOKEN_DAYS = 30


@pytest.fixture(autouse=True)
def fresh_rates():
    """Throttle counts of earlier tests (the "api" cache may be Redis) start from zero."""
    caches["api"].clear()
    yield
    caches["api"].clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def issue(user, label="script"):
    """A token as the page makes it, for a user who enrolled a second factor."""
    StaticDevice.objects.get_or_create(user=user, name="phone", defaults={"confirmed": True})
    expires_on = timezone.localdate() + datetime.timedelta(days=TOKEN_DAYS)
    return actions.issue_token(actor=user, label=label, expires_on=expires_on)


def client_for(user, **headers):
    """An API client carrying a fresh token of `user`."""
    _token, raw = issue(user)
    client = APIClient(headers={"Authorization": f"Bearer {raw}", **headers})
    client.raw_token = raw
    return client


@pytest.fixture
def api_client():
    return client_for


def sign_in_verified(client, user):
    """A page session that passed the second factor, whatever the user's roles require."""
    from tests.accounts import sessions

    sessions.CLIENT_FORCE_LOGIN(client, user)
    sessions._pass_second_factor(client, user)
