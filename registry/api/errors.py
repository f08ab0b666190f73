"""One error format for the whole API: RFC 9457 problem details, in the client's language.

    {"type": "about:blank", "title": "Invalid request", "status": 400, "code": "invalid",
     "detail": "…", "errors": [{"field": "rows[3].code", "code": "invalid", "message": "…"}]}

`code` is stable (DRF's error codes and ours); `errors` names each field by its path in the
request. DRF's exceptions, Django's Http404/PermissionDenied/ValidationError and the
requests refused before any view (a bad URL, a NUL in the query: the handler400/404 of
compliance/urls.py) all come out in this shape under /api/.
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from registry.api.language import api_language

CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"
TITLES = {
    400: gettext_lazy("Invalid request"),
    401: gettext_lazy("Not signed in"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Unprocessable request"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}
STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    500: "error",
}


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy("The request body is larger than the limit.")
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = gettext_lazy("This request conflicts with another one.")
    default_code = "conflict"


def problem(status, detail=None, code=None):
    """The problem document for a status and a DRF error detail (str, list or dict)."""
    errors = list(field_errors(detail)) if isinstance(detail, dict | list) else []
    message = str(detail).strip() if isinstance(detail, str) else ""
    if not message and errors:
        message = errors[0]["message"] if len(errors) == 1 else _("The request has errors.")
    code = code or getattr(detail, "code", None) or STATUS_CODES.get(status, "error")
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status, "")),
        "status": status,
        "code": code,
        "detail": message or str(TITLES.get(status, "")),
    }
    if errors:
        body["errors"] = errors
    return body


def field_errors(detail, path=""):
    """[{"field": "rows[3].code", "code": ..., "message": ...}] from DRF's nested errors."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            yield from field_errors(value, f"{path}.{name}" if path and name else path or name)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                yield from field_errors(value, f"{path}[{index}]")
            else:
                yield from field_errors(value, path)
    elif detail:
        # strip(): some of DRF's own translations begin with a space.
        message = str(detail).strip()
        yield {"field": path, "code": getattr(detail, "code", "invalid"), "message": message}


def problem_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every error a view raises, as a problem document."""
    exc = as_api_exception(exc)
    if exc is None:
        return None  # a bug: Django's 500 handler answers (server_error below)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(max(1, math.ceil(exc.wait)))
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else None
    body = problem(exc.status_code, exc.detail, code)
    return Response(body, status=exc.status_code, headers=headers, content_type=CONTENT_TYPE)


def as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, exceptions.APIException):
        return exc
    return None


# Django's error views, for the requests that never reach a DRF view ----------------------


def _json_problem(request, status):
    language = api_language(request)
    with translation.override(language):
        body = problem(status)
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    response["Content-Language"] = language
    return response


def _is_api(request):
    return request.path_info.startswith(API_PREFIX)


def bad_request(request, exception):
    if _is_api(request):
        return _json_problem(request, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _json_problem(request, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _json_problem(request, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return _json_problem(request, 500)
    return defaults.server_error(request)
