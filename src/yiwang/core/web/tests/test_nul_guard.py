"""A NUL character anywhere in a request is refused before it can reach PostgreSQL."""

import pytest


@pytest.mark.django_db
def test_api_json_field_with_nul_is_a_422_naming_the_field(client):
    response = client.post("/api/v1/auth/register", {"username": "ab\x00c"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"username": "内容不能包含空字符（\\0）"}


@pytest.mark.django_db
def test_api_query_with_nul_is_a_422(client):
    response = client.get("/api/v1/orgs/divisions?q=a%00b")
    assert response.status_code == 422
    assert "q" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_page_form_with_nul_is_a_400_page(client):
    response = client.post("/login/", {"identifier": "x\x00", "password": "y"})
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()
