"""Paginators of the API (kept free of view imports: settings name ``StandardPagination``)."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 500


class StandardPagination(PageNumberPagination):
    """Page numbers for the smaller lists; ``page_size`` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class IdCursorPagination(CursorPagination):
    """Cursor pagination for the large lists: no COUNT(*), stable under concurrent inserts."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "id"


class CodeCursorPagination(IdCursorPagination):
    ordering = "code"
