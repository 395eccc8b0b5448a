"""Personal API tokens: shown once, usable as Bearer, revocable, expiring."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from yiwang.core.accounts.models import ApiToken
from yiwang.core.audit.models import AuditRecord

TOKENS = "/api/v1/me/tokens"


def create_token(client, name="同步脚本", days=30):
    return client.post(TOKENS, {"name": name, "days": days}, content_type="application/json")


def test_token_secret_is_shown_once_and_only_its_hash_is_kept(client, citizen):
    client.force_login(citizen)

    response = create_token(client)

    assert response.status_code == 201
    secret = response.json()["secret"]
    assert secret.startswith("yw_")
    assert not ApiToken.objects.filter(token_hash=secret).exists()
    listed = client.get(TOKENS).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert "secret" not in item
    assert secret.startswith(item["prefix"])
    assert item["revoked"] is False and item["last_used_at"] is None
    assert AuditRecord.objects.filter(action="core.api_token.created", actor_id=citizen.pk).exists()


def test_token_works_as_bearer_until_revoked(client, citizen):
    client.force_login(citizen)
    created = create_token(client).json()
    client.logout()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {created['secret']}"}

    me = client.get("/api/v1/me", **bearer)
    assert me.status_code == 200
    assert me.json()["id"] == citizen.pk
    assert client.get(TOKENS, **bearer).json()["items"][0]["last_used_at"] is not None

    assert client.delete(f"{TOKENS}/{created['id']}", **bearer).json()["revoked"] is True
    refused = client.get("/api/v1/me", **bearer)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "not_authenticated"


def test_expired_token_is_refused(client, citizen):
    client.force_login(citizen)
    secret = create_token(client, days=1).json()["secret"]
    client.logout()

    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 401


def test_a_token_cannot_mint_another_or_change_the_password(client, citizen):
    client.force_login(citizen)
    secret = create_token(client).json()["secret"]
    client.logout()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    minted = client.post(TOKENS, {"name": "x", "days": 365}, content_type="application/json", **bearer)
    password = client.post(
        "/api/v1/me/password",
        {"old_password": "x", "new_password": "y"},
        content_type="application/json",
        **bearer,
    )

    assert minted.status_code == 403
    assert password.status_code == 403
    assert ApiToken.objects.filter(user=citizen).count() == 1


def test_token_validation_names_the_fields(client, citizen):
    client.force_login(citizen)

    response = create_token(client, name="", days=100000)

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"name", "days"}


def test_another_persons_token_cannot_be_revoked(client, citizen):
    from yiwang.core.accounts.services.tokens import api_token_create
    from yiwang.core.tests import factories

    other = factories.create_citizen()
    token, _ = api_token_create(actor=other, name="他人的令牌")
    client.force_login(citizen)

    assert client.delete(f"{TOKENS}/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_out_of_range_ids_are_not_found(client, citizen):
    client.force_login(citizen)

    for url in ("/api/v1/me/tokens/99999999999999999999999", "/api/v1/posts/99999999999999999999999"):
        response = client.delete(url)
        assert response.status_code in (404, 422), url
