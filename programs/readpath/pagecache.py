"""Rendered page content cached under the data version, so a repeated view is one cache read.

A key holds the data version (``programs.readpath.data_version``: every save, delete and derived recompute
moves it, so nothing cached outlives a change), the page's own parts (slug, query string, today's
date where the content depends on it) and a digest of the reader's permissions (edit buttons and
export links differ by role). Only the content block is cached: the header around it (user name,
CSRF token of the logout form) is rendered for every request.

While the cache is unavailable (``adctrack.cache``: Redis unreachable) pages and permissions are
built from the database on every request and nothing is kept; both versions move when Redis answers
again, so nothing cached before an outage outlives an edit or a change of role made during it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, NotRequired, TypedDict

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from adctrack.cache import VersionCounter, cache_recovered
from programs.readpath import data_version

PAGE_CACHE_SECONDS = 600


class Page(TypedDict):
    title: str
    body: str
    #: Seconds the page may be kept, when shorter than PAGE_CACHE_SECONDS (it shows counts that
    #: predate an edit; ``programs.readpath.facets.compute_facets``).
    ttl: NotRequired[int | None]
    #: Markup for the ``head`` block (a page's own stylesheet), when it has any.
    head: NotRequired[str]


PERMS_VERSION_KEY = "adctrack:perms-version"
_perms_version = VersionCounter(PERMS_VERSION_KEY)


def _permissions_digest(request: HttpRequest) -> str:
    """A digest of the reader's permissions, read from the cache under the permissions version.

    The permission set is cached too and handed to the user object as ``ModelBackend`` keeps it
    (``_perm_cache``), so the header's permission checks (``perms`` in ``base.html``) ask the
    database nothing either: the two permission queries every page view paid are gone. Any change
    to users, groups or their permissions moves the version (``connect``), so neither outlives a
    change of role.
    """
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    version = _perms_version.current()
    key = f"adctrack:perms:{version}:{user.pk}"
    perms: list[str] | None = cache.get(key) if version is not None else None
    if perms is None:
        perms = sorted(user.get_all_permissions())
        if version is not None:
            cache.set(key, perms, PAGE_CACHE_SECONDS)
    elif user.is_active and not hasattr(user, "_perm_cache"):
        user._perm_cache = set(perms)  # type: ignore[union-attr]  # what ModelBackend.get_all_permissions sets
    return hashlib.sha1("|".join(perms).encode()).hexdigest()[:16]


def _permissions_changed(*_args: Any, **_kwargs: Any) -> None:
    """Also when Redis answers again after an outage: a change of role made meanwhile moved nothing."""
    _perms_version.advance()


def connect() -> None:
    """Move the permissions version on any change to users, groups, permissions or who has which."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user = get_user_model()
    for model in (user, Group, Permission):
        post_save.connect(_permissions_changed, sender=model, dispatch_uid=f"perms-save-{model._meta.label}")
        post_delete.connect(_permissions_changed, sender=model, dispatch_uid=f"perms-delete-{model._meta.label}")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_permissions_changed, sender=through, dispatch_uid=f"perms-m2m-{through._meta.label}")
    cache_recovered.connect(_permissions_changed, dispatch_uid="perms-cache-recovered")


def cached_page(request: HttpRequest, name: str, parts: tuple[str, ...], build: Callable[[], Page]) -> Page:
    """The page ``name`` for ``parts`` from the cache, or ``build()`` it (which may raise Http404) and keep it."""
    version = data_version.current()
    if version is None:  # the cache is unavailable: straight from the database, nothing kept
        return build()
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
    key = f"adctrack:page:{name}:{version}:{_permissions_digest(request)}:{digest}"
    page: Page | None = cache.get(key)
    if page is None:
        page = build()
        cache.set(key, page, page.get("ttl") or PAGE_CACHE_SECONDS)
    return page


def render_page(request: HttpRequest, page: Page) -> HttpResponse:
    """The full page around cached content (``templates/programs/cached_page.html``)."""
    return render(request, "programs/cached_page.html", {
        "title": page["title"], "body": mark_safe(page["body"]), "head": mark_safe(page.get("head", "")),
    })


def cached_template(request: HttpRequest, name: str, parts: tuple[str, ...], template: str,
                    build: Callable[[], tuple[str, dict[str, Any]]], head: str = "") -> HttpResponse:
    """A Django-template page whose content block (``template``) is cached under the data version.

    ``build`` returns the title and the template's context (it may raise Http404); ``head`` names a
    template for the ``head`` block. The query string is always part of the key. A context ``ttl``
    (seconds) keeps the page no longer than that (content built from counts that are catching up).
    """
    from django.template.loader import render_to_string

    def page() -> Page:
        title, context = build()
        built: Page = {"title": title, "body": render_to_string(template, context, request=request)}
        if context.get("ttl"):
            built["ttl"] = context["ttl"]
        if head:
            built["head"] = render_to_string(head, context, request=request)
        return built

    query = request.GET.urlencode()
    return render_page(request, cached_page(request, name, (*parts, query), page))
