from .structure import structures_cached


class StructureCacheMiddleware:
    """Read each date's unit structure once per request, however many figures ask for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with structures_cached():
            return self.get_response(request)
