import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON bodies, refused in the client's language when they cannot be read: bad syntax,
    bad UTF-8, NaN or Infinity (not JSON), numbers of thousands of digits."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise ParseError(
                _("The body is not valid JSON: %(error)s") % {"error": str(error)[:200]}
            ) from None


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")
