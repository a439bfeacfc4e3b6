"""End to end in headless Chromium: log in, search, filter by a target pair, open an asset, read its timeline."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model

from programs.roles import VIEWER, ensure_roles
from tests.conftest import seed_demo

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs beside the live server

pytestmark = pytest.mark.e2e
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser_page(live_server, transactional_db) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    seed_demo()
    user = get_user_model().objects.create_user("e2e-viewer", password="e2e-viewer-pass-123")
    user.groups.add(ensure_roles()[VIEWER])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "e2e-viewer")
        page.fill("input[name=password]", "e2e-viewer-pass-123")
        page.locator("form button[type=submit], form input[type=submit]").last.click()
        page.wait_for_load_state()
        yield page
        browser.close()


def test_it_searches_filters_opens_and_reads_the_timeline(browser_page, live_server) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto(f"{live_server.url}/assets/")
    page.fill(".inline-search input[name=q]", "iza-bren")
    page.click(".inline-search button")
    page.wait_for_load_state()
    assert page.locator("table.data tbody a", has_text="BL-B01D1").count() == 1
    assert page.locator("table.data tbody tr").count() == 1

    page.click("a[href='/assets/']")
    page.wait_for_load_state()
    page.locator("details.facet", has_text="Target pair").locator("a", has_text="EGFR × MUC1").click()
    page.wait_for_load_state()
    assert "pair=EGFR-MUC1" in page.url
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1
    page.locator("table.data tbody a", has_text="NEOK002").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("NEOK002")
    timeline = page.locator("table.timeline tbody").inner_text()
    assert "Q2 2026" in timeline and "IND cleared / approved · FDA" in timeline and "date not stated" in timeline
    assert page.locator("table.timeline tbody tr.planned").count() == 1


def test_the_api_docs_render_their_operations_under_the_csp(browser_page, live_server) -> None:  # type: ignore[no-untyped-def]
    """Swagger UI's start-up script is a file, not inline: the CSP blocked the inline one and the page was blank."""
    page = browser_page
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert page.locator(".opblock-summary-path", has_text="/api/v1/trials/").count() >= 1
    assert blocked == []
