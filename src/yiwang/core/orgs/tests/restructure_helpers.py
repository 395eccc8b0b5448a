"""Helpers shared by the restructuring tests."""

from __future__ import annotations

from yiwang.core.orgs.models import Department

ORGS = "/api/v1/orgs"


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def fresh(department: Department) -> Department:
    return Department.objects.get(pk=department.pk)
