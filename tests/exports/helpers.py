"""Helpers of the export tests: users in roles, and reading an export back."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.models import Group

from programs.roles import ensure_roles
from tests.factories import UserFactory


def user_in(role: str) -> Any:
    ensure_roles()
    user = UserFactory(username=f"{role}-user")
    user.groups.add(Group.objects.get(name=role))
    return user


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))
