"""Personal API tokens in the Authorization header: `Bearer sl_...`.

A token acts as its user, with the user's roles and scope as registry/scope.py reads them on
each request: never more. It works while it is neither revoked nor expired, its user is
active and still has the second factor under which the token was made (rules.refusal).
"""

from functools import reduce
from operator import or_

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import device_classes
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from registry.api import actions, rules
from registry.api.models import ApiToken

KEYWORD = "Bearer"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None  # no token: the session may still authenticate
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the header as “Authorization: Bearer <token>”."))
        raw = parts[1].decode("latin-1")
        token = find_token(raw)
        today = timezone.localdate()
        has_device = token is not None and token.has_device
        problem = rules.refusal(token, today, user_has_second_factor=has_device)
        if problem:
            raise AuthenticationFailed(problem)
        actions.note_use(token, request)
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


def find_token(raw):
    """The token with its user and whether the user has a confirmed device: one query."""
    if not rules.looks_like_token(raw):
        return None
    devices = [
        Exists(model.objects.filter(user_id=OuterRef("user_id"), confirmed=True))
        for model in device_classes()
    ]
    has_device = ExpressionWrapper(reduce(or_, devices), output_field=BooleanField())
    tokens = ApiToken.objects.select_related("user").annotate(has_device=has_device)
    return tokens.filter(key_hash=rules.hash_token(raw)).first()


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token's security scheme in the OpenAPI schema (drf-spectacular)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Personal API token"}
