"""Schema-driven fuzzing of the whole API: every operation in /api/v1/openapi.json gets
random, malformed and half-valid input, anonymously and as a city-wide administrator.

The property: no request, however malformed, gets a 500, and every error is the one
envelope `{"error": {"code", "message", "fields"}}`.
"""

from __future__ import annotations

import json
import re
import string
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.core.tests import factories

pytestmark = pytest.mark.django_db

_PATH_PARAM = re.compile(r"\{([^}]+)\}")

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", "0", "-1", "11010519491231002X", "91350100M000100Y43", "2026-02-30", "../../etc"])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
path_values = st.one_of(
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.text(alphabet=string.ascii_letters + string.digits + "-_.%", min_size=1, max_size=20),
    st.sampled_from(["1", "0", "999999999999999999999", "330100", "2026-10-01", "%00", "null"]),
)


@cache
def _schema() -> dict:
    # Building the OpenAPI document is slow; it does not change within a test run.
    from yiwang.config.api import api

    return api.get_openapi_schema(path_prefix="/api/v1")


@cache
def _operations() -> list[tuple[str, str, dict]]:
    schema = _schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                operations.append((method, path, operation))
    return operations


def _body_properties(operation: dict, components: dict) -> tuple[str | None, list[str]]:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type in ("application/json", "multipart/form-data"):
        if media_type in content:
            schema = content[media_type].get("schema", {})
            ref = schema.get("$ref")
            if ref:
                schema = components.get(ref.rsplit("/", 1)[-1], {})
            return media_type, list(schema.get("properties", {}))
    return None, []


@pytest.fixture
def admin_client(client):
    admin = factories.create_sys_admin()
    client.force_login(admin)
    return client


def _assert_envelope(response, label: str) -> None:
    assert response.status_code < 500, f"{label} → {response.status_code}: {response.content[:500]!r}"
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert set(body) == {"error"}, f"{label} → not the envelope: {body}"
        assert {"code", "message", "fields"} <= set(body["error"]), f"{label} → {body}"
        assert body["error"]["message"], label


def _fuzz(client, data) -> None:
    components = _schema().get("components", {}).get("schemas", {})
    method, template, operation = data.draw(st.sampled_from(_operations()), label="operation")
    path = _PATH_PARAM.sub(lambda _: data.draw(path_values, label="path param"), template)
    query_names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
    query = data.draw(
        st.dictionaries(st.sampled_from(query_names or ["x"]), st.text(max_size=30), max_size=3),
        label="query",
    )
    media_type, properties = _body_properties(operation, components)
    label = f"{method.upper()} {path}"
    if media_type == "application/json":
        body = data.draw(
            st.one_of(
                st.fixed_dictionaries({}, optional={name: json_values for name in properties}),
                json_values,
                st.just("{not json"),
            ),
            label="body",
        )
        raw = body if isinstance(body, str) else json.dumps(body)
        response = client.generic(method.upper(), path + _query(query), raw, content_type="application/json")
    elif media_type == "multipart/form-data":
        fields = data.draw(
            st.fixed_dictionaries({}, optional={name: st.text(max_size=30) for name in properties}),
            label="form",
        )
        response = client.post(path + _query(query), fields)
    else:
        response = client.generic(method.upper(), path + _query(query))
    _assert_envelope(response, label)


def _query(values: dict) -> str:
    from urllib.parse import urlencode

    return ("?" + urlencode(values)) if values else ""


def test_openapi_document_lists_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert len(_operations()) >= 10


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_anonymous_fuzz_never_gets_a_500(client, data):
    _fuzz(client, data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_administrator_fuzz_never_gets_a_500(admin_client, data):
    _fuzz(admin_client, data)
