"""End to end in headless Chromium: an editor records an NMPA IND approval for JS212 with the quick form;
a viewer then sees it on JS212's page and finds no edit button."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from programs.roles import ensure_roles
from tests.conftest import seed_demo

PASSWORD = "e2e-pass-not-secret"  # noqa: S105 - throwaway test accounts
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser_page(transactional_db: None) -> Iterator[object]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _log_in(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.e2e
def test_it_records_an_nmpa_ind_for_js212_and_a_viewer_sees_it(browser_page, live_server) -> None:
    seed_demo()
    groups = ensure_roles()
    for role in ("editor", "viewer"):
        user = get_user_model().objects.create(username=role)
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([groups[role]])
    base = live_server.url

    editor = _log_in(browser_page, base, "editor")
    editor.goto(f"{base}/milestones/quick/")
    # Keyboard only: the asset box has focus; Tab walks the fields in reading order; Enter saves.
    # Chromium applies autofocus at a rendering step after "load": wait for it, or a loaded
    # machine types the code into nothing.
    editor.wait_for_function("document.activeElement && document.activeElement.name === 'asset'")
    editor.keyboard.type("JS212")
    editor.keyboard.press("Tab")
    editor.select_option("select[name=kind]", "ind_cleared")
    editor.select_option("select[name=agency]", "NMPA")
    editor.fill("input[name=date]", "2025-02-18")
    editor.fill("input[name=source_url]", "https://example.com/junshi-js212-nmpa-ind")
    editor.fill("input[name=source_title]", "JS212 IND approved by NMPA")
    editor.focus("input[name=source_title]")
    editor.keyboard.press("Enter")
    try:
        editor.wait_for_url(f"{base}/assets/js212/")
    except PlaywrightTimeout:
        pytest.fail("The quick form did not save: " + editor.inner_text("main")[:2000])
    editor.screenshot(path="/tmp/e2e-editor-js212.png", full_page=True)
    assert "Recorded" in editor.content()

    viewer = _log_in(browser_page, base, "viewer")
    viewer.goto(f"{base}/assets/js212/")
    html = viewer.content()
    viewer.screenshot(path="/tmp/e2e-viewer-js212.png", full_page=True)
    assert "18 Feb 2025" in html and "IND cleared / approved" in html and "NMPA" in html
    assert viewer.locator(".edit-actions").count() == 0
    assert viewer.get_by_text("Record event").count() == 0
    assert viewer.get_by_role("link", name="Edit").count() == 0
