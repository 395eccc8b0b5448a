"""Electronic-licence issuing and verification throughput, SM2-SM3 and Ed25519 (issue 4's benchmark).

Run by hand (not a test; it times things):

    .venv/bin/python bench/license_throughput.py              # PostgreSQL at 127.0.0.1, then SQLite
    .venv/bin/python bench/license_throughput.py --write-docs # also rewrite its docs/benchmarks.md section
    .venv/bin/python bench/license_throughput.py --skip-sqlite --no-http --profile 300

It creates a throw-away PostgreSQL database (dropped afterwards) and a temporary SQLite file,
migrates them, sets up an issuing department with an SM2-SM3 and an Ed25519 key, issues
--samples licences with each, and then, for each algorithm, counts per second
(bench/license_runners.py says exactly what each call includes):

- issue: `license_issue` — checks, serial, signature, encryption, licence row, audit, message;
- sign / verify: `signing.sign` / `signing.verify` on the same canonical payload bytes, and the
  library directly with the key loaded once (Tongsuo for SM2, pyca/cryptography for Ed25519) —
  the ceiling;
- verify by identifier: `license_verify_identifier`, which re-checks the stored signature;
- API: GET /api/v1/licenses/verify/{identifier} through Django's test Client in this process,
  and through gunicorn on 127.0.0.1 called from --threads threads (bench/license_http.py).

YIWANG_ANON_RATE is raised so that the anonymous rate limit never refuses a call; it is still
checked and recorded in the cache on every call, as in production. Defaults take about four
minutes on two cores. The numbers depend on the machine; the ratios measured side by side in
the same run are what to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import multiprocessing as mp
import os
import pstats
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import license_http as http  # noqa: E402
import license_runners as runners  # noqa: E402
from audit_throughput import configure, machine  # noqa: E402
from license_report import BEGIN, END, section  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "benchmarks.md"
MODES = (
    "issue",
    "lib_sign",
    "sign",
    "lib_verify",
    "verify",
    "verify_id",
    "api_client",
    "api_locmem",
    "api_http",
)
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WARMUP = 5
ANON_RATE = "1000000/s"  # never refuses; history kept one second, as short as the real limit's


def measure(call, seconds: float) -> float:
    done, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        call()
        done += 1
    return done / (time.monotonic() - started)


def cell(lib, server, mode: str, algorithm: str, seconds: float, threads: int) -> float:
    from django.test import override_settings

    runners.use_algorithm(algorithm)
    if mode == "api_http":
        return http.measure(server, lib.identifiers[algorithm], threads, seconds)
    # api_locmem: the same calls with the rate limit's cache in this process's memory, not the
    # database table it uses without YIWANG_CACHE_URL — what the throttle's writes cost.
    with override_settings(CACHES=LOCMEM) if mode == "api_locmem" else contextlib.nullcontext():
        if mode == "issue":
            call = lambda: runners.issue(lib)  # noqa: E731
        elif mode == "verify_id":
            call = runners.verifier(lib, algorithm)
        elif mode in ("api_client", "api_locmem"):
            call = runners.api_client(lib, algorithm)
        else:
            call = runners.raw_calls(lib, algorithm)[mode]
        for _ in range(WARMUP):
            call()
        return measure(call, seconds)


def throughput(lib, server, args) -> dict:
    modes = [m for m in MODES if server is not None or m != "api_http"]
    cells = [(mode, algorithm) for mode in modes for algorithm in runners.ALGORITHMS]
    if server is not None:
        for algorithm in runners.ALGORITHMS:  # every worker connected and warm
            http.measure(server, lib.identifiers[algorithm], args.threads, 1.0)
    samples: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        # Rotate the order each round, so a burst of load elsewhere does not always hit one cell.
        shift = round_ * len(cells) // max(args.rounds, 1)
        for mode, algorithm in cells[shift:] + cells[:shift]:
            rate = cell(lib, server, mode, algorithm, args.seconds, args.threads)
            samples.setdefault((mode, algorithm), []).append(rate)
    rates = {key: statistics.median(values) for key, values in samples.items()}
    for (mode, algorithm), rate in rates.items():
        print(f"    {algorithm} {mode}: {rate:,.1f}/s", flush=True)
    return rates


def statements(lib) -> dict:
    """Statements by kind for one issue, one verification and one in-process API call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    runners.use_algorithm(runners.ALGORITHMS[0])
    counts = {}
    for name, call in (
        ("issue", lambda: runners.issue(lib)),
        ("verify_id", runners.verifier(lib, runners.ALGORITHMS[0])),
        ("api_client", runners.api_client(lib, runners.ALGORITHMS[0])),
    ):
        call()
        with CaptureQueriesContext(connection) as captured:
            call()
        kinds = Counter(q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries)
        reads = Counter(
            found.group(1)
            for q in captured.captured_queries
            if q["sql"].upper().startswith("SELECT") and (found := re.search(r'FROM "?(\w+)"?', q["sql"]))
        )
        counts[name] = {"kinds": kinds, "reads": reads, "total": len(captured.captured_queries)}
    return counts


