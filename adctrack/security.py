"""Security events to the ``adctrack.security`` logger: failed logins, lockouts, API token churn.

Permission denials (any 401/403 response) are logged by ``RequestIdMiddleware``, which sees them
whatever produced them. Receivers here are connected when the ``adctrack`` app is ready.
Passwords and token keys are never logged; a failed login names the username tried and the client.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from knox.models import AuthToken

log = logging.getLogger("adctrack.security")


def _client(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_login_failed)
def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    log.warning("login failed", extra={"event": "login_failed", "username": credentials.get("username"),
                                       "client": _client(request)})


@receiver(user_locked_out)
def locked_out(sender: Any, request: Any = None, username: str | None = None, ip_address: str | None = None,
               **kwargs: Any) -> None:
    log.warning("account locked out", extra={"event": "locked_out", "username": username, "client": ip_address})


@receiver(user_logged_in)
def logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    log.info("login", extra={"event": "login", "username": user.get_username() if user else None,
                             "client": _client(request)})


@receiver(post_save, sender=AuthToken)
def token_created(sender: Any, instance: AuthToken, created: bool, **kwargs: Any) -> None:
    if created:
        log.info("API token created", extra={"event": "token_created", "username": instance.user.get_username(),
                                             "token_prefix": instance.token_key, "expiry": instance.expiry})


@receiver(post_delete, sender=AuthToken)
def token_revoked(sender: Any, instance: AuthToken, **kwargs: Any) -> None:
    log.info("API token revoked", extra={"event": "token_revoked", "user_id": instance.user_id,
                                         "token_prefix": instance.token_key})
