"""Schemathesis over every operation of the OpenAPI schema, against the WSGI application.

Runs as an editor (knox token) on the demo data: no response may be a 5xx or break the schema.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from adctrack.wsgi import application
from tests.api.hypothesis_compat import install
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
