"""Schemathesis over every operation of the OpenAPI schema, against the WSGI application.

Runs as an editor (knox token) on the demo data: no response may be a 5xx or break the schema. The
stateful test follows links between operations (create -> read -> change with its ETag -> delete,
list -> record), added here from the schema's own paths, so a new endpoint is linked too. The editor's
token has its own, high rate (``API_THROTTLE_TOKENS``), so the run cannot throttle itself.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from adctrack.wsgi import application
from tests.api.hypothesis_compat import LinkedResults, install
from tests.conftest import seed_demo

install()

SETTINGS = settings(
    max_examples=8, deadline=None, phases=[Phase.explicit, Phase.generate], derandomize=True, database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.django_db(transaction=True)
def test_it_never_errors_nor_breaks_the_schema(role_tokens: dict[str, str]) -> None:
    seed_demo()
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.from_dict(json.loads(json.dumps(raw, default=str)), app=application)
    headers = {"Authorization": f"Token {role_tokens['editor']}"}
    failures: list[str] = []
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @given(case=operation.as_strategy())
        @SETTINGS
        def check(case: schemathesis.Case) -> None:
            response = case.call_wsgi(headers=headers)
            try:
                case.validate_response(response, checks=(not_a_server_error, response_schema_conformance))
            except AssertionError as exc:
                failures.append(f"{case.operation.verbose_name}: {exc}\n{case.as_curl_command()}")
                raise

        try:
            check()
        except AssertionError:
            pass
    assert not failures, "\n\n".join(failures[:10])


STATEFUL = settings(
    max_examples=60, stateful_step_count=8, deadline=None, derandomize=True, database=None,
    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
)
_DETAIL = re.compile(r"^(?P<list>.+/)\{(?P<key>[^}/]+)\}/$")


def _link_operations(schema: Any) -> int:
    """Links for every collection and its record path: POST 201 and list 200 lead to the record's GET,
    PATCH, PUT and DELETE; a record's GET 200 leads to its PATCH, PUT and DELETE with its ETag."""
    operations = {(op.path, op.method.upper()): op for op in (r.ok() for r in schema.get_all_operations())}
    added = 0
    for (path, method), target in operations.items():
        match = _DETAIL.match(path)
        if match is None:
            continue
        key, listing = match["key"], match["list"]
        field = "token_key" if key == "token_key" else "id"
        sources = [((listing, "POST"), "201", f"$response.body#/{field}")]
        if field == "id":
            sources.append(((listing, "GET"), "200", "$response.body#/results/0/id"))
        if method != "GET":
            sources.append(((path, "GET"), "200", "$response.body#/id"))
        for source_key, status, expression in sources:
            source = operations.get(source_key)
            if source is None:
                continue
            parameters = {f"path.{key}": expression}
            if source_key[1] == "GET" and source_key[0] == path and any(
                    p.name == "If-Match" for p in target.headers or []):
                parameters["header.If-Match"] = "$response.header.ETag"
            schema.add_link(source=source, target=target, status_code=status, parameters=parameters)
            added += 1
    return added


@pytest.fixture
def requests_keep_the_connection() -> Any:
    """As Django's test client does: a request's end must not close the connection the test's
    transaction (and each scenario's savepoint) lives on."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_it_never_errors_following_links_between_operations(settings: Any, role_tokens: dict[str, str],
                                                             requests_keep_the_connection: None) -> None:
    from knox.models import AuthToken

    seed_demo()
    token = role_tokens["editor"]
    key = AuthToken.objects.get(user__username="api-editor").token_key
    settings.API_THROTTLE_TOKENS = {key: "1000000/hour"}  # this run's own rate: it cannot throttle itself
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.from_dict(json.loads(json.dumps(raw, default=str)), app=application)
    assert _link_operations(schema) > 30
    failures: list[str] = []
    steps: list[tuple[str, bool]] = []

    class Workflow(LinkedResults, schema.as_state_machine()):  # type: ignore[misc]
        # Each scenario starts from the same data (a savepoint rolled back after it): hypothesis replays
        # a scenario to report it, and a replay that met other rows would take other steps.
        def setup(self) -> None:
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def step(self, case: schemathesis.Case, previous: Any = None) -> Any:
            result = super().step(case, previous)
            steps.append((case.operation.verbose_name, previous is not None))
            return result

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Token {token}"}}

        def validate_response(self, response: Any, case: schemathesis.Case, additional_checks: Any = ()) -> None:
            try:
                case.validate_response(response, checks=(not_a_server_error,))
            except AssertionError as exc:
                failures.append(f"{case.operation.verbose_name}: {exc}\n{case.as_curl_command()}")
                raise

    try:
        Workflow.run(settings=STATEFUL)
    except AssertionError:
        pass
    assert not failures, "\n\n".join(failures[:10])
    followed = {name for name, linked in steps if linked}
    assert any(name.startswith(("PATCH", "PUT")) for name in followed), f"no link to a change was followed: {followed}"
    assert any(name.startswith("DELETE") for name in followed), f"no link to a delete was followed: {followed}"
