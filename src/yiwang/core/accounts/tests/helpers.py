"""Test helpers for the accounts and orgs APIs."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str) -> int:
    """How many queries one GET takes (after a warm-up request, so the throttle's cache row
    exists and each call does the same bookkeeping)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)
