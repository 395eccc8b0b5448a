"""The docs/benchmarks.md section of bench/license_throughput.py, from its results."""

from __future__ import annotations

import datetime as dt
import os
from importlib.metadata import version

BEGIN, END = "<!-- bench/license_throughput.py: begin -->", "<!-- bench/license_throughput.py: end -->"
ALGORITHMS = ("SM2-SM3", "Ed25519")
ROWS = (
    ("issue", "issue + sign: `license_issue`, licences/s"),
    ("lib_sign", "sign: the library, key loaded once (ceiling)"),
    ("sign", "sign: `signing.sign` (PEM parsed per call)"),
    ("lib_verify", "verify: the library, key loaded once (ceiling)"),
    ("verify", "verify: `signing.verify` (PEM parsed per call)"),
    ("verify_id", "verify by identifier: `license_verify_identifier`"),
    ("api_client", "API `GET /verify/{identifier}`, in-process test Client"),
    ("api_locmem", "the same, rate limit's cache in memory instead of the database"),
    ("api_http", "API `GET /verify/{identifier}`, gunicorn over TCP"),
)
RATIOS = (
    ("issue / library sign", "issue", "lib_sign"),
    ("issue / `signing.sign`", "issue", "sign"),
    ("`signing.sign` / library sign", "sign", "lib_sign"),
    ("verify by identifier / library verify", "verify_id", "lib_verify"),
    ("API in-process / library verify", "api_client", "lib_verify"),
    ("API gunicorn / library verify", "api_http", "lib_verify"),
    ("API in-process / verify by identifier", "api_client", "verify_id"),
    ("API in-process, cache in memory / verify by identifier", "api_locmem", "verify_id"),
)


def _rate(result, mode, algorithm):
    return result.get("rates", {}).get((mode, algorithm))


def _columns(results):
    return [(algorithm, result) for algorithm in ALGORITHMS for result in results]


