"""API tokens (django-rest-knox): stored hashed, optional expiry; each user manages their own.

Shared by the /account/tokens/ page and /api/v1/tokens/. The clear token exists only in the
response that created it; afterwards only its 15-character prefix (``token_key``, knox's
``TOKEN_KEY_LENGTH``) identifies it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from knox.models import AuthToken

MAX_EXPIRY_DAYS = 3650


def tokens_of(user: AbstractBaseUser) -> QuerySet[AuthToken]:
    return AuthToken.objects.filter(user=user).order_by("-created")


def create_token(user: AbstractBaseUser, expiry_days: int | None) -> tuple[AuthToken, str]:
    """A new token for ``user``; ``expiry_days`` None means it never expires."""
    expiry = dt.timedelta(days=expiry_days) if expiry_days else None
    return AuthToken.objects.create(user=user, expiry=expiry)  # type: ignore[no-any-return]


def revoke_token(user: AbstractBaseUser, token_key: str) -> bool:
    """Delete the user's token(s) with this prefix; False when none matched (someone else's or gone)."""
    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return deleted > 0