def db_share(call, seconds: float) -> float:
    """The share of wall time spent in SQL statements and commits."""
    from django.db import connection

    spent = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    commit = connection._commit

    def timed_commit():
        started = time.perf_counter()
        try:
            return commit()
        finally:
            spent[0] += time.perf_counter() - started

    connection._commit = timed_commit
    try:
        with connection.execute_wrapper(timed):
            started = time.monotonic()
            measure(call, seconds)
            total = time.monotonic() - started
    finally:
        del connection._commit
    return spent[0] / total


def profile(call, count: int, what: str, label: str) -> list:
    """cProfile `count` calls: the yiwang and crypto functions with the largest cumulative share."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        call()
    profiler.disable()
    path = Path(tempfile.gettempdir()) / f"license_{what}_{label.split()[0].lower()}.prof"
    profiler.dump_stats(path)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"yiwang/|tongsuo", 25)
    print(f"cProfile of {count} × {what} on {label} ({path}):\n{out.getvalue()}", flush=True)
    top = []
    for (filename, _line, name), (_, calls, _, cumulative, _) in stats.stats.items():
        if name.startswith("<") or not any(part in filename for part in ("/yiwang/", "/tongsuopy/")):
            continue
        if "/yiwang/" in filename:
            where = "yiwang." + filename.split("/yiwang/", 1)[1].removesuffix(".py").replace("/", ".")
        else:
            where = "tongsuopy." + filename.split("/tongsuopy/", 1)[1].removesuffix(".py").replace("/", ".")
        top.append((f"{where}.{name}", cumulative / stats.total_tt, calls / count))
    top.sort(key=lambda entry: -entry[1])
    return top[1:13]  # the first is the service itself (100 %)


def run(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    load = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    lib = runners.library_create()
    for algorithm in runners.ALGORITHMS:
        runners.samples(lib, algorithm, args.samples)
    label = (
        "PostgreSQL {}.{}".format(*divmod(connection.pg_version, 10000))
        if connection.vendor == "postgresql"
        else f"SQLite {sqlite3.sqlite_version} (WAL)"
    )
    result = {"label": label, "vendor": connection.vendor, "load": [load], "samples": args.samples}
    print(f"  {label}: throughput", flush=True)
    if args.no_http:
        result["rates"] = throughput(lib, None, args)
    else:
        with http.Server(args.workers) as server:
            result["rates"] = throughput(lib, server, args)
    result["statements"] = statements(lib)
    lookups = runners.lookup_calls(lib, runners.ALGORITHMS[0])
    result["lookups"] = {  # µs per call, median of three half-second runs
        name: 1e6 / statistics.median(measure(call, 0.5) for _ in range(3)) for name, call in lookups.items()
    }
    runners.use_algorithm(runners.ALGORITHMS[0])
    issue = lambda: runners.issue(lib)  # noqa: E731
    verify = runners.verifier(lib, runners.ALGORITHMS[0])
    result["db_share"] = {"issue": db_share(issue, args.seconds), "verify_id": db_share(verify, args.seconds)}
    if args.profile:
        result["profile"] = {
            "count": args.profile,
            "issue": profile(issue, args.profile, "issue", label),
            "verify_id": profile(verify, args.profile, "verify_id", label),
        }
    result["load"].append(os.getloadavg()[0])
    return result


def postgres(admin_url: str, args) -> dict:
    import psycopg

    name = f"yw_bench_lic_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    try:
        configure(re.sub(r"/[^/]*$", f"/{name}", admin_url))
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sqlite(args) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        configure(f"sqlite:///{directory}/bench.sqlite3")
        return run(args)


def write_docs(text: str) -> None:
    current = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n\n"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        current = head + text + rest.split(END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + text + "\n"
    DOCS.write_text(current, encoding="utf-8")


def _result(queue, process) -> dict:
    import queue as queues

    while True:
        try:
            return queue.get(timeout=5)
        except queues.Empty:
            if not process.is_alive():
                raise SystemExit(f"the benchmark process failed (exit {process.exitcode})") from None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="an administrative URL; a throw-away database is created beside it",
    )
    parser.add_argument("--seconds", type=float, default=1.0, help="measured seconds per cell")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per cell, median reported")
    parser.add_argument("--samples", type=int, default=100, help="licences issued per algorithm to verify")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="client threads calling gunicorn")
    parser.add_argument("--no-http", action="store_true", help="skip gunicorn (the test Client still runs)")
    parser.add_argument(
        "--profile", type=int, default=100, help="cProfile this many issues and verifications"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--write-docs", action="store_true", help=f"rewrite this benchmark's section of {DOCS}"
    )
    args = parser.parse_args()
    # Before Django reads its settings, here and in gunicorn: no debug (no query log), no refusals.
    os.environ["YIWANG_DEBUG"] = "false"
    os.environ["YIWANG_ANON_RATE"] = ANON_RATE

    # Django is set up once per process; each database gets its own child process.
    results = []
    context = mp.get_context("fork")
    for wanted, job in (
        (not args.skip_postgres, lambda q: q.put(postgres(args.postgres, args))),
        (not args.skip_sqlite, lambda q: q.put(sqlite(args))),
    ):
        if not wanted:
            continue
        queue = context.Queue()
        process = context.Process(target=job, args=(queue,))
        process.start()
        results.append(_result(queue, process))
        process.join()
    text = section(results, args, machine(), ANON_RATE)
    print()
    print(text)
    if args.write_docs:
        write_docs(text)
        print(f"\nwritten to {DOCS}")


if __name__ == "__main__":
    main()
