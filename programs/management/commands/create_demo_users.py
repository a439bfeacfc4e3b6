"""python manage.py create_demo_users: one account per role, for trying adctrack locally."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from programs.roles import ADMIN, ROLES, ensure_roles

DEMO_PASSWORD = "adctrack-demo-pass"  # noqa: S105 - documented demo accounts, never for production


class Command(BaseCommand):
    help = "Create demo accounts viewer, bd, editor and admin (password: adctrack-demo-pass)."

    def handle(self, *args: Any, **options: Any) -> None:
        groups = ensure_roles()
        User = get_user_model()
        for role in ROLES:
            user, created = User.objects.get_or_create(username=role, defaults={"email": f"{role}@example.org"})
            if created:
                user.set_password(DEMO_PASSWORD)
            user.is_staff = role == ADMIN
            user.is_superuser = role == ADMIN
            user.save()
            user.groups.set([groups[role]])
        self.stdout.write(f"Demo accounts: {', '.join(ROLES)} (password: {DEMO_PASSWORD})")
