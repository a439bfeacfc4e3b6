"""Rendered page content cached under the data version, so a repeated view is one cache read.

A key holds the data version (``programs.data_version``: every save, delete and derived recompute
moves it, so nothing cached outlives a change), the page's own parts (slug, query string, today's
date where the content depends on it) and a digest of the reader's permissions (edit buttons and
export links differ by role). Only the content block is cached: the header around it (user name,
CSRF token of the logout form) is rendered for every request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import NotRequired, TypedDict

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from programs import data_version

PAGE_CACHE_SECONDS = 600


class Page(TypedDict):
    title: str
    body: str
    #: Seconds the page may be kept, when shorter than PAGE_CACHE_SECONDS (it shows counts that
    #: predate an edit; ``programs.facets.compute_facets``).
    ttl: NotRequired[int | None]


def _permissions_digest(request: HttpRequest) -> str:
    """Hidden queries: the user's permissions, loaded once per request (Django caches them on the user)."""
    perms = sorted(request.user.get_all_permissions()) if request.user.is_authenticated else []
    return hashlib.sha1("|".join(perms).encode()).hexdigest()[:16]


def cached_page(request: HttpRequest, name: str, parts: tuple[str, ...], build: Callable[[], Page]) -> Page:
    """The page ``name`` for ``parts`` from the cache, or ``build()`` it (which may raise Http404) and keep it."""
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
    key = f"adctrack:page:{name}:{data_version.current()}:{_permissions_digest(request)}:{digest}"
    page: Page | None = cache.get(key)
    if page is None:
        page = build()
        cache.set(key, page, page.get("ttl") or PAGE_CACHE_SECONDS)
    return page


def render_page(request: HttpRequest, page: Page) -> HttpResponse:
    """The full page around cached content (``templates/programs/cached_page.html``)."""
    return render(request, "programs/cached_page.html", {"title": page["title"], "body": mark_safe(page["body"])})
