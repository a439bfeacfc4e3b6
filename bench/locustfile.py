"""Locust users for bench/load.py: editors and analysts browsing, searching, editing and exporting.

Also runnable alone: ``locust -f bench/locustfile.py --headless -u 20 -r 5 -t 2m --host http://127.0.0.1:8108``
(demo accounts must exist: ``manage.py create_demo_users``).
"""

from __future__ import annotations

import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "adctrack-demo-pass")
SEARCHES = ["HER2", "TROP2", "DXd", "MMAE", "EGFR", "Daiichi", "bispecific", "B7-H3", "zz-no-hit"]
EXPORT_PATH = os.environ.get("BENCH_EXPORT_PATH", "")  # e.g. /assets/export/?format=csv once it exists


class _FormParser(HTMLParser):
    """The fields of the first POST form of a page, as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, [""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data


def _unsecure_cookies(client) -> None:  # type: ignore[no-untyped-def]
    # Production cookies are Secure; on plain-HTTP loopback the client would otherwise never send them.
    for cookie in client.cookies:
        cookie.secure = False


class Analyst(HttpUser):
    """Mostly reads; edits through the admin change form; exports when an export URL is given."""

    wait_time = between(0.2, 1.0)
    username = "editor"

    def on_start(self) -> None:
        self.username = random.choice(["admin"])  # the admin change form needs staff; swap for quick form later
        page = self.client.get("/accounts/login/", name="login form")
        _unsecure_cookies(self.client)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="login",
        )
        _unsecure_cookies(self.client)
        listing = self.client.get("/assets/?page=1", name="asset list").text
        self.asset_urls = sorted(set(re.findall(r'href="(/assets/[a-z0-9-]+/)"', listing))) or ["/assets/"]
        payloads = self.client.get("/admin/programs/payload/", name="admin payload list").text
        self.payload_ids = sorted(set(re.findall(r"/admin/programs/payload/(\d+)/change/", payloads)))

    @task(6)
    def browse(self) -> None:
        self.client.get(f"/assets/?page={random.randint(1, 40)}", name="asset list")
        self.client.get(random.choice(self.asset_urls), name="asset detail")

    @task(2)
    def browse_other(self) -> None:
        self.client.get(random.choice(["/companies/", "/targets/", "/deals/", "/"]), name="other list")

    @task(4)
    def search(self) -> None:
        self.client.get("/assets/", params={"q": random.choice(SEARCHES)}, name="search")

    @task(1)
    def edit(self) -> None:
        if not self.payload_ids:
            return
        url = f"/admin/programs/payload/{random.choice(self.payload_ids)}/change/"
        page = self.client.get(url, name="edit form")
        parser = _FormParser()
        parser.feed(page.text)
        data = parser.data
        data["mechanism"] = [f"load test edit {random.randint(0, 10**6)}"]
        data.pop("_addanother", None)
        data.pop("_continue", None)
        _unsecure_cookies(self.client)  # rendering the form re-set the (Secure) CSRF cookie
        with self.client.post(url, data, name="edit save", headers={"Referer": url},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"save refused: {response.status_code}")

    @task(1)
    def export(self) -> None:
        if EXPORT_PATH:
            self.client.get(EXPORT_PATH, name="export")
        else:
            self.client.get("/assets/?page=1", name="export (stand-in: list page 1)")

    @task(1)
    def floor(self) -> None:
        self.client.get("/healthz", name="healthz (floor)")
