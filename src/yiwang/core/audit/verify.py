"""`verify_chains`: recompute every audit chain and name the first broken link of each.

What each check catches (等保 2.0 安全审计: records protected against deletion and alteration):
- altered:       a stored field no longer hashes to the stored `hash` (HMAC-SM3 over canonical JSON);
- broken_link:   `prev_hash` differs from the previous record's hash — a record was rewritten
                 together with its own hash, or a forged record was slipped in;
- missing:       a `seq` is skipped — a record in the middle was deleted;
- head_mismatch: the chain head (`AuditChain.last_seq/last_hash`) does not match the last record —
                 the tail was deleted or the head rewritten — or a record lies past the head
                 (inserted behind `audit.record`'s back);
- no_head:       records carry a chain number that has no head row.

The walk streams each chain in `seq` order (`.iterator()`), so memory stays bounded however
long the log is. Each chain's head is read before its records and only records up to the
head's `last_seq` are walked: a record and the head update that points at it commit together,
so every record the head counts is visible, and writers appending meanwhile are not flagged.
Limit: the hash has no key, so someone with write access who rewrites a record AND recomputes
every later hash and the head (or deletes the tail and rewinds the head) leaves a consistent
chain. Publishing the heads outside the database from time to time (anchoring), or a keyed MAC
whose key the database never sees, is what catches that; neither is built yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from yiwang.core.audit.chain import record_hash
from yiwang.core.audit.models import GENESIS_HASH, AuditChain, AuditRecord

_CHUNK = 2000


class ProblemKind(models.TextChoices):
    ALTERED = "altered", "记录被篡改"
    MISSING = "missing", "记录缺失（被删除）"
    BROKEN_LINK = "broken_link", "链接断裂"
    HEAD_MISMATCH = "head_mismatch", "链头与末条记录不符（末尾记录被删除）"
    NO_HEAD = "no_head", "记录所属的链不存在"


ENGLISH = {
    ProblemKind.ALTERED: "record altered",
    ProblemKind.MISSING: "record missing (deleted)",
    ProblemKind.BROKEN_LINK: "broken link",
    ProblemKind.HEAD_MISMATCH: "chain head does not match the last record (tail deleted)",
    ProblemKind.NO_HEAD: "records belong to a chain that has no head",
}


@dataclass(frozen=True)
class Problem:
    chain: int
    seq: int
    record_id: int | None  # None when the record itself is gone
    kind: ProblemKind
    detail: str  # Chinese, for people
    detail_en: str

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @property
    def kind_en(self) -> str:
        return ENGLISH[self.kind]


@dataclass
class VerifyReport:
    chains: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _walk(head: AuditChain) -> tuple[int, Problem | None]:
    """Walk one chain up to its head; return (records checked, first problem or None)."""
    expected_seq, expected_prev, last_id, checked = 1, GENESIS_HASH, None, 0
    records = AuditRecord.objects.filter(chain=head.number, seq__lte=head.last_seq).order_by("seq", "id")
    for record in records.iterator(chunk_size=_CHUNK):
        checked += 1
        if record.seq > expected_seq:
            return checked, Problem(
                head.number,
                expected_seq,
                None,
                ProblemKind.MISSING,
                f"第 {head.number} 号链缺少序号 {expected_seq}（下一条现存记录 ID {record.pk}，序号 {record.seq}）",
                f"chain {head.number} lacks seq {expected_seq} (next present record id {record.pk}, seq {record.seq})",
            )
        if record.seq < expected_seq:
            return checked, Problem(
                head.number,
                record.seq,
                record.pk,
                ProblemKind.BROKEN_LINK,
                f"第 {head.number} 号链序号 {record.seq} 重复（记录 ID {record.pk}）",
                f"chain {head.number} has seq {record.seq} twice (record id {record.pk})",
            )
        if record_hash(record) != record.hash:
            return checked, Problem(
                head.number,
                record.seq,
                record.pk,
                ProblemKind.ALTERED,
                f"第 {head.number} 号链序号 {record.seq}（记录 ID {record.pk}）的内容与摘要不符",
                f"chain {head.number} seq {record.seq} (record id {record.pk}): content does not match its hash",
            )
        if record.prev_hash != expected_prev:
            return checked, Problem(
                head.number,
                record.seq,
                record.pk,
                ProblemKind.BROKEN_LINK,
                f"第 {head.number} 号链序号 {record.seq}（记录 ID {record.pk}）的前一条摘要与上一条记录不符",
                f"chain {head.number} seq {record.seq} (record id {record.pk}): prev_hash does not match "
                "the previous record",
            )
        expected_seq, expected_prev, last_id = record.seq + 1, record.hash, record.pk
    if expected_seq - 1 != head.last_seq or expected_prev != head.last_hash:
        zh, en = _head_mismatch(head, expected_seq - 1)
        return checked, Problem(head.number, head.last_seq, last_id, ProblemKind.HEAD_MISMATCH, zh, en)
    return checked, _beyond_head(head)


def _beyond_head(head: AuditChain) -> Problem | None:
    """A record past the head that the head, read again, still does not count was not written
    by `audit.record` (which moves the head in the same transaction): it was slipped in."""
    beyond = (
        AuditRecord.objects.filter(chain=head.number, seq__gt=head.last_seq).order_by("seq", "id").first()
    )
    if beyond is None:
        return None
    last_seq = AuditChain.objects.filter(number=head.number).values_list("last_seq", flat=True).first() or 0
    if beyond.seq <= last_seq:  # a writer committed while we walked: checked next time
        return None
    return Problem(
        head.number,
        beyond.seq,
        beyond.pk,
        ProblemKind.HEAD_MISMATCH,
        f"第 {head.number} 号链序号 {beyond.seq}（记录 ID {beyond.pk}）在链头（序号 {last_seq}）之后，不是正常写入的",
        f"chain {head.number} seq {beyond.seq} (record id {beyond.pk}) lies beyond the head (seq {last_seq}): "
        "it was not written by audit.record",
    )


def _head_mismatch(head: AuditChain, last_seq: int) -> tuple[str, str]:
    if last_seq == head.last_seq:  # same length, different digest: the head row was rewritten
        return (
            f"第 {head.number} 号链链头的摘要与末条记录（序号 {last_seq}）不符",
            f"chain {head.number}: the head's hash does not match the last record (seq {last_seq})",
        )
    if last_seq == 0:
        return (
            f"第 {head.number} 号链链头为序号 {head.last_seq}，但该链已没有任何记录",
            f"chain {head.number} head says seq {head.last_seq}, but the chain has no records left",
        )
    return (
        f"第 {head.number} 号链链头为序号 {head.last_seq}，但末条记录为序号 {last_seq}",
        f"chain {head.number} head says seq {head.last_seq}, but the last record is seq {last_seq}",
    )


def _headless() -> list[Problem]:
    numbers = AuditChain.objects.values("number")
    orphans = (
        AuditRecord.objects.exclude(chain__in=numbers)
        .values("chain")
        .annotate(first_seq=models.Min("seq"), count=models.Count("id"))
        .order_by("chain")
    )
    problems = []
    for row in orphans:
        first = AuditRecord.objects.filter(chain=row["chain"], seq=row["first_seq"]).order_by("id").first()
        problems.append(
            Problem(
                row["chain"],
                row["first_seq"],
                first.pk if first else None,
                ProblemKind.NO_HEAD,
                f"第 {row['chain']} 号链没有链头，却有 {row['count']} 条记录",
                f"chain {row['chain']} has no head but {row['count']} records",
            )
        )
    return problems


def verify_chains() -> VerifyReport:
    report = VerifyReport()
    for head in list(AuditChain.objects.order_by("number")):  # a few dozen rows at most
        checked, problem = _walk(head)
        report.chains += 1
        report.records += checked
        if problem is not None:
            report.problems.append(problem)
    report.problems.extend(_headless())
    return report
