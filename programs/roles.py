"""Roles are Django groups: viewer (read), bd (read, export), editor (write), admin (everything).

``ensure_roles`` creates the groups with their permissions (idempotent); the ``setup_roles``
command and the demo set-up call it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db.models import Q

VIEWER, BD, EDITOR, ADMIN = "viewer", "bd", "editor", "admin"
ROLES = (VIEWER, BD, EDITOR, ADMIN)
DATA_APPS = ("programs", "milestones")
EXPORT_PERM = "programs.export_data"


def _perms(*actions: str) -> Q:
    q = Q()
    for action in actions:
        q |= Q(codename__startswith=f"{action}_")
    return Q(content_type__app_label__in=DATA_APPS) & q


def ensure_roles() -> dict[str, Group]:
    """Create or update the four role groups; returns them by name."""
    export = Q(content_type__app_label="programs", codename="export_data")
    wanted = {
        VIEWER: Permission.objects.filter(_perms("view")),
        BD: Permission.objects.filter(_perms("view") | export),
        EDITOR: Permission.objects.filter(_perms("view", "add", "change", "delete") | export),
        ADMIN: Permission.objects.filter(
            _perms("view", "add", "change", "delete") | export | Q(content_type__app_label__in=["auth"])
        ),
    }
    groups = {}
    for name, perms in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(perms)
        groups[name] = group
    return groups


def role_of(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The highest role a user holds (superusers are admins); None for anonymous or no group.

    Hidden query: reads the user's groups unless prefetched.
    """
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return ADMIN
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr]
    for role in reversed(ROLES):
        if role in names:
            return role
    return None
