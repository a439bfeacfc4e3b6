"""API rate limits a script can live with: per-token rates, an honest ``Retry-After``, rates in the schema.

Why: DRF's own throttles read their rates once, at import (a setting changed later is ignored), allow
no rate per token, and may answer 429 without ``Retry-After`` (when more requests are on record than
the rate allows, e.g. after a rate was lowered, ``wait()`` is None) or with ``Retry-After: 0`` (a wait
under a second). Here:

- anonymous clients share ``API_THROTTLE_ANON`` per address; signed-in users ``API_THROTTLE_USER``
  per user (their session and tokens together);
- a token listed in ``API_THROTTLE_TOKENS`` (``token_key=rate``, the 15-character key shown on the
  tokens page) has that rate, counted for the token alone;
- every 429 carries ``Retry-After``: whole seconds, at least 1, until a request will be allowed again;
- ``describe_rates`` (a drf-spectacular post-processing hook) states the rates in the schema.

Nothing here writes outside the throttle counters in the cache.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

RATE_UNITS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


def rate_is_valid(rate: str) -> bool:
    """``100/minute``-style (DRF's ``num/period``, period by its first letter)."""
    num, _, period = rate.partition("/")
    return num.isdigit() and bool(period) and period[0] in RATE_UNITS


class _CurrentRateMixin:
    """Rates read from the settings at each request (so a changed setting applies without a restart)."""

    rate: str | None
    num_requests: int | None
    duration: int | None
    history: list[float]
    now: float

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # type: ignore[attr-defined]
        return str(rate) if rate else None

    def _use(self, rate: str | None) -> None:
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)  # type: ignore[attr-defined]

    def wait(self) -> float:
        """Seconds until the oldest request that still counts leaves the window (at least 1)."""
        if not self.num_requests or not self.duration:
            return 1
        counted = self.history[: self.num_requests]
        oldest = counted[-1] if counted else self.now
        return max(1, math.ceil(self.duration - (self.now - oldest)))


class AnonThrottle(_CurrentRateMixin, AnonRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        self._use(self.get_rate())
        return super().allow_request(request, view)  # type: ignore[no-any-return]


class UserThrottle(_CurrentRateMixin, UserRateThrottle):
    """Per user; per token, at its own rate, for a token named in ``API_THROTTLE_TOKENS``."""

    def _token_key(self, request: Request) -> str | None:
        key = getattr(request.auth, "token_key", None)
        return key if key and key in token_rates() else None

    def allow_request(self, request: Request, view: Any) -> bool:
        key = self._token_key(request)
        self._use(token_rates()[key] if key else self.get_rate())
        return super().allow_request(request, view)  # type: ignore[no-any-return]

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = self._token_key(request)
        if key:
            return self.cache_format % {"scope": "token", "ident": key}  # type: ignore[no-any-return]
        return super().get_cache_key(request, view)  # type: ignore[no-any-return]


def token_rates() -> dict[str, str]:
    return dict(getattr(settings, "API_THROTTLE_TOKENS", {}) or {})


def _spoken(rate: str | None) -> str:
    if not rate:
        return "unlimited"
    num, _, period = rate.partition("/")
    return f"{num} requests per {RATE_UNITS.get(period[:1], period)}"


def describe_rates(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the rate limits, as configured now, in ``info.description``."""
    rates = {k: str(v) if v else None for k, v in api_settings.DEFAULT_THROTTLE_RATES.items()}
    text = (
        "\n\n## Rate limits\n\n"
        f"- Signed-in users: {_spoken(rates.get('user'))} (`API_THROTTLE_USER`), per user across their "
        "session and tokens.\n"
        f"- Anonymous clients: {_spoken(rates.get('anon'))} (`API_THROTTLE_ANON`), per address.\n"
        "- A token may have its own rate (`API_THROTTLE_TOKENS`, `token_key=rate`), counted for that token "
        f"alone{': ' + str(len(token_rates())) + ' configured' if token_rates() else ''}.\n"
        "- Over the limit the answer is 429 with `Retry-After`: whole seconds to wait before the next request."
    )
    info = result.setdefault("info", {})
    info["description"] = (info.get("description") or "") + text
    return result
