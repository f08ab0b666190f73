from importlib import import_module

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware

from registry.data_version import pinned_data_version
from registry.text import describe, forbidden_character


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    many officials' browsers are set to English; the product is Vietnamese
    first, so only the explicit choice (the language cookie) counts.
    """

    def process_request(self, request):
        # Kept aside for the API (registry/api/language.py), whose clients choose this way.
        request.accept_language = request.META.pop("HTTP_ACCEPT_LANGUAGE", "")
        super().process_request(request)


class RefuseControlCharactersMiddleware:
    """A control or invisible character in the URL, the query or a form is a 400, up front.

    One check for every view, before any of them can hand such a value to the database
    (PostgreSQL cannot store a NUL and answers with an error) or to an e-mail header. Form
    values may hold line breaks and tabs (text areas); one-line fields are checked again by
    the model (registry/text.py). Uploaded files are the import's business.

    Cookies are not the user's typing: a cookie holding such a character (a session key with
    a NUL reaches PostgreSQL before any view runs) is dropped, as if it had never been sent,
    and the session starts afresh. It runs after SessionMiddleware, whose store loads lazily.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._drop_unreadable_cookies(request)
        checks = [(request.path, False)]
        checks += [(text, False) for text in _keys_and_values(request.GET)]
        if request.method == "POST":
            checks += [(text, True) for text in _keys_and_values(request.POST)]
        for text, multiline in checks:
            char = forbidden_character(text, multiline=multiline)
            if char is not None:
                raise BadRequest(f"Forbidden character {describe(char)} in the request")
        return self.get_response(request)

    @staticmethod
    def _drop_unreadable_cookies(request):
        for name, value in list(request.COOKIES.items()):
            if forbidden_character(name + value) is not None:
                del request.COOKIES[name]
                if name == settings.SESSION_COOKIE_NAME:
                    request.session = import_module(settings.SESSION_ENGINE).SessionStore()


def _keys_and_values(query):
    for key, values in query.lists():
        yield key
        yield from values


class PinnedDataVersionMiddleware:
    """Read the data version once, before the view reads anything, and cache every figure of
    the request under it (registry/data_version.py): read later, a write committed meanwhile
    would file figures computed before it under the version that should hide them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with pinned_data_version():
            return self.get_response(request)
