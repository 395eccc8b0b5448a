"""The hash of one audit record: SM3 over a canonical JSON form of every stored field."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import hashes


def canonical(fields: dict) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def record_fields(record) -> dict:
    return {
        "chain": record.chain,
        "seq": record.seq,
        "prev_hash": record.prev_hash,
        "created_at": record.created_at.isoformat(timespec="microseconds"),
        "actor_id": record.actor_id,
        "actor_name": record.actor_name,
        "action": record.action,
        "target_type": record.target_type,
        "target_id": record.target_id,
        "target_repr": record.target_repr,
        "changes": record.changes,
        "client_address": record.client_address,
        "channel": record.channel,
    }


def record_hash(record) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(canonical(record_fields(record)))
    return digest.finalize().hex()
