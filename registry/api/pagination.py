from django.conf import settings
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pages (stable while rows are added); `page_size` up to API_MAX_PAGE_SIZE."""

    page_size_query_param = "page_size"

    def __init__(self):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE


class ByCode(Cursor):
    ordering = "code"


class ByPath(Cursor):
    ordering = "path"


class Newest(Cursor):
    ordering = ("-created_at", "-pk")
