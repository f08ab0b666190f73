"""Personal API tokens in the Authorization header: `Bearer sl_...`.

A token acts as its user, with the user's roles and scope as registry/scope.py reads them on
each request: never more. It works while it is neither revoked nor expired, its user is
active and still has the second factor under which the token was made (rules.refusal).
"""

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
        has_device = token is not None and has_second_factor(token.user)
        problem = rules.refusal(token, today, user_has_second_factor=has_device)
        if problem:
            raise AuthenticationFailed(problem)
        actions.note_use(token, request)
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


def has_second_factor(user):
    """Whether the user has a confirmed device of any kind: one query, not one per kind."""
    first, *others = [
        model.objects.filter(user_id=user.pk, confirmed=True).values_list("user_id")
        for model in device_classes()
    ]
    return bool(first.union(*others)[:1])


def find_token(raw):
    if not rules.looks_like_token(raw):
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=rules.hash_token(raw)).first()


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token's security scheme in the OpenAPI schema (drf-spectacular)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "Personal API token"}
