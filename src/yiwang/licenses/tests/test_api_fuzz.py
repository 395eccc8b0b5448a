"""The licence API's writes, fuzzed with a real library behind them (the platform-wide fuzz test
meets an empty database): whatever the body, an answer in the envelope, never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.licenses.services.payload import signed_document
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import FOOD_DATA, FOOD_FIELDS, issue_food

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "2026-02-30", "2026-05-01", "餐饮服务经营者", "#12AB9f", "citizen", "Ed25519"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _bodies(lib, license_):
    license_id = license_.pk
    known = {
        "/verify": signed_document(license_),
        "/types": {
            "code": f"{lib.market.uscc}099",
            "name": "x",
            "holder_kind": "citizen",
            "defining_department_id": lib.market.pk,
            "issuer_ids": [lib.market.pk],
            "fields": FOOD_FIELDS,
            "validity": {"years": 1},
        },
        "/issue": {
            "type_code": lib.food_type.code,
            "holder_code": lib.enterprise.uscc,
            "number": "1",
            "data": FOOD_DATA,
        },
        f"/{license_id}/revise": {"data": FOOD_DATA, "number": "2"},
        "/lookup": {"holder_code": lib.enterprise.uscc, "type_code": lib.food_type.code, "purpose": "x"},
        f"/types/{lib.food_type.pk}": {"version": lib.food_type.version},
        "/keys": {"department_id": lib.market.pk},
    }
    return known


@pytest.fixture
def admin_client(client, library):
    client.force_login(library.sys_admin)
    return client


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_half_valid_bodies_never_get_a_500(admin_client, library, data):
    bodies = _bodies(library, issue_food(library))
    path = data.draw(st.sampled_from(sorted(bodies)), label="path")
    body = dict(bodies[path])
    for name in data.draw(st.lists(st.sampled_from(sorted(body)), max_size=3, unique=True), label="replaced"):
        body[name] = data.draw(values, label=name)
    if (
        path == "/verify"
        and isinstance(body["payload"], dict)
        and body["payload"]
        and data.draw(st.booleans(), label="payload item")
    ):
        body["payload"] = {
            **body["payload"],
            data.draw(st.sampled_from(sorted(body["payload"]))): data.draw(values),
        }
    if "data" in body and data.draw(st.booleans(), label="nested data"):
        body["data"] = {
            **FOOD_DATA,
            **data.draw(
                st.dictionaries(
                    st.sampled_from(["capital", "category", "founded_on", "x"]), values, max_size=2
                )
            ),
        }
    method = "PATCH" if path.startswith("/types/") else "POST"
    response = admin_client.generic(
        method, f"/api/v1/licenses{path}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code < 500, (path, body, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}
