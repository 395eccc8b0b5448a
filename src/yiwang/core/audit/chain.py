"""The hash of one audit record: HMAC-SM3 over a canonical JSON form of every stored field.

Keyed, so that someone who can write to the database but does not hold the platform's keys
cannot rewrite a record and recompute every later hash and the chain head: a plain SM3 chain
only proves that nobody *without a computer* changed it. The key is derived from
YIWANG_INDEX_KEY (which, like the chain, must never change) with its own label, so the audit
key and the blind-index key are never the same bytes.
"""

from __future__ import annotations

import json
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings


@lru_cache(maxsize=4)
def _derive(index_key: str) -> bytes:
    mac = crypto_hmac.HMAC(index_key.encode(), hashes.SM3())
    mac.update(b"yiwang audit chain key v1")
    return mac.finalize()


def chain_key() -> bytes:
    return _derive(settings.DATA_INDEX_KEY)


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
    mac = crypto_hmac.HMAC(chain_key(), hashes.SM3())
    mac.update(canonical(record_fields(record)))
    return mac.finalize().hex()
