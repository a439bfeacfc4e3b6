"""Generated input for every HTML edit form, as an editor: never a 5xx, and a refusal writes nothing.

Pages come from the URL configuration (every route named ``*_add``, ``*_edit`` or ``quick_*``) and
their fields from the form and formsets each page renders, so a form or field added later is fuzzed
too. Each example starts from what the page would post back unchanged (a new record starts from a
saved one's values, so saves happen as well as refusals) and replaces some fields with generated
values: valid choices and ids, malformed numbers and dates, ``%`` and ``{}`` templates, NUL, huge
numbers, other records' names. A refused form (200) leaves every table's row count and the edited
record's version as they were.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest
from django import forms
from django.db import models
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.faults.editforms import counts, editor_client, management
from tests.faults.formdata import form_values
from tests.test_permission_matrix import Route, _fill, _url, routes

pytestmark = pytest.mark.django_db
PAGES = ("*:*_add", "*:*_edit", "*:quick_*")
FUZZ = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: slow; the input is printed as drawn
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
JUNK = st.sampled_from([
    "", " ", "%", "%v", "%s", "%(x)s", "{}", "{0}", "-1", "0", "9" * 40, "1e309", "NaN", "-0.0", "2024-13-45",
    "2025-02-30", "Q5 2026", "Q2 2026", "2026-H1", "2026", "<script>alert(1)</script>", "../../etc/passwd",
    "EGFR; HER3", "EGFR; EGFR; EGFR; EGFR; EGFR", "Ed-04; ed-04", "x" * 1001, "\x00", "🧬", "NCT00000000",
    "https://example.com/a", "javascript:alert(1)",
]) | st.text(max_size=120)


# Pages that edit no saved record get a valid start here, so examples save as well as fail. Keyed by
# URL name; a page missing here starts from its empty form.
SEEDS: dict[str, dict[str, str]] = {
    "milestones:quick_milestone": {"asset": "BL-B01D1", "kind": "ind_cleared", "agency": "NMPA", "date": "2024-05-01",
                                   "status": "occurred", "source_url": "https://example.com/fuzz-quick"},
    "milestones:quick_mark_occurred": {"date": "2025-05-10"},
}


def _pages() -> list[Route]:
    return [r for r in routes() if any(fnmatch.fnmatchcase(r.name, p) for p in PAGES)]


def _choices(field: forms.Field) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        return [str(pk) for pk in field.queryset.order_by("pk").values_list("pk", flat=True)[:5]]
    if isinstance(field, forms.ChoiceField):
        return [str(key) for key, _ in field.choices if not isinstance(_, list | tuple)][:30]
    return []


def _value(field: forms.Field) -> st.SearchStrategy[Any]:
    """Values for one field: its own valid-looking values mixed with junk."""
    choices = _choices(field)
    own: st.SearchStrategy[Any]
    if isinstance(field, forms.BooleanField):
        own = st.sampled_from(["on", ""])
    elif isinstance(field, forms.IntegerField):
        own = st.integers(-(2**70), 2**70).map(str)
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        own = st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str)
    elif isinstance(field, forms.DateField):
        own = st.dates().map(lambda d: d.isoformat())
    else:
        own = JUNK
    if choices:
        own = st.sampled_from(choices) | own
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(own, max_size=3)
    return own


def _fields(response: Any) -> dict[str, forms.Field]:
    """Every input of the page by its posted name: the form's and each formset row's (one extra row)."""
    context = response.context
    found = {context["form"].add_prefix(n): f for n, f in context["form"].fields.items()}
    for prefix, formset in (context.get("formsets") or {}).items():
        for i, form in enumerate([*formset.initial_forms, formset.empty_form]):
            for name, field in form.fields.items():
                found[f"{prefix}-{i}-{name}"] = field
    return found


def _baseline(response: Any, copy: bool = False) -> dict[str, Any]:
    """What the page posts back unchanged, with room for one new row per formset.

    ``copy``: the page edits a saved record whose values a new one starts from (no version, no rows).
    """
    context = response.context
    data = form_values(context["form"])
    if copy:
        data.pop("version", None)
    for prefix, formset in (context.get("formsets") or {}).items():
        rows = 0 if copy else len(formset.initial_forms)
        data |= management(prefix, rows + 1, rows)
        for form in formset.initial_forms[:rows]:
            data |= form_values(form)
        # The new row as the browser sends it untouched (its initial values): left blank, not saved.
        data |= {k.replace("__prefix__", str(rows)): v for k, v in form_values(formset.empty_form).items()}
    return data


def _source_page(client: Any, route: Route) -> str | None:
    """For an add page: the edit page of a saved record of the same model, whose values seed the examples."""
    if not route.name.endswith("_add"):
        return None
    edit = next((r for r in routes() if r.name == route.name.removesuffix("_add") + "_edit"), None)
    return _url(edit, _fill(edit)) if edit is not None else None


def _record(route: Route, values: dict[str, Any]) -> models.Model | None:
    """The record an edit page changes (for its version), if any."""
    response_model = None
    if "pk" in values:
        from tests.test_permission_matrix import _model_for

        short = route.name.split(":")[-1]
        response_model = _model_for(short.rsplit("_", 1)[0].removeprefix("quick_"))
    if response_model is None:
        return None
    return response_model._default_manager.filter(pk=values["pk"]).first()


@pytest.mark.parametrize("route", _pages(), ids=lambda r: r.name)
def test_it_never_errors_and_a_refusal_writes_nothing(demo_data: None, route: Route) -> None:
    client = editor_client()
    values = _fill(route)
    url = _url(route, values)
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} -> {page.status_code}"
    if page.context.get("form") is None:
        pytest.fail(f"{route.name} renders no form: give it a rule in PAGES or a form")
    fields = _fields(page)
    record = _record(route, values)
    seed = _source_page(client, route)
    names = sorted(fields)

    @FUZZ
    @given(st.lists(st.sampled_from(names), max_size=6, unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({name: _value(fields[name]) for name in chosen})))
    @example({})  # the page posted back unchanged
    def post(changes: dict[str, Any]) -> None:
        current = client.get(seed or url)  # the version as it is now: an earlier example may have saved
        data = _baseline(current, copy=seed is not None) | SEEDS.get(route.name, {}) | changes
        before = counts()
        version = _version(record)
        response = client.post(url, data)
        assert response.status_code in {200, 302}, f"POST {url} {data!r} -> {response.status_code}"
        if response.status_code == 200:
            assert counts() == before, f"refused POST {url} {data!r} wrote rows"
            assert _version(record) == version, f"refused POST {url} {data!r} changed the record"

    post()


def _version(record: models.Model | None) -> int | None:
    if record is None or not hasattr(record, "version"):
        return None
    return type(record)._default_manager.filter(pk=record.pk).values_list("version", flat=True).first()
