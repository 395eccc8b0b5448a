import pytest
from django.test import override_settings


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_migrations(db, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_metrics_are_off_by_default(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_metrics_count_requests_when_enabled(client):
    with override_settings(METRICS_ENABLED=True, METRICS_TOKEN=""):
        client.get("/healthz")
        body = client.get("/metrics").content.decode()
    assert "yiwang_http_requests_total" in body
    assert 'method="GET",status="200"' in body


def test_metrics_token_is_required_when_set(client):
    with override_settings(METRICS_ENABLED=True, METRICS_TOKEN="s3cret"):
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200
