""" "Reading it" of bench/services_api.py's docs section: what dominates each cost, from the
numbers of the run (the fixes named here are proposals; the benchmark changes no code)."""

from __future__ import annotations


def _share(result, name: str, function: str) -> float | None:
    for found, share, _calls in result["inproc"].get("profile", {}).get(name, []):
        if found == function:
            return share
    return None


def _p50(cell) -> str:
    return f"{cell['p50']:,.1f} ms" if cell else "—"


def _mine(result) -> str:
    inproc, data = result["inproc"], result["data"]
    plan = "\n".join(max(inproc["plans"]["mine"], key=lambda e: e[2])[1]) if inproc.get("plans") else ""
    scans = "Seq Scan on services_application" in plan
    return (
        "- **我的办件.** `selectors_applications.application_list_for_applicant` filters "
        "`Q(applicant_id=actor.pk) | Q(applicant_id__in=<subquery of the enterprises the actor acts "
        "for>)`. PostgreSQL cannot answer an OR with a subquery from the (applicant, created_at) "
        + (
            f"index: the plan is a parallel sequential scan of all {data['applications']:,} applications, "
            "once for the page and once more for the pagination's COUNT. "
            if scans
            else "index. "
        )
        + f"The selectors take {_p50(inproc['selector'].get('mine'))} (p50) for what hand-written SQL "
        f"returns in {_p50(inproc['raw'].get('mine'))}. Reading the enterprise ids first (a short list) "
        "and filtering `applicant_id__in=[actor.pk, *ids]` gives the same rows in the same order from "
        f"the index: {_p50(inproc['selector'].get('mine_fixed'))} with the same selectors otherwise."
    )


def _inbox(result) -> str:
    inproc, sizes, what_if = result["inproc"], result["inbox_sizes"], result.get("what_if", {})
    parts = [
        "- **The inboxes.** `selectors_handling._workable_tasks` ORs the workflow inbox's two boxes "
        "(claimed by me | unclaimed in my department with my role), so each request reads every "
        f"workable task of the box — {sizes['intake']:,} for the hall clerk, {sizes['review']:,} for the "
        "market approver — sorts them to return 21, then `application_box_counts` reads them all again, "
        "each joined to its instance for `subject_type`, to count them. "
        f"In SQL: {inproc['sql_share'].get('intake', 0):.0%} (intake) and "
        f"{inproc['sql_share'].get('review', 0):.0%} (review) of the request."
    ]
    intake = what_if.get("intake")
    if intake:
        parts.append(
            f" As a UNION ALL of the two boxes, each ordered and limited, over two partial indexes in due "
            f"order, the first page takes {_p50(intake.get('union page, partial indexes'))} instead of "
            f"{_p50(intake.get('page'))}, and counts capped at 100 (shown 99+) "
            f"{_p50(intake.get('capped count'))} instead of {_p50(intake.get('count'))} — the remaining "
            "cost is then the ORM and the request itself, independent of the box's size."
        )
    return "".join(parts)


def _ceiling(result) -> str:
    inproc = result["inproc"]
    me = inproc["statements"].get("me", {"total": "?"})
    return (
        f"- **The ceiling itself.** `GET /api/v1/me` runs {me['total']} statements: the token and its "
        "user, the rate limit's read of its history, Django's database cache counting its table "
        "(`SELECT COUNT(*)` on every write, to cull), the history written back in a transaction of its "
        "own (a commit, flushed to disk), and the user's posts. With the cache in this process's memory "
        f"the test Client serves {inproc['client_locmem']['me']['rate']:,.0f}/s instead of "
        f"{inproc['client']['me']['rate']:,.0f}/s; every authenticated API call pays the same. Production "
        "should set YIWANG_CACHE_URL (Redis)."
    )


def _writes(result) -> str | None:
    writes, inproc = result.get("writes"), result["inproc"]
    if not writes or not inproc.get("cycle"):
        return None
    pdf = _share(result, "cycle", "yiwang.services.documents_receipt.receipt_attach")
    audit = _share(result, "cycle", "yiwang.core.audit.services.record")
    licence = _share(result, "cycle", "yiwang.licenses.services.issuing.license_issue")
    counted = inproc["statements"].get("cycle", {"total": "?"})
    top, one = max(writes), min(writes)
    return (
        f"- **Writes.** One cycle through the services takes {_p50(inproc['cycle'])} (p50): "
        f"{counted['total']} statements in 7 transactions, "
        f"{inproc['sql_share'].get('cycle', 0):.0%} of the time inside SQL"
        + (f"; drawing the 受理回执 PDF with its QR code is {pdf:.0%}" if pdf else "")
        + (f", the chained audit records {audit:.0%}" if audit else "")
        + (f", issuing the signed licence {licence:.0%}" if licence else "")
        + f". Through gunicorn, {top} threads complete {writes[top]['rate']:,.2f} cycles/s against "
        f"{writes[one]['rate']:,.2f} with one: the two CPUs are shared by the clients, the workers and "
        "PostgreSQL" + _waits(writes[top]) + "."
    )


def _waits(writes) -> str:
    waits = writes.get("lock_waits")
    if not waits or not waits["samples"]:
        return ""
    share = waits["waiting"] / waits["samples"]
    text = (
        f"; in {share:.0%} of {waits['samples']} samples of pg_stat_activity a transaction waited for a lock"
    )
    if waits["top"]:
        text += " (" + "; ".join(f"`{query}` {count}×" for query, count in waits["top"]) + ")"
    return text


def reading(result: dict) -> list[str]:
    lines = ["### What dominates the cost", "", _mine(result), _inbox(result), _ceiling(result)]
    writes = _writes(result)
    if writes:
        lines.append(writes)
    return lines
