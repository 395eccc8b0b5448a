"""Audit-log throughput with concurrent writers (issue 2 §7): does the hash chain force every
write in the platform through one lock?

Run by hand (not a test; it times things):

    .venv/bin/python bench/audit_throughput.py              # PostgreSQL at 127.0.0.1, then SQLite
    .venv/bin/python bench/audit_throughput.py --write-docs # also rewrite its docs/benchmarks.md section

It creates a throw-away PostgreSQL database (dropped afterwards) and a temporary SQLite file,
migrates them with Django's `migrate`, and for 1, 2, 4 and 8 writer processes (each with its
own connection) counts committed transactions per second, where one transaction inserts one
small business row (`bench_business`) plus its audit record, in three ways:

- chains16: `audit.record` with YIWANG_AUDIT_CHAINS=16 (the design: a writer locks one of 16
  chain heads until it commits);
- chain1:   `audit.record` with a single chain (the "one lock" design the issue warns against);
- plain:    the ceiling — the same business insert plus an ORM insert of the same audit row,
            HMAC-SM3 hash included, into a trigger-free copy of the audit table, with no chain head
            to lock or update.

Defaults fit in under three minutes on two cores. The numbers depend on the machine; the
ratios to the ceiling (chains16/plain, chain1/plain) are what to compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import multiprocessing as mp
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
DOCS = REPO / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench/audit_throughput.py: begin -->", "<!-- bench/audit_throughput.py: end -->"
MODES = ("chains16", "chain1", "plain")
CHAINS = {"chains16": 16, "chain1": 1, "plain": 0}
WARMUP = 5

_plain_model = None
_plain_seq = itertools.count(1)  # (chain 0, pid·10⁷ + n) never collides between writers or modes


def configure(database_url: str) -> None:
    """Production-like settings (debug off, so no query log) with throw-away keys."""
    os.environ["YIWANG_DATABASE_URL"] = database_url
    os.environ.setdefault("YIWANG_DEBUG", "false")
    os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdefghij")
    os.environ.setdefault("YIWANG_DATA_KEYS", "b1:YmVuY2gta2V5LTE2Ynl0ZQ==")
    os.environ.setdefault("YIWANG_INDEX_KEY", "bench-index-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings")
    import django

    django.setup()


def prepare(vendor: str) -> None:
    """Migrate, then create the business table and the trigger-free copy of the audit table."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("CREATE TABLE bench_business (id serial PRIMARY KEY, payload text NOT NULL)")
            cursor.execute("CREATE TABLE bench_plain_audit (LIKE audit_auditrecord INCLUDING ALL)")
        else:
            cursor.execute(
                "CREATE TABLE bench_business (id integer PRIMARY KEY AUTOINCREMENT, payload text NOT NULL)"
            )
            cursor.execute(
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'audit_auditrecord' AND sql IS NOT NULL"
            )
            for kind, sql in cursor.fetchall():
                if kind in ("table", "index"):  # not the append-only triggers
                    sql = sql.replace('"audit_auditrecord"', '"bench_plain_audit"')
                    cursor.execute(re.sub(r'INDEX "(\w+)"', r'INDEX "bench_\1"', sql))


def plain_model():
    """An unmanaged model on the copy: the ceiling goes through the same ORM path."""
    global _plain_model
    if _plain_model is None:
        from django.db import models

        from yiwang.core.audit.models import AuditRecord

        attrs = {f.name: f.clone() for f in AuditRecord._meta.local_fields if not f.primary_key}
        attrs["__module__"] = __name__
        attrs["Meta"] = type(
            "Meta", (), {"app_label": "audit", "db_table": "bench_plain_audit", "managed": False}
        )
        _plain_model = type("BenchPlainAuditRecord", (models.Model,), attrs)
    return _plain_model


