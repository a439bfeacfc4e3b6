"""Every route x every role x every method gets the status its URL name promises (RULES below).

Routes come from the URL configuration itself, so views added later are covered without editing
this file — unless their name fits no rule, which fails ``test_it_has_a_rule_for_every_route``
("new view without a rule"): add a rule rather than an exception. Path arguments are filled from
the demo data by kwarg name (``slug``/``pk`` of the model the URL name starts with, ``<model>_slug``,
``<model>_pk``, ``history_id``); ``KWARGS`` overrides a route when the guess is wrong.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programs.roles import ADMIN, BD, EDITOR, VIEWER, ensure_roles

ANON = "anonymous"
ROLES = (ANON, VIEWER, BD, EDITOR, ADMIN)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
RANK = {ANON: 0, VIEWER: 1, BD: 2, EDITOR: 3, ADMIN: 4}
SKIP_PREFIXES = ("admin/", "static/", "media/", "__debug__/")
WRITE_OK = {200, 201, 204, 302, 400, 404, 405, 409, 412, 415, 428}
"""A permitted writer sending an empty body: form errors (200/400), done (201/204/302), a version
precondition refusal (409/412/428), a method the view lacks (405), an API refusing a body that is not
JSON (415) — anything but 403 or 5xx."""


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str
    kwargs: tuple[tuple[str, str], ...]  # (kwarg, converter name)

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:") or self.pattern.startswith("api/")


def _expect_read(least: str) -> Any:
    """Read views: GET 200 from ``least`` up, 403 below; other methods 405 (or 403 before it)."""

    def expect(route: Route, role: str, method: str) -> set[int]:
        if role == ANON:
            return {401, 403} if route.is_api else {302}
        if method != "GET":
            return {403, 405}
        return {200} if RANK[role] >= RANK[least] else {403}

    return expect


def _expect_write(least: str) -> Any:
    """Edit views: GET shows the form (200) or is not offered (405) from ``least`` up; 403 below."""

    def expect(route: Route, role: str, method: str) -> set[int]:
        if role == ANON:
            return {401, 403} if route.is_api else {302}
        if RANK[role] < RANK[least]:
            return {403, 405} if method != "GET" else {403}
        return {200, 405} if method == "GET" else WRITE_OK

    return expect


def _expect_api(route: Route, role: str, method: str) -> set[int]:
    """API: read for viewer+, write for editor+; anonymous 401/403 (never a login redirect)."""
    if role == ANON:
        return {401, 403}
    if method == "GET":
        return {200}
    return WRITE_OK if RANK[role] >= RANK[EDITOR] else {403, 405}


def _expect_api_session(route: Route, role: str, method: str) -> set[int]:
    """Token login/logout: any signed-in role may use them for itself."""
    if role == ANON:
        return {401, 403}
    return {200, 204, 400, 405}


def _expect_own_token(route: Route, role: str, method: str) -> set[int]:
    """API tokens (page and API): every signed-in user manages their own; someone else's is a 404."""
    if role == ANON:
        return {401, 403} if route.is_api else {302}
    return {200, 201, 204, 302, 400, 404, 405}


def _expect_public(route: Route, role: str, method: str) -> set[int]:
    """Public pages (login, password reset, health): never 403, never 5xx."""
    return {200, 302, 400, 405}


def _expect_signed_in(route: Route, role: str, method: str) -> set[int]:
    """Any signed-in user (password change): anonymous is sent to log in."""
    if role == ANON:
        return {302}
    return {200, 302, 400, 405}


def _expect_owner(route: Route, role: str, method: str) -> set[int]:
    """A background export's status and file: only its requester (the demo export is the admin's)."""
    if role == ANON:
        return {302}
    if method != "GET":
        return {403, 405}
    return {200, 302, 404} if role == ADMIN else {403, 404}  # 404 for the owner: not built yet


def _expect_healthz(route: Route, role: str, method: str) -> set[int]:
    return {200} if method == "GET" else {405}


def _expect_docs(route: Route, role: str, method: str) -> set[int]:
    """API schema and docs: public or authenticated, read-only. The matrix asks for text/html, which the
    schema (YAML/JSON only) answers with 406."""
    if method != "GET":
        return {401, 403, 405, 406}
    return {200, 302, 401, 403, 406} if role == ANON else {200, 406}


