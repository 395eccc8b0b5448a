"""Schema-driven fuzzing: whatever JSON arrives, the answer is the envelope, never a 500."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)

ENDPOINTS = {
    "/api/v1/auth/register": ["username", "password", "display_name", "id_number", "phone", "email"],
    "/api/v1/auth/login": ["username", "password"],
    "/api/v1/officials": [
        "username",
        "password",
        "display_name",
        "phone",
        "department_id",
        "role",
        "city_wide",
    ],
    "/api/v1/orgs/divisions": ["code", "name", "parent_code"],
    "/api/v1/orgs/departments": [
        "name",
        "division_code",
        "parent_id",
        "kind",
        "uscc",
        "short_name",
        "sort_order",
    ],
    "/api/v1/orgs/grids": ["code", "name", "division_code", "department_id", "boundary"],
}


def bodies():
    return st.sampled_from(sorted(ENDPOINTS)).flatmap(
        lambda url: st.tuples(
            st.just(url),
            st.dictionaries(st.sampled_from(ENDPOINTS[url]), json_values, max_size=len(ENDPOINTS[url])),
        )
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=bodies())
def test_malformed_bodies_never_produce_a_server_error(client, sys_admin, department, case):
    url, body = case
    client.force_login(sys_admin)

    response = client.post(url, json.dumps(body), content_type="application/json")

    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}
