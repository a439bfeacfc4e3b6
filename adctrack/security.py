"""Security events to the ``adctrack.security`` logger: failed logins, lockouts, API token churn.

Permission denials (any 401/403 response) are logged by ``RequestIdMiddleware``, which sees them
whatever produced them. Receivers here are connected when the ``adctrack`` app is ready.
Passwords and token keys are never logged; a failed login names the username tried and the client
(``adctrack.client_ip``: behind a trusted proxy, the forwarded address). ``lockout_response`` is what a
locked-out sign-in gets: the same answer whether or not the username exists.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from knox.models import AuthToken

from adctrack.client_ip import client_ip

log = logging.getLogger("adctrack.security")
LOCKED_OUT_MESSAGE = ("Too many failed sign-ins with this username from your address. Wait an hour and try "
                      "again, or ask an administrator to unlock it.")


def _client(request: Any) -> str | None:
    """The address the lock-out counts failures against (behind a trusted proxy, the forwarded one)."""
    return client_ip(request) if request is not None else None


def lockout_response(request: Any, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: 429 with ``Retry-After``, and a message that is the
    same whether the username exists or not (failures count for any username typed)."""
    seconds = int(timedelta(hours=settings.AXES_COOLOFF_TIME).total_seconds())
    response = HttpResponse(LOCKED_OUT_MESSAGE, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response


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
