"""python manage.py setup_roles: create the viewer, bd, editor and admin groups with their permissions."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from programs.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or update the role groups (viewer, bd, editor, admin) and their permissions."

    def handle(self, *args: Any, **options: Any) -> None:
        groups = ensure_roles()
        for name, group in groups.items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
