"""Hundreds of generated bad inputs: never a 500, and a refused input writes nothing.

Admin add forms get random field values; every route (pages and, after merge, the API) gets
random JSON bodies from an editor. Routes come from the permission matrix's URL walk, so views
added later are fuzzed too.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import _fill, _url, routes

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                derandomize=True, phases=[Phase.explicit, Phase.generate])  # no shrinking: slow, and the
# failing input is printed as generated
FUZZ_JSON = settings(FUZZ, max_examples=120)
ADMIN_FORMS = ["programs.Company", "programs.Target", "programs.Payload", "programs.Source", "milestones.Milestone"]
text = st.one_of(st.text(max_size=300), st.sampled_from(["", " ", "-1", "0", "9" * 40, "2024-13-45", "<script>",
                                                         "NaN", "1e309", "\x00", "../../etc/passwd"]))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=4),
    max_leaves=12,
)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for label in ("programs", "milestones")
            for m in apps.get_app_config(label).get_models()}


def _client(username: str) -> Client:
    user = get_user_model().objects.create_superuser(username, f"{username}@example.org", None)
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("label", ADMIN_FORMS)
def test_it_survives_random_admin_add_forms(label: str) -> None:
    client = _client("fuzz-admin")
    model = apps.get_model(label)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
    form = client.get(url).context["adminform"].form
    fields = [name for name, f in form.fields.items() if not f.disabled]
    # Autocomplete fields get ids, junk included: Django's widget re-renders a refused form by querying
    # pk__in=<the raw values>, a 500 on "abc" until programs.admin_inputs dropped such values.
    ids = st.sampled_from(["", "0", "1", "999999999", "abc", "1.5", "-"]) | text
    def is_autocomplete(name: str) -> bool:
        widget = form.fields[name].widget
        return "Autocomplete" in type(getattr(widget, "widget", widget)).__name__  # unwrap RelatedFieldWidgetWrapper

    strategies = {name: ids if is_autocomplete(name) else text for name in fields}

    @FUZZ
    @given(st.fixed_dictionaries(strategies))
    def post(values: dict[str, str]) -> None:
        before = _counts()
        response = client.post(url, {k: v.replace("\x00", "") for k, v in values.items()})
        assert response.status_code in {200, 302}, response.status_code
        after = _counts()
        if response.status_code == 200:  # refused: nothing written, not even history
            assert after == before
        else:
            assert after[label] == before[label] + 1

    post()


def test_it_survives_random_json_bodies_on_every_route(demo_data: None) -> None:
    client = _client("fuzz-json")
    urls = [_url(r, _fill(r)) for r in routes() if not r.name.endswith(("logout", "_delete"))]

    @FUZZ_JSON
    @given(st.sampled_from(urls), st.sampled_from(["POST", "PUT", "PATCH"]), json_values)
    def send(url: str, method: str, body: object) -> None:
        before = _counts()
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, f"{method} {url} {body!r} -> {response.status_code}"
        if response.status_code >= 400 or response.status_code == 200 and method != "POST":
            assert _counts() == before

    send()


@pytest.mark.parametrize("junk", ["abc", "9" * 40, "1.5"])
def test_it_refuses_a_malformed_related_id_in_the_admin_beside_the_field(junk: str) -> None:
    client = _client("junk-admin")
    before = _counts()
    response = client.post("/admin/programs/company/add/", {"name": "Junk Id Co", "slug": "junk-id-co",
                                                            "kind": "biotech", "sources": junk})
    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert _counts() == before
