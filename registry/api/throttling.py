"""Request rates per token (per signed-in user for the session), on the "api" cache.

The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from API_RATE and
API_BULK_RATE); a refused request gets 429 with Retry-After, in the problem format."""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from registry.api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self):
        self.cache = caches["api"]
        super().__init__()

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class BulkRateThrottle(TokenRateThrottle):
    """The bulk endpoint writes up to an import's worth of rows per request: a rate of its own."""

    scope = "api_bulk"
