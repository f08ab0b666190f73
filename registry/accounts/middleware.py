"""Sends a signed-in user who still owes a second factor to that step, from any URL."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from registry.accounts import second_factor

# What such a user may still reach (prefixes of request.path_info).
OPEN_NAMES = ("accounts:verify", "accounts:setup", "logout", "set_language")
OPEN_PREFIXES = ("/accounts/invitation/", "/static/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor.pending(request) and not self._open(request.path_info):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{second_factor.step_url(request)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _open(path):
        open_paths = {reverse(name) for name in OPEN_NAMES}
        return path in open_paths or path.startswith(OPEN_PREFIXES)
