"""The language of an API answer: the client's Accept-Language, else the page language.

The pages ignore Accept-Language (compliance/middleware.py: Vietnamese first, the language
switch decides), which keeps the header aside as `request.accept_language` for the API."""

from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def api_language(request):
    header = getattr(request, "accept_language", "") or ""
    for code, _quality in parse_accept_lang_header(header[:255]):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
