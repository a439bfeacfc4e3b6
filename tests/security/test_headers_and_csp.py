"""Security headers on every response: CSP without inline script, HSTS, cookies, request id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.mark.django_db
def test_it_sends_a_csp_without_unsafe_inline_script() -> None:
    response = Client().get("/accounts/login/", secure=True)
    csp = response["Content-Security-Policy"]
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp


@pytest.mark.django_db
def test_it_sends_hsts_and_secure_httponly_session_cookies() -> None:
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert settings.SESSION_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_SECURE


@pytest.mark.django_db
def test_it_redirects_plain_http_to_https_except_the_health_check(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/accounts/login/").status_code == 301
    assert Client().get("/healthz").status_code == 200


def _template_files() -> list[Path]:
    dirs = [ROOT / "templates", *ROOT.glob("*/templates")]
    return [p for d in dirs for p in d.rglob("*.html")]


def test_it_has_no_inline_script_in_any_template() -> None:
    """CSP forbids inline script: every script is a static file. Covers templates added later."""
    offenders = []
    for path in _template_files():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert _template_files(), "no templates found"
    assert not offenders, "inline script (move it to a static .js file):\n" + "\n".join(offenders)
