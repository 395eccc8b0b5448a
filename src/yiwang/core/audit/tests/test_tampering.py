"""The audit tampering test: an attacker with database access switches the append-only
triggers off and changes history; `verify` names exactly the record they touched."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction

from yiwang.core.audit.models import AuditChain, AuditRecord
from yiwang.core.audit.tests.helpers import append_only_disabled, record_on_chain
from yiwang.core.audit.verify import ProblemKind, verify_chains


@pytest.fixture
def two_chains(db, monkeypatch):
    """Five records on chain 3 and three on chain 7."""
    for n in range(5):
        record_on_chain(3, monkeypatch=monkeypatch, changes={"n": n})
        if n < 3:
            record_on_chain(7, monkeypatch=monkeypatch, changes={"n": n})
    chain3 = list(AuditRecord.objects.filter(chain=3).order_by("seq"))
    chain7 = list(AuditRecord.objects.filter(chain=7).order_by("seq"))
    assert [r.seq for r in chain3] == [1, 2, 3, 4, 5] and [r.seq for r in chain7] == [1, 2, 3]
    return chain3, chain7


def _verify_command() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_database_refuses_to_update_or_delete_an_audit_record(two_chains):
    record = two_chains[0][1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="test.rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.get(pk=record.pk).action == record.action
    assert verify_chains().intact


def test_an_intact_log_verifies_and_the_command_exits_0(two_chains):
    report = verify_chains()
    assert report.intact and report.chains == 2 and report.records == 8
    code, out, _ = _verify_command()
    assert code == 0
    assert "审计日志完整" in out and "Audit log intact: 2 chains, 8 records" in out


def test_an_altered_field_is_reported_as_exactly_that_record(two_chains):
    target = two_chains[0][2]  # chain 3, seq 3
    with append_only_disabled():
        AuditRecord.objects.filter(pk=target.pk).update(actor_name="冒名顶替")
    report = verify_chains()
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.chain, problem.seq, problem.record_id, problem.kind) == (
        3,
        3,
        target.pk,
        ProblemKind.ALTERED,
    )
    code, _, err = _verify_command()
    assert code == 1
    assert f"记录 ID {target.pk}" in err and f"record id {target.pk}" in err
    assert "记录被篡改" in err and "record altered" in err


def test_a_record_rewritten_with_a_fresh_hash_breaks_the_next_link(two_chains):
    from yiwang.core.audit.chain import record_hash

    target, following = two_chains[0][1], two_chains[0][2]
    target.changes = {"n": 99}
    with append_only_disabled():
        AuditRecord.objects.filter(pk=target.pk).update(changes={"n": 99}, hash=record_hash(target))
    problem = verify_chains().first
    assert (problem.chain, problem.seq, problem.record_id, problem.kind) == (
        3,
        following.seq,
        following.pk,
        ProblemKind.BROKEN_LINK,
    )


def test_a_deleted_middle_record_is_reported_missing(two_chains):
    deleted = two_chains[1][1]  # chain 7, seq 2
    with append_only_disabled():
        AuditRecord.objects.filter(pk=deleted.pk).delete()
    report = verify_chains()
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.chain, problem.seq, problem.record_id, problem.kind) == (7, 2, None, ProblemKind.MISSING)
    code, _, err = _verify_command()
    assert code == 1 and "缺少序号 2" in err and "lacks seq 2" in err


def test_a_deleted_last_record_shows_as_a_head_mismatch(two_chains):
    last, before_last = two_chains[0][4], two_chains[0][3]
    with append_only_disabled():
        AuditRecord.objects.filter(pk=last.pk).delete()
    report = verify_chains()
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert (problem.chain, problem.seq, problem.record_id, problem.kind) == (
        3,
        5,
        before_last.pk,
        ProblemKind.HEAD_MISMATCH,
    )
    assert _verify_command()[0] == 1


def test_records_of_a_chain_without_head_are_reported(two_chains):
    AuditChain.objects.filter(number=7).delete()  # the head table has no trigger: only the chain shows it
    report = verify_chains()
    assert [(p.chain, p.seq, p.record_id, p.kind) for p in report.problems] == [
        (7, 1, two_chains[1][0].pk, ProblemKind.NO_HEAD)
    ]


def test_each_chain_reports_only_its_first_problem(two_chains):
    chain3 = two_chains[0]
    with append_only_disabled():
        AuditRecord.objects.filter(pk=chain3[1].pk).update(action="test.rewritten")
        AuditRecord.objects.filter(pk=chain3[3].pk).delete()
        AuditRecord.objects.filter(pk=two_chains[1][0].pk).update(channel="forged")
    report = verify_chains()
    assert [(p.chain, p.seq, p.kind) for p in report.problems] == [
        (3, 2, ProblemKind.ALTERED),
        (7, 1, ProblemKind.ALTERED),
    ]
    code, _, err = _verify_command()
    assert code == 1 and "另见 / also" in err


def test_the_triggers_are_back_after_tampering(two_chains):
    with append_only_disabled():
        pass
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=two_chains[0][0].pk).delete()


def test_a_rewritten_head_digest_shows_as_a_head_mismatch(two_chains):
    AuditChain.objects.filter(number=7).update(last_hash="f" * 64)
    problem = verify_chains().first
    assert (problem.chain, problem.seq, problem.record_id, problem.kind) == (
        7,
        3,
        two_chains[1][2].pk,
        ProblemKind.HEAD_MISMATCH,
    )
    assert "摘要与末条记录（序号 3）不符" in problem.detail


def test_a_record_slipped_in_past_the_head_is_reported(two_chains):
    # INSERT is allowed (the log is append-only), so a forger needs no trigger switched off.
    last = two_chains[1][2]
    forged = AuditRecord.objects.create(
        chain=7, seq=4, created_at=last.created_at, action="test.forged", prev_hash=last.hash, hash="0" * 64
    )
    problem = verify_chains().first
    assert (problem.chain, problem.seq, problem.record_id, problem.kind) == (
        7,
        4,
        forged.pk,
        ProblemKind.HEAD_MISMATCH,
    )
