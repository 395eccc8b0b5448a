"""The docs/benchmarks.md section of bench/services_api.py, from its results."""

from __future__ import annotations

import datetime as dt
import os
from importlib.metadata import version

from services_reading import reading

BEGIN, END = "<!-- services_api:begin -->", "<!-- services_api:end -->"
NAMES = {
    "healthz": "`GET /healthz` — no auth, no database (bare ceiling)",
    "me": "`GET /api/v1/me` — token, rate limit, the user's posts (authenticated ceiling)",
    "mine": "`GET /api/v1/services/applications` — 我的办件: first 20 and the count",
    "intake": "`GET …/office/applications?box=intake` — hall clerk's 待预审/待受理",
    "review": "`GET …/office/applications?box=review` — market approver's 审查中",
}
SHORT = {
    "me": "/me",
    "mine": "我的办件",
    "mine_fixed": "我的办件, proposed fix",
    "intake": "inbox 待预审/待受理",
    "review": "inbox 审查中",
    "cycle": "write cycle",
}
P95_GOAL_MS = 50


def _ms(value) -> str:
    return f"{value:,.1f}" if value is not None else "—"


def _cell(timed) -> str:
    return f"{timed['rate']:,.0f}/s · {_ms(timed['p50'])} / {_ms(timed['p95'])}" if timed else "—"


def _kinds(counted) -> str:
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(counted["kinds"].items(), key=lambda kv: -kv[1]))
    return f"{counted['total']}: {kinds}"


def _data(result) -> list[str]:
    data = result["data"]
    statuses = ", ".join(f"{status} {count:,}" for status, count in data["statuses"].items())
    steps = "; ".join(f"{name} {seconds:,.1f} s" for name, seconds in data["steps"].items())
    sizes = result["inbox_sizes"]
    return [
        "### Data",
        "",
        f"{data['applications']:,} applications by {data['applicants']:,} applicants (a fifth of them "
        "enterprises) over three years — the newest 4 % in the last 30 days, most of those still open — "
        f"for 9 items of 9 departments, all accepted at one hall (一窗受理); by status: {statuses}. "
        f"{data['tasks']:,} workflow tasks (the finished steps' and the open ones), {data['open_tasks']:,} "
        "open: 预审/受理 at the hall, 审查/决定 at the item's department, 补正 with the applicant; one in "
        "five open tasks claimed. One ProcessInstance per non-draft application. Materials, events, audit "
        f"records and licences of the bulk rows are left out (neither list reads them). Database "
        f"{data['size']}.",
        "",
        f"Loaded in **{data['seconds']:,.0f} s**, one INSERT … SELECT over generate_series per table, "
        f"secondary indexes rebuilt afterwards ({steps}); before it the city, items, officials and API "
        f"tokens by the test factories ({result['setup']:,.1f} s) and the migrations "
        f"({result['migrate']:,.1f} s).",
        "",
        f"Read: the benchmark applicant's 我的办件 ({sizes['mine']} applications); the hall clerk's "
        f"待预审/待受理 box ({sizes['intake']:,} open tasks) and the market approver's 审查中 box "
        f"({sizes['review']:,}), first page of 20 with the box counts.",
    ]


def _reads(result, args) -> list[str]:
    http = result["http"]
    threads = sorted(http, reverse=True)
    head = " | ".join(f"{t} thread{'s' if t > 1 else ''}: req/s · p50 / p95 ms" for t in threads)
    lines = [
        "### Reads through gunicorn",
        "",
        f"{args.workers} sync workers; {' and '.join(map(str, threads))} client thread(s) in the "
        "benchmark's process, a new connection per request; "
        f"{args.rounds} round(s) of {args.seconds:g} s per cell, cells rotated each round: the median "
        "round's rate, the percentiles of every request. Clients, gunicorn and PostgreSQL share the 2 "
        "CPUs: with 4 threads latency includes queueing.",
        "",
        f"| endpoint | {head} |",
        "|---|" + "---:|" * len(threads),
    ]
    for name, label in NAMES.items():
        lines.append(f"| {label} | " + " | ".join(_cell(http[t][name]) for t in threads) + " |")
    for name in ("mine", "intake", "review"):
        cells = [
            f"{http[t][name]['rate'] / http[t]['me']['rate']:.2f} of /me, "
            f"{http[t][name]['rate'] / http[t]['healthz']['rate']:.3f} of /healthz"
            for t in threads
        ]
        lines.append(f"| *{SHORT[name]} / ceiling* | " + " | ".join(cells) + " |")
    return lines


