"""Several writers at once: every record lands, no chain has a gap, and verification passes.

PostgreSQL only: SQLite serialises all writers on one database lock, so there is no
concurrency in the chains to test there.
"""

import threading
from collections import defaultdict

import pytest
from django.db import connection, connections, transaction

from yiwang.core.audit import services as audit
from yiwang.core.audit.models import AuditRecord
from yiwang.core.audit.verify import verify_chains

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers on one database lock: no concurrent chains to test",
    ),
    pytest.mark.django_db(transaction=True),
]

WRITERS = 6
TRANSACTIONS = 25
RECORDS_PER_TRANSACTION = 3


def _writer(number: int, failures: list) -> None:
    try:
        for tx in range(TRANSACTIONS):
            with transaction.atomic():
                for step in range(RECORDS_PER_TRANSACTION):
                    audit.record(
                        actor=None,
                        action="test.concurrent.write",
                        changes={"tx": f"{number}-{tx}", "step": step},
                    )
    except Exception as error:  # reported to the main thread, which fails the test
        failures.append(repr(error))
    finally:
        connections.close_all()


def test_concurrent_writers_leave_gapless_intact_chains(settings):
    settings.AUDIT_CHAINS = 4  # fewer chains than writers, so writers do contend for heads
    failures: list[str] = []
    threads = [threading.Thread(target=_writer, args=(n, failures)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

    report = verify_chains()
    assert report.intact, report.problems
    assert report.records == WRITERS * TRANSACTIONS * RECORDS_PER_TRANSACTION
    by_transaction = defaultdict(list)
    for chain, seq, changes in AuditRecord.objects.values_list("chain", "seq", "changes"):
        by_transaction[changes["tx"]].append((chain, seq))
    for positions in by_transaction.values():
        # The head stays locked until commit, so one transaction's records are consecutive.
        chains = {chain for chain, _ in positions}
        seqs = sorted(seq for _, seq in positions)
        assert len(chains) == 1 and seqs == list(range(seqs[0], seqs[0] + RECORDS_PER_TRANSACTION))
    assert len({chain for chain, _ in AuditRecord.objects.values_list("chain", "seq")}) > 1
