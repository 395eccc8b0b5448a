"""Workflow engine throughput, the clock sweep and the inbox at scale (issue 3's benchmark).

Run by hand (not a test; it times things):

    .venv/bin/python bench/workflow_throughput.py              # PostgreSQL at 127.0.0.1, then SQLite
    .venv/bin/python bench/workflow_throughput.py --write-docs # also rewrite its docs/benchmarks.md section
    .venv/bin/python bench/workflow_throughput.py --only throughput --skip-sqlite --profile 200

It creates a throw-away PostgreSQL database (dropped afterwards) and a temporary SQLite file,
migrates them, loads and staffs workflow/processes/parallel_approval.yaml, and then:

- throughput: completed two-branch parallel approvals per second (start → fork → two
  department tasks → join → decision → end), side by side: the engine's public functions with
  persistence and audit (and the same acting on unclaimed tasks); the raw database ceiling (the same rows as plain SQL); SpiffWorkflow 3.2
  running bench/parallel_approval.bpmn in memory, serialising to JSON after every step, and also
  storing that JSON (bench/workflow_runners.py says exactly what each includes);
- sweep: `clock_sweep` over --tasks open tasks against plain SQL UPDATEs of the same rows, then
  a second sweep that must change nothing;
- inbox: p50/p95 of `task_inbox` (first page) and `task_counts` at --tasks open tasks, with the
  query plans (bench/workflow_scale.py).

Defaults take about eight minutes on two cores. The numbers depend on the machine; the ratios
measured side by side are what to compare.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import multiprocessing as mp
import os
import platform
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
import workflow_runners as runners  # noqa: E402
import workflow_scale as scale  # noqa: E402
import workflow_spiff as spiff  # noqa: E402
from audit_throughput import configure, machine  # noqa: E402
from workflow_report import BEGIN, END, section  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "benchmarks.md"
MODES = ("engine", "engine_unclaimed", "raw", "spiff_memory", "spiff_json", "spiff_db")
PARALLEL = ("engine", "raw")  # measured with more than one process too
WARMUP = 3


def call_of(mode: str, staff):
    if mode == "engine":
        return lambda: runners.engine_instance(staff)
    if mode == "engine_unclaimed":
        return lambda: runners.engine_instance(staff, claim=False)
    if mode == "raw":
        return lambda: runners.raw_instance(staff)
    how = mode.removeprefix("spiff_")
    return lambda: spiff.spiff_instance(how)


def measure(call, seconds: float) -> float:
    done, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        call()
        done += 1
    return done / (time.monotonic() - started)


def _worker(mode, staff, seconds, barrier, results) -> None:
    from django.db import connections

    call = call_of(mode, staff)
    for _ in range(WARMUP):
        call()
    barrier.wait()
    done, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        call()
        done += 1
    results.put((done, time.monotonic() - started))
    connections.close_all()


def measure_parallel(mode: str, staff, processes: int, seconds: float) -> float:
    from django.db import connections

    connections.close_all()  # children must not share the parent's connection
    context = mp.get_context("fork")
    barrier, results = context.Barrier(processes), context.Queue()
    children = [
        context.Process(target=_worker, args=(mode, staff, seconds, barrier, results))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in children]
    for child in children:
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"a {mode} worker failed (exit {child.exitcode})")
    return sum(done for done, _ in outcomes) / max(took for _, took in outcomes)


def statements(staff) -> dict:
    """What one instance issues: statements by kind, and the engine's reads by table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for mode in ("engine", "raw"):
        with CaptureQueriesContext(connection) as captured:
            call_of(mode, staff)()
        kinds = Counter(q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries)
        reads = Counter(
            (re.search(r'FROM "?(\w+)"?', q["sql"]) or re.search(r"(\w+)", q["sql"])).group(1)
            for q in captured.captured_queries
            if q["sql"].upper().startswith("SELECT")
        )
        counts[mode] = {"kinds": kinds, "reads": reads, "total": len(captured.captured_queries)}
    return counts


def db_share(staff, seconds: float) -> float:
    """The share of the engine's wall time spent in SQL statements and commits."""
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
            measure(call_of("engine", staff), seconds)
            total = time.monotonic() - started
    finally:
        del connection._commit
    return spent[0] / total


def profile(staff, instances: int, label: str) -> dict:
    """cProfile `instances` engine runs: the yiwang functions with the largest cumulative time."""
    profiler = cProfile.Profile()
    call = call_of("engine", staff)
    profiler.enable()
    for _ in range(instances):
        call()
    profiler.disable()
    path = Path(tempfile.gettempdir()) / f"workflow_engine_{label.split()[0].lower()}.prof"
    profiler.dump_stats(path)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"yiwang/", 40)
    stats.sort_stats("tottime").print_stats(20)
    print(f"cProfile of {instances} engine instances on {label} ({path}):\n{out.getvalue()}", flush=True)
    total = stats.total_tt
    top = []
    for (filename, _line, name), (_, calls, _, cumulative, _) in stats.stats.items():
        if "/yiwang/" not in filename or name.startswith("<"):
            continue
        where = filename.split("/yiwang/", 1)[1].removesuffix(".py").replace("/", ".")
        top.append((f"{where}.{name}", cumulative / total, calls / instances))
    top.sort(key=lambda entry: -entry[1])
    services = {"instance_start", "task_claim", "task_act", "inner"}
    return {"instances": instances, "top": [t for t in top if t[0].rsplit(".", 1)[1] not in services][:14]}


