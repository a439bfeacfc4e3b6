"""Locust users for bench/load.py: analysts browse and search, BD users export deal tables, editors edit.

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
# What a business-development user asks for: a deal list filtered to a question, then the same list as a
# file. CSV for the larger lists (hundreds of rows on the load data); XLSX for a small one, as a BD user
# pastes into a slide (built in the request: well under ADCTRACK_XLSX_SYNC_MAX_ROWS).
DEAL_QUESTIONS = ["kind=licence&year_min=2020", "target=ERBB2", "kind=licence&value_min=1000", "status=active",
                  "kind=co_development", "value_min=500&ordering=-announced"]
SMALL_DEAL_QUESTIONS = ["year_min=2025", "target=TACSTD2&kind=licence", "kind=option&year_min=2022"]


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


class _SignedIn(HttpUser):
    """A user of one demo account, signed in through the login form (cookies made usable on plain HTTP)."""

    abstract = True
    wait_time = between(0.2, 1.0)
    # A request that hangs fails instead of stalling its user: the run stays bounded.
    connection_timeout = 10.0
    network_timeout = 60.0
    username = "viewer"

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        _unsecure_cookies(self.client)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        with self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="login", allow_redirects=False, catch_response=True,
        ) as response:
            if response.status_code != 302:  # a refused login answers 200 with the form again
                response.failure(f"login of {self.username} refused: {response.status_code}")
        _unsecure_cookies(self.client)

    @task(1)
    def floor(self) -> None:
        self.client.get("/healthz", name="healthz (floor)")


class Analyst(_SignedIn):
    """Reads: asset list and pages, the other directories and the dashboard, search."""

    weight = 2
    username = "viewer"

    def on_start(self) -> None:
        super().on_start()
        listing = self.client.get("/assets/?page=1", name="asset list").text
        self.asset_urls = sorted(set(re.findall(r'href="(/assets/[a-z0-9-]+/)"', listing))) or ["/assets/"]

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


class BusinessDeveloper(_SignedIn):
    """Filters the deal list to a question, then exports it: CSV of the list, XLSX of a small list."""

    weight = 1
    username = "bd"

    @task(3)
    def deal_list(self) -> None:
        self.client.get(f"/deals/?{random.choice(DEAL_QUESTIONS)}", name="deal list (filtered)")

    @task(2)
    def export_csv(self) -> None:
        url = f"/deals/export/?format=csv&{random.choice(DEAL_QUESTIONS)}"
        with self.client.get(url, name="export deals CSV", catch_response=True) as response:
            # A 200 that is not the CSV (a login page, an error page) must count as a failure.
            if response.status_code != 200 or not response.text.startswith("announced,licensor,licensee"):
                response.failure(f"not a deal CSV: {response.status_code} {response.text[:80]!r}")

    @task(1)
    def export_xlsx(self) -> None:
        url = f"/deals/export/?format=xlsx&{random.choice(SMALL_DEAL_QUESTIONS)}"
        with self.client.get(url, name="export deals XLSX (small)", catch_response=True) as response:
            if response.status_code != 200 or not response.content.startswith(b"PK"):  # XLSX is a zip file
                response.failure(f"not an XLSX: {response.status_code} {response.content[:80]!r}")


class Editor(_SignedIn):
    """Edits payloads through the admin change form (an unchanged form plus one new value), and reads."""

    weight = 1
    username = "admin"  # the admin change form needs a staff account

    def on_start(self) -> None:
        super().on_start()
        payloads = self.client.get("/admin/programs/payload/", name="admin payload list").text
        self.payload_ids = sorted(set(re.findall(r"/admin/programs/payload/(\d+)/change/", payloads)))

    @task(3)
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

    @task(2)
    def browse(self) -> None:
        self.client.get(f"/assets/?page={random.randint(1, 40)}", name="asset list")
        self.client.get("/assets/", params={"q": random.choice(SEARCHES)}, name="search")


USERS = [Analyst, BusinessDeveloper, Editor]
