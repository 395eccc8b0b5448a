"""The chain is keyed (HMAC-SM3): an attacker with database access but without the platform's
keys who rewrites a record and then re-chains everything after it with plain SM3, head
included, is still caught."""

from cryptography.hazmat.primitives import hashes

from yiwang.core.audit.chain import canonical, record_fields
from yiwang.core.audit.models import AuditChain, AuditRecord
from yiwang.core.audit.tests.helpers import append_only_disabled, record_on_chain
from yiwang.core.audit.verify import ProblemKind, verify_chains


def _plain_sm3(record) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(canonical(record_fields(record)))
    return digest.finalize().hex()


def test_rechaining_without_the_key_is_detected(db, monkeypatch):
    for n in range(4):
        record_on_chain(5, monkeypatch=monkeypatch, changes={"amount": n})
    records = list(AuditRecord.objects.filter(chain=5).order_by("seq"))
    assert verify_chains().intact

    # Rewrite the second record, then recompute every hash from there on and the head.
    records[1].changes = {"amount": 1000}
    previous = records[0].hash
    with append_only_disabled():
        for record in records[1:]:
            record.prev_hash = previous
            record.hash = _plain_sm3(record)
            AuditRecord.objects.filter(pk=record.pk).update(
                changes=record.changes, prev_hash=record.prev_hash, hash=record.hash
            )
            previous = record.hash
        AuditChain.objects.filter(number=5).update(last_hash=previous)

    problem = verify_chains().first
    assert (problem.chain, problem.seq, problem.kind) == (5, 2, ProblemKind.ALTERED)


def test_the_hash_depends_on_the_key(db, monkeypatch, settings):
    from yiwang.core.audit.chain import record_hash

    record = record_on_chain(2, monkeypatch=monkeypatch)
    settings.DATA_INDEX_KEY = "another-key"
    assert record_hash(record) != record.hash
