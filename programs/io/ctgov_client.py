"""A small, polite HTTP client of the ClinicalTrials.gov API v2: one study by NCT id.

It exists so every path that reads the registry (the sync command and task, the web form's fetch)
asks the same way: the base URL of the ``CTGOV_BASE_URL`` setting, a User-Agent naming adctrack, a
timeout, a rate limit (``CTGOV_RATE_PER_SECOND``) and retries with exponential backoff on 429, 5xx and
connection errors that honour ``Retry-After``. Every failure is a ``CtgovError`` whose message says
what happened to which NCT id. The clock and the sleeper are injectable, so tests never really wait.

It only speaks HTTP and decodes JSON: it must not parse studies or write to the database (that is
``programs.io.ctgov``), and it uses the standard library only (no extra dependency).
"""

from __future__ import annotations

import email.utils
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

NCT = re.compile(r"^NCT\d{8}$")
USER_AGENT = "adctrack (ADC pipeline tracker; ClinicalTrials.gov sync)"
MAX_BODY = 8 * 1024 * 1024  # a study record is tens of kB; a larger answer is not one
MAX_WAIT = 120.0  # seconds: the longest backoff or Retry-After the client accepts before retrying
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class CtgovError(Exception):
    """The study could not be read: offline, unknown NCT id, or not a v2 study record."""


class CtgovNotFound(CtgovError):
    """ClinicalTrials.gov has no study of this NCT id (404)."""


class CtgovUnreachable(CtgovError):
    """The registry could not be reached (connection refused, DNS, timeout), even after retries."""


def pause(seconds: float) -> None:
    """The default sleeper (looked up when a client is made, so tests can replace it)."""
    time.sleep(seconds)


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass
class CtgovClient:
    """Reads studies one at a time, at most ``rate`` requests a second, retrying what is worth retrying.

    ``sleep`` and ``clock`` default to ``pause`` (``time.sleep``) and ``time.monotonic``; ``waits`` records every
    pause the client asked for (rate limit and backoff), which the sync reports and tests assert.
    """

    base_url: str = field(default_factory=lambda: settings.CTGOV_BASE_URL)
    rate: float = field(default_factory=lambda: settings.CTGOV_RATE_PER_SECOND)
    timeout: float = field(default_factory=lambda: settings.CTGOV_TIMEOUT)
    max_retries: int = field(default_factory=lambda: settings.CTGOV_MAX_RETRIES)
    backoff: float = 1.0  # first backoff, doubled on each further retry
    sleep: Callable[[float], None] = field(default_factory=lambda: pause)
    clock: Callable[[], float] = time.monotonic
    waits: list[float] = field(default_factory=list)
    _last_request: float | None = field(default=None, init=False, repr=False)

    def study_url(self, nct_id: str) -> str:
        return f"{self.base_url.rstrip('/')}/api/v2/studies/{nct_id}"

    def get_study(self, nct_id: str) -> dict[str, Any]:
        """The v2 JSON record of one study; ``CtgovError`` (or a subclass) saying why not."""
        nct_id = str(nct_id).strip().upper()
        if not NCT.match(nct_id):
            raise CtgovError(f"{nct_id[:40]!r} is not an NCT id (NCT followed by 8 digits).")
        url = self.study_url(nct_id)
        attempt = 0
        while True:
            self._pace()
            try:
                return self._get_json(url, nct_id)
            except urllib.error.HTTPError as exc:
                status = exc.code
                retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None, time.time())
                exc.close()
                if status == 404:
                    raise CtgovNotFound(f"{nct_id}: ClinicalTrials.gov has no such study (404).") from None
                if status not in RETRY_STATUSES:
                    raise CtgovError(f"{nct_id}: ClinicalTrials.gov answered {status}.") from None
                if attempt >= self.max_retries:
                    what = "rate limited (429)" if status == 429 else f"answered {status}"
                    raise CtgovError(f"{nct_id}: ClinicalTrials.gov {what} after {attempt + 1} attempts.") from None
                self._wait(retry_after if retry_after is not None else self._backoff(attempt))
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                if attempt >= self.max_retries:
                    reason = getattr(exc, "reason", exc)
                    raise CtgovUnreachable(
                        f"{nct_id}: ClinicalTrials.gov could not be reached ({reason}) after {attempt + 1} attempts."
                    ) from None
                self._wait(self._backoff(attempt))
            attempt += 1

    def _get_json(self, url: str, nct_id: str) -> dict[str, Any]:
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
        # The URL is the operator's CTGOV_BASE_URL (validated http/https at start-up) plus an NCT id.
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            body = response.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            raise CtgovError(f"{nct_id}: ClinicalTrials.gov sent more than {MAX_BODY // 1024 // 1024} MB.")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise CtgovError(f"{nct_id}: ClinicalTrials.gov sent something that is not JSON.") from None
        if not isinstance(data, dict):
            raise CtgovError(f"{nct_id}: ClinicalTrials.gov sent JSON that is not a study record.")
        return data

    def _backoff(self, attempt: int) -> float:
        return min(MAX_WAIT, self.backoff * 2**attempt)

    def _wait(self, seconds: float) -> None:
        seconds = min(MAX_WAIT, max(0.0, seconds))
        if seconds > 0:
            self.waits.append(seconds)
            self.sleep(seconds)
        # A retry after a backoff is not held back again by the rate limit.
        self._last_request = None

    def _pace(self) -> None:
        """Keep requests at least 1/rate seconds apart (the registry asks clients to be gentle)."""
        now = self.clock()
        if self._last_request is not None and self.rate > 0:
            gap = 1.0 / self.rate - (now - self._last_request)
            if gap > 0:
                self.waits.append(gap)
                self.sleep(gap)
                now = self.clock()
        self._last_request = now


__all__ = ["NCT", "USER_AGENT", "CtgovClient", "CtgovError", "CtgovNotFound", "CtgovUnreachable"]
