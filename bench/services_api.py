"""一网通办 through the HTTP API on PostgreSQL at a million applications (issue 5's benchmark).

Run by hand (not a test, never in CI; it times things):

    .venv/bin/python bench/services_api.py --applications 20000          # develop
    .venv/bin/python bench/services_api.py --write-docs                  # 1,000,000; its docs section
    .venv/bin/python bench/services_api.py --skip-writes --keep-db

It creates a throw-away PostgreSQL database (UTF-8, ctype C.UTF-8; dropped afterwards unless
--keep-db), migrates it, builds the city with the test factories and bulk-loads --applications
applications with SQL (bench/services_load.py says what they look like), then:

- reads, through gunicorn (--workers sync workers on 127.0.0.1, --threads client threads,
  Bearer tokens; bench/services_http.py): the applicant's 我的办件 (GET /api/v1/services/
  applications), the hall clerk's 待预审/待受理 and the market approver's 审查中 inboxes (GET
  /api/v1/services/office/applications?box=intake|review), side by side in the same rounds with
  the same stack's trivial endpoints — GET /healthz (no auth, no database) and GET /api/v1/me
  (authenticated: token, rate limit, one read of the user's posts) — the framework ceiling;
  again with one client thread, for latency without queueing;
- the same reads in this process: the selectors alone, the whole request through Django's test
  Client, and the same rows as hand-written SQL on a psycopg connection (the database's ceiling);
  their statements, plans and cProfile;
- writes: one cycle = draft (POST), form (PUT), submit; 预审, 受理 by the hall clerk; 审查, 决定
  by the market approver, through the API; the item's only material is 营业执照, 免提交 through
  the licence the applicant holds, and 办结 issues a signed 食品经营许可证. Cycles per second
  with --threads threads and with one, and the same cycle through the services in-process.

Rate limits are raised so they never refuse (still checked and recorded in the cache, a
database table without YIWANG_CACHE_URL, on every call, as in production). Last, two partial
indexes are added to the throw-away database to time the inbox's SQL as the report proposes it
(bench/services_raw.py). Defaults take about 13 minutes on two cores, 2 of them loading.

Modules: services_load.py (+ services_load_sql.py) the data, services_http.py gunicorn and
the client threads, services_runners.py the in-process calls, services_raw.py hand-written
SQL, services_report.py (+ services_reading.py) the docs section.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import services_http as web  # noqa: E402
import services_raw as raw_sql  # noqa: E402
import services_runners as runners  # noqa: E402
from audit_throughput import configure, machine  # noqa: E402
from services_load import bulk, setup  # noqa: E402
from services_report import BEGIN, END, section  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "benchmarks.md"
RATE = "1000000/s"  # never refuses
READS = ("healthz", "me", "mine", "intake", "review")
LISTED = ("mine", "intake", "review")
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def read_calls(found, sizes: dict) -> dict:
    """The five GETs, each checking it got the first page of what is there."""
    tokens = found.tokens
    office = "/api/v1/services/office/applications?box="

    def page(size):
        return lambda body: len(body["items"]) == min(20, size)

    return {
        "healthz": web.Call("/healthz"),
        "me": web.Call("/api/v1/me", tokens[found.applicant.pk], lambda b: b["id"] == found.applicant.pk),
        "mine": web.Call("/api/v1/services/applications", tokens[found.applicant.pk], page(sizes["mine"])),
        "intake": web.Call(office + "intake", tokens[found.clerk.pk], page(sizes["intake"])),
        "review": web.Call(office + "review", tokens[found.approver.pk], page(sizes["review"])),
    }


def http_reads(server, calls: dict, args) -> dict:
    for call in calls.values():  # every worker connected and warm
        web.measure_get(server, call, args.threads, 1.0)
    result = {}
    for threads in sorted({args.threads, 1}, reverse=True):
        samples = {name: [] for name in calls}
        for round_ in range(args.rounds):
            names = list(calls)
            shift = round_ % len(names)  # rotated, so load elsewhere does not always hit one
            for name in names[shift:] + names[:shift]:
                samples[name].append(web.measure_get(server, calls[name], threads, args.seconds))
        result[threads] = {}
        for name, timed in samples.items():
            latencies = [v for t in timed for v in t.latencies]
            p50, p95 = runners.percentiles(latencies)
            rates = sorted(t.rate for t in timed)
            result[threads][name] = {
                "rate": rates[len(rates) // 2],
                "p50": p50,
                "p95": p95,
                "count": len(latencies),
            }
            print(f"    {threads} thread(s) {name}: {result[threads][name]}", flush=True)
    return result


def http_writes(server, found, args) -> dict:
    from yiwang.services.tests.factories import FOOD_ANSWERS

    cycle = web.Cycle(
        item_id=found.write_item.pk,
        applicant_tokens=[found.tokens[w.pk] for w in found.writers],
        clerk_token=found.tokens[found.clerk.pk],
        approver_token=found.tokens[found.approver.pk],
        answers=FOOD_ANSWERS,
    )
    web.measure_cycles(server, cycle, args.threads, 2.0, "warm")
    result = {}
    for threads in sorted({args.threads, 1}, reverse=True):
        with LockSampler() as waits:
            measured = web.measure_cycles(server, cycle, threads, args.write_seconds, f"t{threads}")
        measured["lock_waits"] = waits.summary()
        measured["steps"] = {step: runners.percentiles(v) for step, v in measured["steps"].items() if v}
        result[threads] = measured
        print(f"    writes, {threads} thread(s): {measured['rate']:.2f} cycles/s", flush=True)
    return result


class LockSampler:
    """Every 50 ms, whether a transaction of the benchmark's database waits for a lock, and on
    which statement: what the writing threads queue on."""

    def __init__(self):
        from collections import Counter

        self.samples, self.waiting, self.queries = 0, 0, Counter()
        self.stop = threading.Event()

    def _run(self):
        import psycopg

        with psycopg.connect(os.environ["YIWANG_DATABASE_URL"], autocommit=True) as connection:
            while not self.stop.wait(0.05):
                rows = connection.execute(
                    "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 70) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ).fetchall()
                self.samples += 1
                self.waiting += bool(rows)
                self.queries.update(row[0] for row in rows)

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def summary(self) -> dict:
        return {"samples": self.samples, "waiting": self.waiting, "top": self.queries.most_common(3)}


def in_process(found, args, database_url: str, sizes: dict) -> dict:
    from django.test import override_settings

    from yiwang.services.tests.factories import FOOD_ANSWERS

    calls = read_calls(found, sizes)
    paths = {name: (calls[name].path, calls[name].token) for name in ("me", "mine", "intake", "review")}
    client = runners.client_calls(found, paths)
    selectors = runners.selector_calls(found)
    raw, connection = raw_sql.raw_calls(found, database_url)
    result = {"client": {}, "selector": {}, "raw": {}, "statements": {}, "profile": {}, "sql_share": {}}
    try:
        for name in LISTED:
            result["selector"][name] = runners.timed(selectors[name], args.seconds)
            result["raw"][name] = runners.timed(raw[name], args.seconds)
        result["selector"]["mine_fixed"] = runners.timed(selectors["mine_fixed"], args.seconds)
        for name, call in client.items():
            result["client"][name] = runners.timed(call, args.seconds)
            # The rate limit's cache in this process's memory instead of the database table:
            # what an in-memory cache (Redis, YIWANG_CACHE_URL) would save per request.
            with override_settings(CACHES=LOCMEM):
                result.setdefault("client_locmem", {})[name] = runners.timed(call, args.seconds)
            result["statements"][name] = runners.statements(call)
            result["sql_share"][name] = runners.sql_share(call, 10)
            if args.profile:
                result["profile"][name] = runners.profile(call, args.profile, name)
        print(f"    in-process: { {k: v for k, v in result.items() if k in ('client', 'raw')} }", flush=True)
        result["plans"] = runners.plans(found)
        if not args.skip_writes:
            cycle = runners.cycle_in_process(found, FOOD_ANSWERS)
            result["cycle"] = runners.timed(cycle, args.write_seconds, warmup=2)
            result["statements"]["cycle"] = runners.statements(cycle)
            result["sql_share"]["cycle"] = runners.sql_share(cycle, 3)
            if args.profile:
                result["profile"]["cycle"] = runners.profile(cycle, max(5, args.profile // 10), "cycle")
            print(f"    in-process cycle: {result['cycle']}", flush=True)
    finally:
        connection.close()
    return result


def run(args, database_url: str) -> dict:
    from django.core.management import call_command
    from django.db import connection

    result = {"load": [os.getloadavg()[0]]}
    began = time.monotonic()
    call_command("migrate", verbosity=0)
    result["migrate"] = time.monotonic() - began
    began = time.monotonic()
    found = setup(writers=args.threads)
    result["setup"] = time.monotonic() - began
    print(f"  set up in {result['setup']:.1f} s; loading {args.applications:,} applications", flush=True)
    result["data"] = bulk(found, args.applications)
    print(f"  loaded: {result['data']}", flush=True)
    result["label"] = "PostgreSQL {}.{}".format(*divmod(connection.pg_version, 10000))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        result["data"]["size"] = cursor.fetchone()[0]
    result["inbox_sizes"] = inbox_sizes(found)
    connection.close()  # gunicorn's workers and this process share the server from here
    calls = read_calls(found, result["inbox_sizes"])
    with web.Server(args.workers) as server:
        print("  reads through gunicorn", flush=True)
        result["http"] = http_reads(server, calls, args)
        if not args.skip_writes:
            print("  writes through gunicorn", flush=True)
            result["writes"] = http_writes(server, found, args)
    print("  in-process", flush=True)
    result["inproc"] = in_process(found, args, database_url, result["inbox_sizes"])
    print("  the inbox as proposed (indexes added to this database last)", flush=True)
    result["what_if"] = raw_sql.what_if(found, database_url, args.seconds)
    result["load"].append(os.getloadavg()[0])
    return result


def inbox_sizes(found) -> dict:
    from yiwang.services.selectors_applications import application_list_for_applicant
    from yiwang.services.selectors_handling import application_box_counts

    return {
        "mine": application_list_for_applicant(actor=runners.fresh(found.applicant)).count(),
        "intake": application_box_counts(actor=runners.fresh(found.clerk))["intake"],
        "review": application_box_counts(actor=runners.fresh(found.approver))["review"],
    }


def write_docs(text: str) -> None:
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
    parser.add_argument("--applications", type=int, default=1_000_000, help="applications bulk-loaded")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per read cell")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the reads, cells rotated")
    parser.add_argument("--write-seconds", type=float, default=20.0, help="measured seconds of writes")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=4, help="client threads (and writing applicants)")
    parser.add_argument("--profile", type=int, default=50, help="cProfile this many calls of each read")
    parser.add_argument("--skip-writes", action="store_true")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look afterwards")
    parser.add_argument(
        "--write-docs", action="store_true", help=f"rewrite this benchmark's section of {DOCS}"
    )
    args = parser.parse_args()
    # Before Django reads its settings, here and in gunicorn: no debug, no refusals.
    os.environ["YIWANG_DEBUG"] = "false"
    os.environ["YIWANG_AUTH_RATE"] = RATE
    os.environ["YIWANG_ANON_RATE"] = RATE

    import psycopg

    name = f"yw_bench_services_{os.getpid()}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(
            f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    database_url = re.sub(r"/[^/]*$", f"/{name}", args.postgres)
    try:
        configure(database_url)
        result = run(args, database_url)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep_db:
            print(f"kept database {name}")
        else:
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    text = section(result, args, machine())
    print()
    print(text)
    if args.write_docs:
        write_docs(text)
        print(f"\nwritten to {DOCS}")


if __name__ == "__main__":
    main()
