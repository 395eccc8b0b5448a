"""`record`: the one audit function every state change calls, inside its own transaction.

Usage: `from yiwang.core.audit import services as audit` then
`audit.record(actor=actor, action="core.user.locked", target=user, changes={...})`.
"""

from __future__ import annotations

import json
import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_ipv46_address
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from yiwang.core import request_context
from yiwang.core.audit.chain import record_hash
from yiwang.core.audit.models import GENESIS_HASH, AuditChain, AuditRecord

_CONNECTION_MEMO = "_yiwang_audit_chain"


def _chain_marker() -> None:
    """Registered with on_commit; its presence in the connection's pending callbacks tells
    us we are still in the transaction that picked the chain."""


def _chain_for_current_transaction() -> int:
    """One chain per transaction: a transaction that writes several records locks only one
    chain head, so two transactions can never wait on each other's chains (no deadlock)."""
    connection = transaction.get_connection()
    memo = getattr(connection, _CONNECTION_MEMO, None)
    if memo is not None:
        marker, number = memo
        if any(callback is marker for _, callback, _ in connection.run_on_commit):
            return number
    number = random.randrange(max(1, settings.AUDIT_CHAINS))

    def marker() -> None:
        _chain_marker()

    transaction.on_commit(marker)
    setattr(connection, _CONNECTION_MEMO, (marker, number))
    return number


def _number(text: str) -> float | int:
    # PostgreSQL's jsonb keeps numbers as `numeric` and gives `1e+20` or `-0.0` back as the
    # integers 100000000000000000000 and 0; store whole floats as integers up front so the
    # value read back is the value that was hashed.
    value = float(text)
    return int(value) if value.is_integer() else value


def _jsonable(changes: dict | None) -> dict:
    # Store exactly what was hashed: round-trip through JSON so that dates, decimals and
    # UUIDs hash the same way when `yiwang audit verify` reads them back.
    return json.loads(
        json.dumps(changes or {}, cls=DjangoJSONEncoder, ensure_ascii=False), parse_float=_number
    )


def _address(raw: str | None) -> str | None:
    """The address as the database will store it, so the hash covers the stored form: an
    IPv6 address is compressed (`2001:0db8::0001` → `2001:db8::1`), and anything that is not
    an address is dropped rather than failing the caller's business transaction."""
    if not raw:
        return None
    try:
        validate_ipv46_address(raw)
    except ValidationError:
        return None
    return clean_ipv6_address(raw) if ":" in raw else raw


def target_label(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        meta = target._meta
        return f"{meta.app_label}.{meta.model_name}", str(target.pk), str(target)[:255]
    return type(target).__name__, "", str(target)[:255]


# AuditChain's table and columns, written out: see `_lock_head` for why this is plain SQL.
_READ_HEAD = "SELECT last_seq, last_hash FROM audit_auditchain WHERE number = %s"
_LOCK_HEAD = "SELECT last_seq, last_hash FROM audit_auditchain WHERE number = %s FOR UPDATE"
_ADVANCE_HEAD = "UPDATE audit_auditchain SET last_seq = %s, last_hash = %s WHERE number = %s"


def _lock_head(connection, number: int) -> tuple[int, str] | None:
    """Lock chain `number`'s head until commit and read it. Plain SQL, not a queryset: this
    runs inside every audited transaction, and building the ORM queries cost more than the
    round trips themselves (bench/audit_throughput.py). SQLite has no row locks (and no
    FOR UPDATE): its writers queue on the database lock instead."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_HEAD if connection.features.has_select_for_update else _READ_HEAD, [number])
        return cursor.fetchone()


def _advance_head(connection, number: int, seq: int, hash_: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_ADVANCE_HEAD, [seq, hash_, number])


def record(*, actor, action: str, target=None, changes: dict | None = None) -> AuditRecord:
    """Append one audit record in the caller's transaction (or its own, if there is none)."""
    # Everything that does not depend on the chain is prepared before its head is locked.
    context = request_context.current()
    target_type, target_id, target_repr = target_label(target)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditRecord(
        actor_id=actor.pk if authenticated else None,
        actor_name=str(actor)[:128] if authenticated else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        changes=_jsonable(changes),
        client_address=_address(context.client_address),
        channel=context.channel[:255],
    )
    # No savepoint of its own: SAVEPOINT/RELEASE cost two round trips per record while the
    # chain head is locked, and an audit failure must fail the caller's change anyway (with
    # savepoint=False the whole transaction is marked for rollback) — no change unaudited.
    with transaction.atomic(savepoint=False):
        connection = transaction.get_connection()
        number = _chain_for_current_transaction()
        head = _lock_head(connection, number)
        if head is None:  # first record of this chain: create its head without racing
            AuditChain.objects.bulk_create([AuditChain(number=number)], ignore_conflicts=True)
            head = _lock_head(connection, number)
        last_seq, last_hash = head
        entry.chain = number
        entry.seq = last_seq + 1
        entry.created_at = timezone.now()  # taken under the lock: time never runs backwards in a chain
        entry.prev_hash = last_hash or GENESIS_HASH
        entry.hash = record_hash(entry)
        entry.save(force_insert=True)
        _advance_head(connection, number, entry.seq, entry.hash)
        return entry
