"""`record`: the one audit function every state change calls, inside its own transaction.

Usage: `from yiwang.core.audit import services as audit` then
`audit.record(actor=actor, action="core.user.locked", target=user, changes={...})`.
"""

from __future__ import annotations

import json
import random

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

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


def _jsonable(changes: dict | None) -> dict:
    # Store exactly what was hashed: round-trip through JSON so that dates, decimals and
    # UUIDs hash the same way when `yiwang audit verify` reads them back.
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def target_label(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        meta = target._meta
        return f"{meta.app_label}.{meta.model_name}", str(target.pk), str(target)[:255]
    return type(target).__name__, "", str(target)[:255]


def record(*, actor, action: str, target=None, changes: dict | None = None) -> AuditRecord:
    """Append one audit record in the caller's transaction (or its own, if there is none)."""
    with transaction.atomic():
        number = _chain_for_current_transaction()
        head = AuditChain.objects.select_for_update().filter(number=number).first()
        if head is None:  # first record of this chain: create its head without racing
            AuditChain.objects.bulk_create([AuditChain(number=number)], ignore_conflicts=True)
            head = AuditChain.objects.select_for_update().get(number=number)
        context = request_context.current()
        target_type, target_id, target_repr = target_label(target)
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        entry = AuditRecord(
            chain=number,
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor_id=actor.pk if authenticated else None,
            actor_name=str(actor)[:128] if authenticated else "",
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_repr=target_repr,
            changes=_jsonable(changes),
            client_address=context.client_address,
            channel=context.channel[:255],
            prev_hash=head.last_hash or GENESIS_HASH,
        )
        entry.hash = record_hash(entry)
        entry.save(force_insert=True)
        AuditChain.objects.filter(number=number).update(last_seq=entry.seq, last_hash=entry.hash)
        return entry