def throughput(staff, seconds: float, rounds: int, processes: list[int]) -> dict:
    for mode in MODES:
        for _ in range(WARMUP):
            call_of(mode, staff)()
    samples: dict[tuple[str, int], list[float]] = {}
    for round_ in range(rounds):
        # Rotate the order each round, so a burst of load elsewhere does not always hit one mode.
        for mode in MODES[round_ % len(MODES) :] + MODES[: round_ % len(MODES)]:
            samples.setdefault((mode, 1), []).append(measure(call_of(mode, staff), seconds))
        for count in (p for p in processes if p > 1):
            for mode in PARALLEL:
                samples.setdefault((mode, count), []).append(measure_parallel(mode, staff, count, seconds))
    rates = {key: statistics.median(values) for key, values in samples.items()}
    for (mode, count), rate in rates.items():
        print(f"    {mode} ×{count}: {rate:,.1f} instances/s", flush=True)
    return rates


def run(label: str, args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    load = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    staff = runners.staff_create()
    runners.raw_prepare()
    spiff.spiff_prepare()
    result = {"label": label, "vendor": connection.vendor, "load": [load]}
    parts = args.only.split(",")
    if "throughput" in parts:
        print(f"  {label}: throughput", flush=True)
        result["rates"] = throughput(staff, args.seconds, args.rounds, args.processes)
        result["statements"] = statements(staff)
        result["db_share"] = db_share(staff, args.seconds)
        if args.profile:
            result["profile"] = profile(staff, args.profile, label)
    if "inbox" in parts or "sweep" in parts:
        logging.getLogger("yiwang.workflow.sweep").setLevel(logging.WARNING)  # it logs every moved id
        approvers = scale.city_create(staff)
        sample = 0
        if "sweep" in parts:
            sample = min(args.sweep_sample, args.tasks)
            seeded = scale.seed(staff, approvers, sample)
            result["sweep_real"] = {"open": sample, **scale.sweep(seeded, messages=True)}
            print(f"    sweep with messages: {result['sweep_real']}", flush=True)
        seeded = scale.seed(staff, approvers, args.tasks - sample)
        result["open"] = args.tasks
        print(f"  {label}: seeded {seeded['tasks']:,} open tasks in {seeded['seconds']:.1f} s", flush=True)
        if "inbox" in parts:
            result["inbox"] = scale.inbox(seeded, args.inbox_runs)
            for name, (p50, p95) in result["inbox"]["timings"].items():
                print(f"    {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        if "sweep" in parts:
            result["sweep_full"] = {"open": args.tasks, **scale.sweep(seeded, messages=False)}
            print(f"    sweep without messages: {result['sweep_full']}", flush=True)
    result["load"].append(os.getloadavg()[0])
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        result["label"] = f"PostgreSQL {major}.{minor}"
    else:
        result["label"] = f"SQLite {sqlite3.sqlite_version} (WAL)"
    return result


def postgres(admin_url: str, args) -> dict:
    import psycopg

    name = f"yw_bench_workflow_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(
            f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    try:
        configure(re.sub(r"/[^/]*$", f"/{name}", admin_url))
        return run("PostgreSQL", args)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sqlite(args) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        configure(f"sqlite:///{directory}/bench.sqlite3")
        return run("SQLite", args)


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
    parser.add_argument("--only", default="throughput,inbox,sweep", help="comma-separated parts to run")
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per throughput cell")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per throughput cell, median reported")
    parser.add_argument("--processes", default="1,2", help="process counts for engine and raw ceiling")
    parser.add_argument("--tasks", type=int, default=100_000, help="open tasks for the sweep and the inbox")
    parser.add_argument("--inbox-runs", type=int, default=200, help="timed calls per inbox query")
    parser.add_argument(
        "--profile", type=int, default=30, help="cProfile this many engine instances (0: none)"
    )
    parser.add_argument(
        "--sweep-sample", type=int, default=10_000, help="open tasks of the sweep run with its messages"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--write-docs", action="store_true", help=f"rewrite this benchmark's section of {DOCS}"
    )
    args = parser.parse_args()
    args.processes = [int(n) for n in args.processes.split(",")]

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
    text = section(results, args, machine(), platform.python_version())
    print()
    print(text)
    if args.write_docs:
        write_docs(text)
        print(f"\nwritten to {DOCS}")


if __name__ == "__main__":
    main()