def _goals(result) -> list[str]:
    http = result["http"]
    top = max(http)
    lines = ["", f"### Goals: reads ≥ ½ the ceiling, p95 < {P95_GOAL_MS} ms ({top} client threads)", ""]
    for name in ("mine", "intake", "review"):
        cell, me, bare = http[top][name], http[top]["me"], http[top]["healthz"]
        half = cell["rate"] >= 0.5 * me["rate"]
        lines.append(
            f"- {SHORT[name]}: {cell['rate']:,.1f} req/s = {cell['rate'] / me['rate']:.2f} of /me "
            f"({me['rate']:,.0f}/s) — **{'met' if half else 'missed'}** (of /healthz, {bare['rate']:,.0f}/s: "
            f"{cell['rate'] / bare['rate']:.3f}); p95 {cell['p95']:,.0f} ms (one thread: "
            f"{http[1][name]['p95']:,.0f} ms) — **{'met' if cell['p95'] < P95_GOAL_MS else 'missed'}**."
        )
    return lines


def _in_process(result) -> list[str]:
    inproc = result["inproc"]
    lines = [
        "",
        "### The same reads in one process",
        "",
        "One caller, calls/s · p50 / p95 ms. *raw SQL*: the same rows (first page and the count) by "
        "hand-written SQL on a psycopg connection — the database's ceiling; *selectors*: what the "
        "endpoint calls, the user read afresh; *test Client*: the whole request (middleware, token, rate "
        "limit, ninja, JSON) without a socket, and again with the rate limit's cache in memory instead of "
        "the database table; *in SQL*: the share of the test Client's time inside SQL statements.",
        "",
        "| read | raw SQL | selectors | test Client | … cache in memory | in SQL | statements |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name in ("me", "mine", "mine_fixed", "intake", "review"):
        cells = [_cell(inproc[kind].get(name)) for kind in ("raw", "selector", "client", "client_locmem")]
        share = inproc["sql_share"].get(name)
        counted = inproc["statements"].get(name)
        lines.append(
            f"| {SHORT[name]} | "
            + " | ".join(cells)
            + f" | {f'{share:.0%}' if share is not None else '—'} | {_kinds(counted) if counted else '—'} |"
        )
    return lines


def _writes(result) -> list[str]:
    writes = result.get("writes")
    if not writes:
        return []
    inproc = result["inproc"]
    top = max(writes)
    lines = [
        "",
        "### Writes: draft → 办结",
        "",
        "One cycle = 7 API calls: POST draft (its one material, 营业执照, filled in 免提交 from the "
        "licence the applicant holds — no upload), PUT form, POST submit (办件编号, process started); "
        "预审 and 受理 by the hall clerk (受理回执 PDF); 审查 and 决定 by the market approver (准予: a "
        "食品经营许可证 issued, SM2-signed). Each client thread is another enterprise; the two officials "
        "are shared.",
        "",
        "| | cycles/s | API calls/s |",
        "|---|---:|---:|",
    ]
    for threads in sorted(writes, reverse=True):
        rate = writes[threads]["rate"]
        lines.append(f"| gunicorn, {threads} client thread(s) | {rate:,.2f} | {rate * 7:,.1f} |")
    if inproc.get("cycle"):
        lines.append(f"| the services in-process, one caller | {inproc['cycle']['rate']:,.2f} | — |")
    lines += [
        "",
        f"Each call with {top} threads, p50 / p95 ms: "
        + "; ".join(f"{step} {p50:,.0f} / {p95:,.0f}" for step, (p50, p95) in writes[top]["steps"].items())
        + ".",
    ]
    if inproc["statements"].get("cycle"):
        lines[-1] += (
            f" One in-process cycle runs {_kinds(inproc['statements']['cycle'])}; "
            f"{inproc['sql_share'].get('cycle', 0):.0%} of its time inside SQL statements."
        )
    return lines


def _what_if(result) -> list[str]:
    found = result.get("what_if")
    if not found:
        return []
    lines = [
        "",
        "### The inbox's SQL as it is and as proposed",
        "",
        "By hand on a psycopg connection, one caller, calls/s · p50 / p95 ms; the partial indexes are "
        "created in this throw-away database after every other measurement.",
        "",
        "| | " + " | ".join(SHORT[name] for name in found) + " |",
        "|---|" + "---:|" * len(found),
    ]
    labels = {
        "page": "first page, the two boxes OR-ed (as now)",
        "union page, partial indexes": "first page, UNION ALL of the two boxes + partial indexes in due order",
        "count": "box counts (as now)",
        "capped count": "box counts capped at 100 (99+)",
    }
    for key, label in labels.items():
        lines.append(f"| {label} | " + " | ".join(_cell(found[name].get(key)) for name in found) + " |")
    return lines


def _profiles(result) -> list[str]:
    lines = []
    for name, top in result["inproc"].get("profile", {}).items():
        if name == "me":
            continue
        what = "one write cycle (7 service calls)" if name == "cycle" else f"{SHORT[name]}, test Client"
        lines += [
            "",
            f"cProfile, {what}: the project's functions and the framework's main parts by cumulative share "
            "(nested calls count in each caller), calls per call:",
            "",
            "| function | share | calls |",
            "|---|---:|---:|",
        ]
        lines += [f"| `{function}` | {share:.0%} | {calls:g} |" for function, share, calls in top[:10]]
    return lines


def _plans(result) -> list[str]:
    lines = []
    for name in ("mine", "intake"):
        explained = result["inproc"].get("plans", {}).get(name)
        if not explained:
            continue
        _sql, rows, ms = max(explained, key=lambda e: e[2])
        lines += [
            "",
            f"The slowest statement of {SHORT[name]} ({ms:.1f} ms under EXPLAIN ANALYZE):",
            "",
            "```",
            *[row for row in rows if "Buffers" not in row][:22],
            "```",
        ]
    return lines


def _busy(result) -> list[str]:
    cpus = os.cpu_count() or 1
    if result["load"][0] <= cpus:  # before: "after" includes the benchmark's own load
        return []
    return [
        "",
        "Other work was running on the machine during this run (load average above the CPU count): "
        "absolute numbers are low and noisy; compare within a table, side by side.",
    ]


def section(result: dict, args, machine: str) -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    versions = ", ".join(f"{n} {version(n)}" for n in ("django", "django-ninja", "psycopg", "gunicorn"))
    parts = [
        BEGIN,
        "## 一网通办: the API at a million applications (`bench/services_api.py`)",
        "",
        f"Run {today} on {machine}; {versions}; {result['label']} on the same machine. Load average "
        f"(1 min) {result['load'][0]:.1f} before, {result['load'][1]:.1f} after. Production-like settings "
        "(debug off); Bearer API tokens; the rate limits raised so they never refuse, still checked and "
        "recorded on every call in the cache — the database table, as without YIWANG_CACHE_URL.",
        *_busy(result),
        "",
        *_data(result),
        "",
        *_reads(result, args),
        *_goals(result),
        *_in_process(result),
        *_writes(result),
        *_what_if(result),
        "",
        *reading(result),
        *_profiles(result),
        *_plans(result),
        END,
    ]
    return "\n".join(parts)
