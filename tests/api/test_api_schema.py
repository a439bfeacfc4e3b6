"""The OpenAPI document is valid OpenAPI 3, documents errors, and the docs page uses no CDN."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema as validate


@pytest.mark.django_db
def test_it_serves_a_valid_openapi_3_schema(client: Client) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    asset_list = schema["paths"]["/api/v1/assets/"]["get"]
    assert {"400", "401", "403"} <= set(asset_list["responses"])
    patch = schema["paths"]["/api/v1/assets/{id}/"]["patch"]
    assert "412" in patch["responses"] and any(p["name"] == "If-Match" for p in patch["parameters"])
    assert "Drug-to-antibody ratio" in str(schema["components"]["schemas"]["Asset"])  # fields are described
    assert "enum" in str(schema["components"]["schemas"]["PhaseEnum"])


@pytest.mark.django_db
def test_it_serves_swagger_ui_without_a_cdn(client: Client) -> None:
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower()