def _throughput(results, args) -> list[str]:
    columns = _columns(results)
    http = (
        f" The gunicorn row: {args.workers} sync worker(s), {args.threads} client thread(s) in the "
        "benchmark's process, a new connection per request; client, server and database share the CPUs."
        if not args.no_http
        else ""
    )
    lines = [
        "### Operations per second",
        "",
        f"Median of {args.rounds} round(s) of {args.seconds:g} s per cell, cells rotated each round; one "
        f"process unless said otherwise.{http}",
        "",
        "| | " + " | ".join(f"{a} · {r['label']}" for a, r in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for mode, label in ROWS:
        cells = [_rate(r, mode, a) for a, r in columns]
        if all(c is None for c in cells):
            continue
        lines.append(f"| {label} | " + " | ".join(f"{c:,.0f}" if c else "—" for c in cells) + " |")
    for label, a_mode, b_mode in RATIOS:
        cells = []
        for algorithm, result in columns:
            a, b = _rate(result, a_mode, algorithm), _rate(result, b_mode, algorithm)
            cells.append(f"{a / b:.3f}" if a and b else "—")
        if any(c != "—" for c in cells):
            lines.append(f"| *{label}* | " + " | ".join(cells) + " |")
    return lines


def _statements(results) -> list[str]:
    head = " | ".join(r["label"] for r in results)
    lines = [
        "",
        f"Statements per call ({ALGORITHMS[0]}, one call of each, captured), and the share of wall time "
        "inside SQL statements and commits:",
        "",
        f"| | {head} |",
        "|---|" + "---|" * len(results),
    ]
    for name, label in (
        ("issue", "issue"),
        ("verify_id", "verify by identifier"),
        ("api_client", "API call"),
    ):

        def text(result, name=name):
            counted = result.get("statements", {}).get(name)
            if not counted:
                return "—"
            kinds = ", ".join(f"{n} {kind}" for kind, n in counted["kinds"].most_common())
            return f"{counted['total']}: {kinds}"

        lines.append(f"| {label} | " + " | ".join(text(r) for r in results) + " |")

    def reads(result):
        counted = result.get("statements", {}).get("issue", {}).get("reads")
        return ", ".join(f"{table} {n}" for table, n in counted.most_common()) if counted else "—"

    lines.append("| issue: SELECTs by table | " + " | ".join(reads(r) for r in results) + " |")
    for name, label in (("issue", "issue"), ("verify_id", "verify by identifier")):
        shares = [r.get("db_share", {}).get(name) for r in results]
        lines.append(
            f"| {label}: time in SQL and commits | "
            + " | ".join(f"{s:.0%}" if s is not None else "—" for s in shares)
            + " |"
        )
    return lines


def _profiles(results) -> list[str]:
    lines = []
    for result in (r for r in results if r.get("profile")):
        count = result["profile"]["count"]
        for what, title in (("issue", "`license_issue`"), ("verify_id", "`license_verify_identifier`")):
            lines += [
                "",
                f"Where {title} spends its time on {result['label']} ({ALGORITHMS[0]}; cProfile of {count} "
                "calls; cumulative share, nested calls counted in each caller; the profiler inflates "
                "Python-heavy code such as the ORM against C code such as the signature):",
                "",
                "| function | share | calls per call |",
                "|---|---:|---:|",
            ]
            lines += [
                f"| `{name}` | {share:.0%} | {calls:g} |" for name, share, calls in result["profile"][what]
            ]
    return lines


def _reading(results) -> list[str]:
    lines = ["### Reading it", ""]
    for result in results:
        rates = result.get("rates", {})

        def r(mode, algorithm, rates=rates):
            return rates.get((mode, algorithm)) or 0

        sm2, ed = ALGORITHMS
        if not (r("issue", sm2) and r("lib_sign", sm2) and r("issue", ed) and r("lib_sign", ed)):
            continue
        issue_stmts = result.get("statements", {}).get("issue", {}).get("total", "?")
        db = result.get("db_share", {}).get("issue")
        lines.append(
            f"- **{result['label']}, issuing.** One issue costs as much time as "
            f"{r('lib_sign', sm2) / r('issue', sm2):,.0f} SM2 signatures or "
            f"{r('lib_sign', ed) / r('issue', ed):,.0f} Ed25519 signatures: the signature is "
            f"{r('issue', sm2) / r('lib_sign', sm2):.0%} (SM2) and {r('issue', ed) / r('lib_sign', ed):.1%} "
            f"(Ed25519) of an issue's time. The rest is the transaction — {issue_stmts} statements"
            + (f", {db:.0%} of the time inside SQL and the commit" if db is not None else "")
            + ", the remainder Django's ORM building them, encryption and the checks. Ed25519 signs "
            f"{r('lib_sign', ed) / r('lib_sign', sm2):.0f}× as fast as SM2 in the library, yet issues "
            f"{r('issue', ed) / r('issue', sm2):.2f}× as many licences: the choice of algorithm does not "
            "limit issuing."
        )
        if r("verify_id", sm2) and r("lib_verify", sm2):
            lines.append(
                f"- **{result['label']}, verifying.** `license_verify_identifier` reaches "
                f"{r('verify_id', sm2) / r('lib_verify', sm2):.0%} of the library's SM2 verifications and "
                f"{r('verify_id', ed) / r('lib_verify', ed):.0%} of its Ed25519 ones: besides the signature "
                "it reads the row (one SELECT), decrypts the data and holder code (SM4), rebuilds and "
                "canonicalises the payload, checks its SM3 digest and parses the issuer's public key."
            )
        if r("api_client", sm2) and r("verify_id", sm2):
            api = result.get("statements", {}).get("api_client", {}).get("total")
            lines.append(
                f"- **{result['label']}, API.** In-process, the HTTP path keeps "
                f"{r('api_client', sm2) / r('verify_id', sm2):.0%} (SM2) and "
                f"{r('api_client', ed) / r('verify_id', ed):.0%} (Ed25519) of the service's rate"
                + (
                    f"; {api} statements per call against the service's one — the anonymous rate limit "
                    "reads its history from the cache and writes it back in a transaction of its own, and "
                    "without YIWANG_CACHE_URL the cache is a database table"
                    if api
                    else ""
                )
                + (
                    f". With that cache in memory the same calls keep {r('api_locmem', sm2) / r('verify_id', sm2):.0%} "
                    f"(SM2) and {r('api_locmem', ed) / r('verify_id', ed):.0%} (Ed25519)"
                    if r("api_locmem", sm2) and r("api_locmem", ed)
                    else ""
                )
                + (
                    f". Through gunicorn ({r('api_http', sm2):,.0f} and {r('api_http', ed):,.0f} verifications/s) "
                    "its workers, the client threads and the database share the machine's CPUs"
                    if r("api_http", sm2) and r("api_http", ed)
                    else ""
                )
                + "."
            )
    lines += _hot_spots(results)
    lines += [
        "",
        "Every figure above is one process (the gunicorn row aside) on a machine whose CPUs the "
        "database server shares; compare within a column.",
    ]
    cpus = os.cpu_count() or 1
    if any(result["load"][0] > cpus for result in results):  # "after" includes our own load
        lines[-1] += (
            " Other work was running on the machine during this run (load average above the CPU "
            "count), so absolute numbers may be low and noisy; the ratios measured side by side are "
            "what to compare."
        )
    return lines


def _hot_spots(results) -> list[str]:
    """What the numbers point at, from the first database measured (PostgreSQL by default)."""
    result = next((r for r in results if r.get("rates")), None)
    if result is None:
        return []
    rates, counted = result["rates"], result.get("statements", {})

    def r(mode, algorithm):
        return rates.get((mode, algorithm)) or 0

    lines = ["", f"Hot spots (from {result['label']}):", ""]
    reads = counted.get("issue", {}).get("reads", {})
    if reads.get("licenses_signingkey", 0) > 1:
        lines.append(
            f"- `license_issue` reads the issuer's active key {reads['licenses_signingkey']} times: "
            "`signing_key_for_issuer` runs before the serial is taken (to refuse early) and again in "
            "`sign_and_save`. Passing the first key on saves a SELECT per issue — small against the "
            f"{counted['issue']['total']} statements and the commit."
        )
    parse, negative = [], False
    for algorithm in ALGORITHMS:
        if (
            r("issue", algorithm)
            and r("sign", algorithm)
            and r("lib_sign", algorithm)
            and r("verify_id", algorithm)
        ):
            in_issue = r("issue", algorithm) / r("sign", algorithm) - r("issue", algorithm) / r(
                "lib_sign", algorithm
            )
            in_verify = r("verify_id", algorithm) / r("verify", algorithm) - r("verify_id", algorithm) / r(
                "lib_verify", algorithm
            )
            parse.append(f"{algorithm} {in_issue:.1%} of an issue and {in_verify:.1%} of a verification")
            negative = negative or min(in_issue, in_verify) < 0
    if parse:
        lines.append(
            "- `signing.sign` and `signing.verify` parse the PEM on every call, and `_load_public` tries "
            "Tongsuo before cryptography, so an Ed25519 key is parsed twice; the gap to the library costs "
            + "; ".join(parse)
            + (" (a negative share is noise)" if negative else "")
            + ". Caching parsed keys by their PEM would close it; the services would barely notice."
        )
    lookups = result.get("lookups")
    if lookups and r("verify_id", ALGORITHMS[0]):
        lines.append(
            f"- Reading the row is {lookups['first'] * r('verify_id', ALGORITHMS[0]) / 1e6:.0%} of a "
            f"verification, {1 - lookups['raw'] / lookups['first']:.0%} of that in the ORM rather than the "
            "database. `license_verify_identifier` "
            f"finds the row with `filter(identifier=…).first()`: {lookups['first']:,.0f} µs per call here, "
            f"of the {1e6 / r('verify_id', ALGORITHMS[0]):,.0f} µs a whole SM2 verification takes; `.get()` "
            f"takes {lookups['get']:,.0f} µs and the same SELECT as raw SQL {lookups['raw']:,.0f} µs. The "
            "identifier is unique, yet `first()` orders by License's Meta ordering (`-created_at, -id`), "
            "and the ORM compiles that ordering and the joined key's columns on every call. `.get()` (or "
            "`.order_by()` before `.first()`) would drop it; `signing_key_for_issuer` reads its key the "
            "same way, twice per issue."
        )
    api = counted.get("api_client", {}).get("kinds", {})
    if api.get("UPDATE") or api.get("INSERT"):
        lines.append(
            "- Every anonymous verification writes: the rate limit keeps its history in the cache, and "
            "without YIWANG_CACHE_URL that is the `yiwang_cache` table, one read-modify-write transaction "
            "per call (with its commit on PostgreSQL) and all callers from one address on one row. A "
            "public endpoint that officials' scanners and citizens hit should run with a shared "
            "in-memory cache (YIWANG_CACHE_URL, Redis); the `cache in memory` row shows the gain."
        )
    return lines


def section(results: list[dict], args, machine: str, anon_rate: str) -> str:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    loads = "; ".join(f"{r['label']} {r['load'][0]:.1f} before, {r['load'][1]:.1f} after" for r in results)
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("django", "psycopg", "tongsuopy", "cryptography", "gunicorn")
    )
    parts = [
        BEGIN,
        "## Electronic licences: issuing, signing and verifying (`bench/license_throughput.py`)",
        "",
        f"Run {today} on {machine}; {versions}. The database server ran on the same machine. "
        f"Load average (1 min): {loads}.",
        "",
        "One issuing department (市市场监督管理局) with an active SM2-SM3 key and an active Ed25519 key; "
        "`YIWANG_LICENSE_ALGORITHM` is switched between them. Licences are 食品经营许可证 (three data "
        f"items) held by one enterprise; {results[0]['samples'] if results else '?'} of each algorithm "
        "are issued first and their canonical payloads and signatures reused below.",
        "",
        "- **issue**: `license_issue` by an approver whose grants are read afresh each call — type, issuer "
        "and data checks, the serial counter row locked and bumped, the payload signed with the key "
        "decrypted from its row, holder code and data encrypted (SM4-GCM) with a blind index, the licence "
        "row, its chained audit record and the holder's inbox message; one transaction;",
        "- **sign / verify, library**: the same canonical payload bytes signed and verified with a key "
        "object loaded once — Tongsuo (tongsuopy) `ECDSA(SM3)` for SM2 with the default ID "
        "1234567812345678, pyca/cryptography for Ed25519: the ceiling;",
        "- **sign / verify, `signing`**: the project's functions on the same bytes, parsing the PEM "
        "each call as the services do;",
        "- **verify by identifier**: `license_verify_identifier` on the issued licences in turn; every "
        "answer must be *valid*;",
        f"- **API**: `GET /api/v1/licenses/verify/{{identifier}}`, anonymous, with YIWANG_ANON_RATE={anon_rate} "
        "(never refuses, still checked and recorded in the cache each call); through Django's test Client "
        "in the benchmark's process (middleware, throttle, ninja, JSON — no socket, no server), and "
        "through gunicorn on 127.0.0.1 (`yiwang.config.wsgi`, debug off). Every answer must be 200 "
        "and *valid*.",
        "",
        *_throughput(results, args),
        *_statements(results),
        *_profiles(results),
        "",
        *_reading(results),
        END,
    ]
    return "\n".join(parts)
