"""Test helpers: put records on a chosen chain, and tamper like an attacker with DB access."""

from __future__ import annotations

import importlib
from contextlib import contextmanager

from django.db import connection

from yiwang.core.audit import services as audit

# The triggers are restored from the migration that created them, so the two cannot drift.
_append_only = importlib.import_module("yiwang.core.audit.migrations.0002_append_only")

TABLE = "audit_auditrecord"


def record_on_chain(
    number: int, *, monkeypatch, actor=None, action="test.thing.changed", target=None, changes=None
):
    """As if a new transaction had picked chain `number` (tests run inside one transaction,
    so without this every record of a test lands on the same chain)."""
    monkeypatch.setattr(audit.random, "randrange", lambda _stop: number)
    if hasattr(connection, audit._CONNECTION_MEMO):
        delattr(connection, audit._CONNECTION_MEMO)
    return audit.record(actor=actor, action=action, target=target, changes=changes)


@contextmanager
def append_only_disabled():
    """What an attacker with database access does first: switch the append-only triggers
    off (PostgreSQL) or drop them (SQLite, which cannot disable a trigger); restored after."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_record_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_record_no_delete")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            else:
                for statement in _append_only.SQLITE:
                    cursor.execute(statement)
