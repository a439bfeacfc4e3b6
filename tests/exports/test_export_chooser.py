"""The column chooser under the asset and deal lists: its form, submitted as a browser would, exports
the list's rows with the ticked columns; viewers (who cannot export) see no chooser."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from programs.io.export.books import ASSET_BOOK, DEAL_BOOK
from tests.exports.helpers import body, user_in
from tests.factories import AssetFactory, DealFactory


class _ChooserForm(HTMLParser):
    """The chooser form's action and what a browser sends: hidden fields, the select's first option;
    ``boxes`` lists each checkbox with whether it comes ticked."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.inside = self.in_select = False
        self.fields: list[tuple[str, str]] = []
        self.boxes: list[tuple[str, bool]] = []
        self.select_taken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "chooser-form" in a.get("class", ""):
            self.action, self.inside = a["action"], True
        elif not self.inside:
            return
        elif tag == "input" and a.get("type") == "hidden":
            self.fields.append((a["name"], a["value"]))
        elif tag == "input" and a.get("type") == "checkbox":
            self.boxes.append((a["value"], "checked" in a))
        elif tag == "select":
            self.in_select, self.select_name = True, a["name"]
        elif tag == "option" and self.in_select and not self.select_taken:
            self.fields.append((self.select_name, a["value"]))
            self.select_taken = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.in_select = False


def _form(html: str) -> _ChooserForm:
    parser = _ChooserForm()
    parser.feed(html)
    return parser


def _submit(client: Client, form: _ChooserForm, ticked: list[str]) -> openpyxl.Workbook:
    assert form.action
    response = client.get(f"{form.action}?{urlencode(form.fields + [('columns', k) for k in ticked])}")
    assert response.status_code == 200, body(response)[:300]
    return openpyxl.load_workbook(io.BytesIO(body(response)))


@pytest.mark.parametrize(
    ("page", "book", "sheet"), [("deal_list", DEAL_BOOK, "Deals"), ("asset_list", ASSET_BOOK, "Assets")]
)
def test_the_chooser_exports_the_list_with_the_ticked_columns(
    db: None, bd_client: Client, page: str, book: Any, sheet: str
) -> None:
    DealFactory(title="Licence A", kind="licence")
    DealFactory(title="Option B", kind="option")
    AssetFactory(code="AB-1", antibody_format="bispecific")
    AssetFactory(code="AB-2", antibody_format="monospecific_igg")
    query = {"kind": "licence"} if page == "deal_list" else {"antibody_format": "bispecific"}
    html = bd_client.get(reverse(f"programs:{page}"), {**query, "page": "1"}).content.decode()
    form = _form(html)
    # the list's filters ride along (not its page); the page's columns come ticked, the others not
    assert dict(form.fields) == {**query, "format": "xlsx"}
    assert form.boxes == [(c.key, c.on_page) for c in book]
    extra = next(c for c in book if not c.on_page)
    ticked = [k for k, on in form.boxes if on][:2] + [extra.key]
    wb = _submit(bd_client, form, ticked)
    ws = wb[sheet]
    assert [c.value for c in ws[1]] == [c.label for c in book if c.key in ticked]
    assert ws.max_row == 2  # only the filtered row


def test_viewers_see_no_chooser(db: None, client: Client) -> None:
    client.force_login(user_in("viewer"))
    for page in ("deal_list", "asset_list"):
        html = client.get(reverse(f"programs:{page}")).content.decode()
        assert "chooser-form" not in html and _form(html).action is None
