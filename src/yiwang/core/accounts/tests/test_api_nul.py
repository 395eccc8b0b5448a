"""PostgreSQL refuses NUL characters in text: such input must be a 422/404, never a 500."""

from __future__ import annotations

import pytest

from yiwang.core.tests import factories


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        (
            "post",
            "/api/v1/auth/register",
            {
                "username": "ab\x00c",
                "password": "x",
                "display_name": "张\x00三",
                "id_number": "11010519491231002X",
                "phone": "13812345678",
            },
        ),
        ("post", "/api/v1/auth/login", {"username": "a\x00b", "password": "x\x00"}),
        ("get", "/api/v1/users?q=%00", None),
        ("get", "/api/v1/orgs/divisions?q=%00", None),
        ("get", "/api/v1/orgs/divisions?parent=%00", None),
        ("get", "/api/v1/orgs/departments?q=%00&division=%00", None),
        ("get", "/api/v1/orgs/grids?division=%00", None),
        ("get", "/api/v1/orgs/divisions/%00", None),
        ("get", "/api/v1/orgs/grids/%00", None),
        ("post", "/api/v1/me/tokens", {"name": "a\x00"}),
        ("post", "/api/v1/orgs/divisions", {"code": "330102", "name": "上\x00城", "parent_code": "330100"}),
        (
            "post",
            "/api/v1/orgs/departments",
            {"name": "部\x00门", "division_code": "330100", "short_name": "\x00"},
        ),
        (
            "post",
            "/api/v1/officials",
            {
                "username": "a\x00",
                "password": "x",
                "display_name": "\x00",
                "department_id": 1,
                "role": "hand\x00ler",
            },
        ),
    ],
)
def test_nul_characters_never_reach_the_database(client, city, method, url, body):
    client.force_login(factories.create_sys_admin())

    if body is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, body, content_type="application/json")

    assert response.status_code < 500, response.content