def one_transaction(mode: str, number: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from yiwang.core.audit import services as audit
    from yiwang.core.audit.chain import record_hash
    from yiwang.core.audit.models import GENESIS_HASH

    payload = f"bench-{os.getpid()}-{number}"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_business (payload) VALUES (%s) RETURNING id", [payload])
            business_id = cursor.fetchone()[0]
        changes = {"id": business_id, "payload": payload}
        if mode == "plain":
            entry = plain_model()(
                chain=0,
                seq=os.getpid() * 10_000_000 + next(_plain_seq),
                created_at=timezone.now(),
                action="bench.row.created",
                target_type="bench.business",
                target_id=str(business_id),
                changes=changes,
                prev_hash=GENESIS_HASH,
            )
            entry.hash = record_hash(entry)
            entry.save(force_insert=True)
        else:
            audit.record(actor=None, action="bench.row.created", changes=changes)


def worker(mode: str, seconds: float, barrier, results) -> None:
    from django.conf import settings
    from django.db import OperationalError, connections

    settings.AUDIT_CHAINS = CHAINS[mode] or 16
    for n in range(WARMUP):  # connect, create chain heads, warm caches — not counted
        one_transaction(mode, -1 - n)
    barrier.wait()
    done = retries = 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            one_transaction(mode, done)
            done += 1
        except OperationalError:  # SQLite "database is locked" after its timeout: try again
            retries += 1
    results.put((done, time.monotonic() - started, retries))
    connections.close_all()


def measure(mode: str, writers: int, seconds: float) -> tuple[float, int]:
    from django.db import connections

    connections.close_all()  # children must not share the parent's connection
    context = mp.get_context("fork")
    barrier, results = context.Barrier(writers), context.Queue()
    processes = [
        context.Process(target=worker, args=(mode, seconds, barrier, results)) for _ in range(writers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a {mode} writer failed (exit {process.exitcode})")
    total = sum(done for done, _, _ in outcomes)
    elapsed = max(took for _, took, _ in outcomes)
    return total / elapsed, sum(retries for _, _, retries in outcomes)


def run(label: str, writer_counts: list[int], seconds: float, rounds: int) -> dict:
    from django.db import connection

    from yiwang.core.audit.verify import verify_chains

    vendor = connection.vendor
    prepare(vendor)
    rows, retries = [], 0
    load_before = os.getloadavg()[0]
    for writers in writer_counts:
        samples: dict[str, list[float]] = {mode: [] for mode in MODES}
        for round_ in range(rounds):
            # Rotate the order each round, so a burst of load elsewhere on the machine does
            # not always land on the same mode.
            for mode in MODES[round_ % 3 :] + MODES[: round_ % 3]:
                rate, extra = measure(mode, writers, seconds)
                samples[mode].append(rate)
                retries += extra
        rates = {mode: statistics.median(values) for mode, values in samples.items()}
        rows.append((writers, rates))
        print(
            f"  {label}: {writers} writer(s): " + ", ".join(f"{m} {rates[m]:.0f} tx/s" for m in MODES),
            flush=True,
        )
    started = time.monotonic()
    report = verify_chains()
    took = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditrecord")
        stored = cursor.fetchone()[0]
    print(f"  {label}: verify: {report.records} records in {took:.1f} s, intact={report.intact}", flush=True)
    version = connection.pg_version if vendor == "postgresql" else None
    return {
        "label": label,
        "vendor": vendor,
        "rows": rows,
        "retries": retries,
        "stored": stored,
        "verify": (report.records, took, report.intact),
        "server_version": version,
        "seconds": seconds,
        "rounds": rounds,
        "load": (load_before, os.getloadavg()[0]),
    }


def postgres(admin_url: str, writer_counts: list[int], seconds: float, rounds: int) -> dict:
    import psycopg

    name = f"yw_bench_audit_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
            "TEMPLATE template0"
        )
    try:
        configure(re.sub(r"/[^/]*$", f"/{name}", admin_url))
        result = run("PostgreSQL", writer_counts, seconds, rounds)
        major, minor = divmod(result["server_version"], 10000)
        result["label"] = f"PostgreSQL {major}.{minor}"
        return result
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sqlite(writer_counts: list[int], seconds: float, rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        configure(f"sqlite:///{directory}/bench.sqlite3")
        result = run("SQLite", writer_counts, seconds, rounds)
        result["label"] = f"SQLite {sqlite3.sqlite_version} (WAL)"
        return result


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {memory} RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def table(result: dict) -> str:
    rounds = result["rounds"]
    lines = [
        f"**{result['label']}** — committed transactions per second, median of {rounds} round(s) of "
        f"{result['seconds']:g} s per cell; load average (1 min) {result['load'][0]:.1f} before, "
        f"{result['load'][1]:.1f} after.",
        "",
        "| writers | chains16 (a) | chain1 (b) | plain ceiling (c) | a / c | b / c | a / b |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for writers, rates in result["rows"]:
        a, b, c = rates["chains16"], rates["chain1"], rates["plain"]
        lines.append(
            f"| {writers} | {a:,.0f} | {b:,.0f} | {c:,.0f} | {a / c:.2f} | {b / c:.2f} | {a / b:.2f} |"
        )
    records, took, intact = result["verify"]
    lines += [
        "",
        f"Afterwards `verify_chains()` walked {records:,} chained records in {took:.1f} s "
        f"({records / took if took else 0:,.0f} records/s), intact: {'yes' if intact else 'NO'}."
        + (f" SQLite lock retries: {result['retries']}." if result["vendor"] == "sqlite" else ""),
    ]
    return "\n".join(lines)


def section(results: list[dict]) -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        BEGIN,
        "## Audit log throughput with concurrent writers (`bench/audit_throughput.py`)",
        "",
        f"Run {today} on {machine()}.",
        "The database server ran on the same machine as the writers, so writers and server share the CPUs.",
        "",
        "Each transaction inserts one small business row and its audit record. (a) is the design: "
        "`audit.record` with 16 chains — a transaction locks one chain head, chosen at random, until "
        "it commits. (b) is the same code with one chain: every audited write in the platform queues "
        "on one lock. (c) is the ceiling: the same two inserts through the same ORM, HMAC-SM3 hash "
        "included, with no chain head to lock or update.",
        "",
    ]
    for result in results:
        parts += [table(result), ""]
    parts += ["### Reading it", ""]
    for result in results:
        if result["vendor"] != "postgresql":
            continue
        rows = result["rows"]
        first, last = rows[0], rows[-1]
        many = [rates for writers, rates in rows if writers > 1] or [first[1]]

        def span(mode, rows=rows):
            return f"{rows[0][1][mode]:,.0f} → {rows[-1][1][mode]:,.0f} tx/s (peak {max(r[mode] for _, r in rows):,.0f})"

        def share(mode, many=many):
            values = [rates[mode] / rates["plain"] for rates in many]
            return f"{min(values):.0%}–{max(values):.0%}"

        parts.append(
            f"On {result['label']}, from {first[0]} to {last[0]} writers one chain went {span('chain1')}, "
            f"16 chains {span('chains16')}, the ceiling {span('plain')}. With two or more writers, 16 chains "
            f"reached {share('chains16')} of the ceiling and one chain {share('chain1')}. A writer holds its "
            "chain's head until its commit is on disk, so with one chain the audited transactions of the whole "
            "platform commit one at a time; with 16, two writers wait for each other only when they pick the "
            "same chain at the same moment. With one writer the gap to the ceiling is the chain's own cost (two "
            "more statements per record), not waiting."
        )
        parts.append("")
        cpus = os.cpu_count() or 1
        if last[0] > cpus:
            parts += [
                f"With more writers than CPUs ({cpus}), writers and server compete for the processors, so "
                "every column, the ceiling included, stops growing.",
                "",
            ]
        if result["load"][0] > cpus:  # the run's own writers raise the "after" figure
            parts += [
                "Other work was running on the machine when this run started (load average above the CPU "
                "count), so absolute numbers may be low and noisy; compare the ratios within a row.",
                "",
            ]
    parts.append(
        "SQLite serialises all writers on one database lock whatever the chain count, so its rows show "
        "the database's limit, not the chain's; they are there for reference."
    )
    parts += [
        END,
    ]
    return "\n".join(parts)


def write_docs(text: str) -> None:
    DOCS.parent.mkdir(exist_ok=True)
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n\n"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    DOCS.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="an administrative URL; a throw-away database is created beside it",
    )
    parser.add_argument("--writers", default="1,2,4,8", help="comma-separated writer counts")
    parser.add_argument("--seconds", type=float, default=2.0, help="measured seconds per cell (PostgreSQL)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per cell, median reported (PostgreSQL)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--write-docs", action="store_true", help=f"rewrite this benchmark's section of {DOCS}"
    )
    args = parser.parse_args()
    writer_counts = [int(n) for n in args.writers.split(",")]

    # Django is set up once per process; each database gets its own child process.
    results = []
    context = mp.get_context("fork")
    for wanted, job in (
        (
            not args.skip_postgres,
            lambda q: q.put(postgres(args.postgres, writer_counts, args.seconds, args.rounds)),
        ),
        # SQLite is a reference only: one short round.
        (not args.skip_sqlite, lambda q: q.put(sqlite(writer_counts, min(args.seconds, 2.0), 1))),
    ):
        if not wanted:
            continue
        queue = context.Queue()
        process = context.Process(target=job, args=(queue,))
        process.start()
        results.append(queue.get())
        process.join()
    text = section(results)
    print()
    print(text)
    if args.write_docs:
        write_docs(text)
        print(f"\nwritten to {DOCS}")


if __name__ == "__main__":
    main()