# First match wins. Patterns are fnmatch patterns on "namespace:name".
RULES: list[tuple[str, Any]] = [
    ("healthz", _expect_healthz),
    ("api_schema", _expect_docs),
    ("api_docs", _expect_docs),
    ("api:*schema*", _expect_docs),
    ("api:*swagger*", _expect_docs),
    ("api:*redoc*", _expect_docs),
    ("api:*docs*", _expect_docs),
    ("api:*_export", _expect_read(BD)),
    ("api:token-*", _expect_own_token),
    ("api:*login*", _expect_api_session),
    ("api:*logout*", _expect_api_session),
    ("api:*", _expect_api),
    ("login", _expect_public),
    ("logout", _expect_public),
    ("password_reset*", _expect_public),
    ("password_change*", _expect_signed_in),
    ("programs:token_*", _expect_own_token),
    ("programs:jobrun_list", _expect_read(ADMIN)),
    ("programs:export_status", _expect_owner),
    ("programs:export_download", _expect_owner),
    ("*:*_restore", _expect_write(ADMIN)),
    ("*:*_add", _expect_write(EDITOR)),
    ("*:*_edit", _expect_write(EDITOR)),
    ("*:*_delete", _expect_write(EDITOR)),
    ("*:quick_*", _expect_write(EDITOR)),
    ("*:import_*", _expect_write(EDITOR)),
    ("*:*_export", _expect_read(BD)),
    ("*:*_list", _expect_read(VIEWER)),
    ("*:*_detail", _expect_read(VIEWER)),
    ("*:*_history", _expect_read(VIEWER)),
    ("programs:home", _expect_read(VIEWER)),
]

# Path arguments the kwarg-name guess cannot fill: {"namespace:name": {"kwarg": value}}.
def _first_asset_pk() -> int | None:
    from programs.models import Asset

    return Asset.objects.order_by("pk").values_list("pk", flat=True).first()


def _admin_user() -> Any:
    """The admin persona (created here when a test borrows these helpers without the personas)."""
    user, _ = get_user_model().objects.get_or_create(username=ADMIN, defaults={"is_staff": True, "is_superuser": True})
    return user


def _planned_milestone_pk() -> int | None:
    from milestones.models import Milestone

    return Milestone.objects.filter(status="planned").values_list("pk", flat=True).first()


def _a_trial_pk() -> int:
    """The first trial, or a bare one when the demo data has none (trials are imported, not seeded)."""
    from milestones.models import Trial

    first = Trial.objects.order_by("pk").first()
    return (first or Trial.objects.create(title="Permission matrix trial")).pk


def _admins_export_pk() -> int:
    """A pending background export requested by the admin persona (only its requester may see it)."""
    from programs.models import ExportLog

    return ExportLog.objects.create(user=_admin_user(), table="deals", format="xlsx").pk


def _admins_token_key() -> str:
    from knox.models import AuthToken

    instance, _ = AuthToken.objects.create(user=_admin_user())
    return instance.token_key


# Values may be callables, called when the route is filled (after the demo data and personas exist).
KWARGS: dict[str, dict[str, Any]] = {
    "api:assetderived-detail": {"pk": _first_asset_pk},
    "api:trial-detail": {"pk": _a_trial_pk},
    "milestones:trial_detail": {"pk": _a_trial_pk},
    "milestones:quick_mark_occurred": {"pk": _planned_milestone_pk},
    "programs:token_revoke": {"token_key": _admins_token_key},
    "api:token-detail": {"token_key": _admins_token_key},
    "programs:export_status": {"pk": _admins_export_pk},
    "programs:export_download": {"pk": _admins_export_pk},
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), (f"{namespace}:{entry.name}" if namespace else entry.name or ""), entry


def routes() -> list[Route]:
    """Named routes outside admin/static; unnamed ones get name "" (and fail the rule test)."""
    found: dict[str, Route] = {}
    for pattern, name, _entry in _walk(get_resolver()):
        if pattern.startswith(SKIP_PREFIXES) or pattern.startswith("^static"):
            continue
        if "(?P<format>" in pattern or "\\.(?P<format>" in pattern or pattern.endswith(".<drf_format_suffix:format>"):
            continue  # DRF format-suffix twins of a route already listed
        kwargs = tuple((m.group(2), m.group(1) or "str") for m in re.finditer(r"<(?:(\w+):)?(\w+)>", pattern))
        found.setdefault(name or pattern, Route(name, pattern, kwargs))
    return sorted(found.values(), key=lambda r: r.name)


def rule_for(route: Route) -> Any | None:
    for pattern, expect in RULES:
        if route.name and fnmatch.fnmatchcase(route.name, pattern):
            return expect
    return None


