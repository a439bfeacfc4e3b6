"""The client's address, as the lock-out and the security log see it.

Why: behind the TLS proxy docs/deploy.md asks for, every request comes from the proxy's address; keyed
on that, five wrong passwords from anyone would lock everyone out. The real client is in the
proxy's ``X-Forwarded-For``, but any client can send that header, so it is believed only when the
request comes from a proxy listed in ``TRUSTED_PROXIES`` (addresses or networks). The header is read
from the right (each proxy appends the address it saw) and the first address that is not itself a
trusted proxy is the client: an address a client put at the left cannot be chosen that way.

It must not trust ``X-Forwarded-For`` from anyone else, and never raises on a malformed header (the
connecting address is used instead).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str], variable: str = "TRUSTED_PROXIES") -> tuple[Network, ...]:
    """``["10.0.0.0/8", "127.0.0.1", "::1"]`` -> networks; a malformed entry stops start-up naming it."""
    found = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            found.append(ipaddress.ip_network(value, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"Environment variable {variable} is malformed: {value!r}: {exc}") from exc
    return tuple(found)


@lru_cache(maxsize=8)
def _trusted(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(list(values))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(address: Any, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request: Any) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind a trusted proxy the forwarded one."""
    meta = getattr(request, "META", {}) or {}
    remote = meta.get("REMOTE_ADDR")
    networks = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not is_trusted(_address(remote or ""), networks):
        return remote
    forwarded = [part for part in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    for part in reversed(forwarded):
        address = _address(part)
        if address is None:
            return remote  # garbage where a proxy should have written an address: believe nothing more
        if not is_trusted(address, networks):
            return str(address)
    return remote
