"""What every API view shares: no request-wide transaction, the client's language, the body cap.

The views are not atomic per request (ATOMIC_REQUESTS is on for the pages): each write is an
atomic action of its own (actions.py, registry/imports.py), and what is recorded about a
request (a token's use, an import refused) stays recorded when the request fails.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from registry.api.errors import PayloadTooLarge
from registry.api.language import api_language
from registry.import_files import megabytes


class ApiViewMixin:
    @classmethod
    def as_view(cls, *args, **kwargs):
        return transaction.non_atomic_requests(super().as_view(*args, **kwargs))

    def dispatch(self, request, *args, **kwargs):
        with translation.override(api_language(request)):
            response = super().dispatch(request, *args, **kwargs)
            if not getattr(response, "is_rendered", True):
                response.render()  # lazy texts (choice labels) in the client's language too
            response["Content-Language"] = translation.get_language()
        return response

    def initial(self, request, *args, **kwargs):
        refuse_large_body(request)
        super().initial(request, *args, **kwargs)


def refuse_large_body(request):
    """A body over the import's request limit is refused before it is read (413)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.IMPORT_MAX_REQUEST_BYTES
    if length > limit:
        raise PayloadTooLarge(
            _("The request body is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": megabytes(length), "limit": megabytes(limit)}
        )