def _model_for(stem: str) -> type[models.Model] | None:
    wanted = stem.replace("_", "").replace("-", "").lower()
    for app in ("programs", "milestones"):
        for model in apps.get_app_config(app).get_models():
            if model._meta.model_name == wanted:
                return model
    return None


def _fill(route: Route) -> dict[str, Any]:
    values: dict[str, Any] = {k: v() if callable(v) else v for k, v in KWARGS.get(route.name, {}).items()}
    short = route.name.split(":")[-1]
    stem = re.sub(r"^(quick|import)_", "", re.sub(r"[_-](list|detail|history|add|edit|delete|restore|export)$", "",
                                                 short))
    for kwarg, converter in route.kwargs:
        if kwarg in values:
            continue
        owner, _, field = kwarg.rpartition("_") if kwarg not in ("pk", "slug", "id") else ("", "", kwarg)
        model = _model_for(owner) or _model_for(stem)
        if kwarg == "format":
            values[kwarg] = "json"
        elif kwarg == "history_id" and model is not None:
            values[kwarg] = model.history.order_by("history_id").values_list("history_id", flat=True).first()
        elif model is not None:
            obj = model._default_manager.order_by("pk").first()
            values[kwarg] = getattr(obj, "slug" if field == "slug" and hasattr(obj, "slug") else "pk", None)
        if values.get(kwarg) is None:
            raise AssertionError(f"{route.name}: cannot fill <{converter}:{kwarg}> from demo data; add it to KWARGS")
    return values


def _url(route: Route, values: dict[str, Any]) -> str:
    if route.name:  # reverse() also fills regex routes (the DRF router's)
        return reverse(route.name, kwargs=values or None)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route.pattern)
    path = path.lstrip("^").rstrip("$")
    return "/" + path


def _users() -> dict[str, Any]:
    groups = ensure_roles()
    User = get_user_model()
    users = {}
    for role in (VIEWER, BD, EDITOR, ADMIN):
        user = User.objects.create_user(role, password=None, is_staff=role == ADMIN,
                                        is_superuser=role == ADMIN)
        user.groups.set([groups[role]])
        users[role] = user
    return users


def _clients(users: dict[str, Any]) -> dict[str, Client]:
    """Fresh signed-in clients (a route such as logout ends the session it is called with)."""
    clients = {ANON: Client()}
    for role, user in users.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        clients[role] = client
    return clients


def test_it_has_a_rule_for_every_route() -> None:
    missing = [f"{r.name or '(unnamed)'} -> /{r.pattern}" for r in routes() if rule_for(r) is None]
    assert not missing, "new view without a rule (add one to RULES in tests/test_permission_matrix.py):\n" + "\n".join(
        missing
    )


def test_it_finds_the_routes_it_promises_to_check() -> None:
    names = {r.name for r in routes()}
    assert {"healthz", "programs:asset_list", "programs:asset_detail", "login"} <= names
    assert not any(r.pattern.startswith("admin/") for r in routes())


def test_it_gives_every_route_role_and_method_the_expected_status(demo_data: None) -> None:
    users = _users()
    failures: list[str] = []
    checked = 0
    for route in routes():
        expect = rule_for(route)
        if expect is None:
            continue  # reported by test_it_has_a_rule_for_every_route
        url = _url(route, _fill(route))
        clients = _clients(users)
        for method in METHODS:
            if "logout" in route.name:
                clients = _clients(users)  # the previous request ended the sessions
            for role, client in clients.items():
                # Each request in a savepoint rolled back afterwards: a DELETE cannot hide the next route's object.
                with transaction.atomic():
                    response = getattr(client, method.lower())(url, HTTP_ACCEPT="text/html")
                    transaction.set_rollback(True)
                checked += 1
                allowed = expect(route, role, method)
                if response.status_code not in allowed:
                    failures.append(
                        f"{method:6} {url:45} {role:9} -> {response.status_code}, "
                        f"expected {sorted(allowed)} [{route.name}]"
                    )
    assert checked >= 5 * 5 * 5
    assert not failures, f"{len(failures)} of {checked} requests gave an unexpected status:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", [ANON, EDITOR])
def test_it_never_answers_a_server_error_to_an_unknown_method(demo_data: None, role: str) -> None:
    client = _clients(_users())[role] if role != ANON else Client()
    response = client.generic("BREW", "/assets/")
    assert response.status_code in {302, 405}
