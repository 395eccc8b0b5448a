"""Every state change leaves one linked record; what is hashed is what is stored."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from django.db import transaction

from yiwang.core import request_context
from yiwang.core.audit import services as audit
from yiwang.core.audit.models import GENESIS_HASH, AuditChain, AuditRecord
from yiwang.core.audit.verify import verify_chains
from yiwang.core.orgs import services as orgs


def test_each_state_change_appends_a_record_linked_to_the_previous_one(db, sys_admin, city):
    orgs.department_create(actor=sys_admin, name="市大数据管理局", division=city)
    orgs.department_create(actor=sys_admin, name="市民政局", division=city)
    orgs.grid_create(actor=sys_admin, code="33010000000001", name="一号网格", division=city)

    records = list(AuditRecord.objects.order_by("chain", "seq"))
    assert [r.action for r in records] == [
        "orgs.department.created",
        "orgs.department.created",
        "orgs.grid.created",
    ]
    assert {r.actor_id for r in records} == {sys_admin.pk}
    assert [r.seq for r in records] == [1, 2, 3]  # one test = one transaction = one chain
    assert records[0].prev_hash == GENESIS_HASH
    assert records[1].prev_hash == records[0].hash and records[2].prev_hash == records[1].hash
    head = AuditChain.objects.get(number=records[0].chain)
    assert (head.last_seq, head.last_hash) == (3, records[2].hash)
    assert verify_chains().intact


def test_one_transaction_writes_all_its_records_to_one_chain(db, settings):
    settings.AUDIT_CHAINS = 16
    with transaction.atomic():
        first = audit.record(actor=None, action="test.a.done")
        second = audit.record(actor=None, action="test.b.done")
    assert first.chain == second.chain and second.seq == first.seq + 1


def test_awkward_values_hash_the_same_after_the_database_round_trip(db, citizen):
    token = request_context.set_current(
        request_context.RequestContext(
            client_address="2001:0db8:0000:0000:0000:0000:0000:0001", channel="page:/x"
        )
    )
    try:
        audit.record(
            actor=citizen,
            action="test.values.stored",
            target=citizen,
            changes={
                "when": datetime(2026, 10, 1, 8, 30),
                "day": date(2026, 10, 8),
                "amount": Decimal("12.30"),
                "id": UUID(int=7),
                "名称": '示范市 "引号" \\ 反斜杠',
                "nested": {"b": [1, 2.5, None, True], "a": {}},
                "big": 2**62,
                "tiny": 0.1,
                "huge": 1e20,
                "neg": -0.0,
            },
        )
    finally:
        request_context.reset(token)
    stored = AuditRecord.objects.get()
    assert stored.client_address == "2001:db8::1"
    assert stored.channel == "page:/x"
    assert verify_chains().intact


def test_an_address_that_is_not_an_ip_is_dropped_not_fatal(db):
    token = request_context.set_current(
        request_context.RequestContext(client_address="unknown", channel="api:/x")
    )
    try:
        audit.record(actor=None, action="test.values.stored")
    finally:
        request_context.reset(token)
    assert AuditRecord.objects.get().client_address is None
    assert verify_chains().intact


def test_a_fresh_log_verifies_as_intact_with_nothing_to_check(db):
    report = verify_chains()
    assert report.intact and report.records == 0


def test_audit_records_are_listed_in_admin_read_only(db, client, sys_admin):
    audit.record(actor=sys_admin, action="test.admin.viewed", target=sys_admin)
    client.force_login(sys_admin)
    record = AuditRecord.objects.get()
    assert client.get("/admin/audit/auditrecord/").status_code == 200
    assert client.get("/admin/audit/auditrecord/add/").status_code == 403
    page = client.get(f"/admin/audit/auditrecord/{record.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(f"/admin/audit/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_a_failed_audit_write_takes_the_business_change_with_it(db, city, monkeypatch):
    from django.db.transaction import TransactionManagementError

    from yiwang.core.orgs.models import Department

    def broken_hash(record):
        raise RuntimeError("disk full")

    with transaction.atomic():
        Department.objects.create(name="未审计的部门", division=city)
        monkeypatch.setattr(audit, "record_hash", broken_hash)
        with pytest.raises(RuntimeError):
            audit.record(actor=None, action="orgs.department.created")
        # A caller that swallows the error cannot carry on writing unaudited changes.
        with pytest.raises(TransactionManagementError):
            Department.objects.count()
    assert not Department.objects.filter(name="未审计的部门").exists()
    assert not AuditRecord.objects.exists()
