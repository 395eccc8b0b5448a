"""What bench/services_api.py calls in its own process: the reads through the selectors and
through Django's test Client (the whole request path without a socket), the same rows as one
hand-written SQL statement each on a psycopg connection (the database's ceiling), the write
cycle through the services, and cProfile of any of them.

Every call starts from users read afresh (as a request authenticates its user), so the
per-user caches of grants and posts are read again each time, as they are per request.
"""

from __future__ import annotations

import cProfile
import io
import itertools
import os
import pstats
import statistics
import time

from services_load import Setup

INTAKE_STATES = ("pre_review", "acceptance")
REVIEW_STATES = ("review", "lead_review", "partner_review")
ALL_STATES = INTAKE_STATES + REVIEW_STATES + ("decision",)


def fresh(user):
    from yiwang.core.accounts.models import User

    return User.objects.get(pk=user.pk)


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call, seconds: float, warmup: int = 3) -> dict:
    """One caller for `seconds`: calls per second and p50/p95 in ms."""
    for _ in range(warmup):
        call()
    samples, began = [], time.monotonic()
    while time.monotonic() - began < seconds:
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    p50, p95 = percentiles(samples)
    return {"rate": len(samples) / (time.monotonic() - began), "p50": p50, "p95": p95, "count": len(samples)}


# --- reads ------------------------------------------------------------------------------------
def selector_calls(found: Setup) -> dict:
    """The selectors the two list endpoints call, as they call them (first page of 20)."""
    from yiwang.services.selectors_applications import application_list_for_applicant
    from yiwang.services.selectors_handling import application_box_counts, application_list_for_official

    def mine():
        rows = application_list_for_applicant(actor=fresh(found.applicant))
        return rows.count(), list(rows[:20])

    def inbox(official, box):
        def call():
            actor = fresh(official)
            return application_list_for_official(actor=actor, box=box), application_box_counts(actor=actor)

        return call

    return {
        "mine": mine,
        "mine_fixed": mine_fixed(found),
        "intake": inbox(found.clerk, "intake"),
        "review": inbox(found.approver, "review"),
    }


def mine_fixed(found: Setup):
    """我的办件 as the report proposes: the enterprises the actor acts for read first (a short
    list), then `applicant_id IN (…)` — an index range per id instead of OR-ing a subquery, which
    PostgreSQL can only answer by scanning the whole table. Same rows, same order."""
    from django.db.models import Q
    from django.utils import timezone

    from yiwang.core.accounts.models import EnterpriseAgent
    from yiwang.services.models import Application

    def call():
        actor = fresh(found.applicant)
        today = timezone.localdate()
        enterprises = EnterpriseAgent.objects.filter(agent_id=actor.pk).filter(
            Q(valid_until=None) | Q(valid_until__gte=today)
        )
        ids = [actor.pk, *enterprises.values_list("enterprise_id", flat=True)]
        rows = Application.objects.select_related("item_version", "applicant").filter(applicant_id__in=ids)
        rows = rows.order_by("-created_at", "-id")
        return rows.count(), list(rows[:20])

    return call


def client_calls(found: Setup, paths: dict) -> dict:
    """name → GET through Django's test Client with the owner's Bearer token."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def get(path, token):
        def call():
            response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} said {response.status_code}: {response.content[:300]!r}")
            return response

        return call

    return {name: get(path, token) for name, (path, token) in paths.items()}


def plans(found: Setup) -> dict:
    """EXPLAIN ANALYZE of every statement one call of each list makes (through the selectors)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = {}
    for name, call in selector_calls(found).items():
        with CaptureQueriesContext(connection) as captured:
            call()
        explained = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}")
                rows = [row[0] for row in cursor.fetchall()]
                explained.append((sql, rows, (time.perf_counter() - started) * 1000))
        result[name] = explained
    return result


# --- the write cycle in-process ---------------------------------------------------------------
_serial = itertools.count(1)


def cycle_in_process(found: Setup, answers: dict):
    """One application from draft to 办结 through the services, as the API calls them."""
    from yiwang.services.services.applying import application_draft_create, application_draft_save
    from yiwang.services.services.applying_submit import application_submit
    from yiwang.services.services.handling import application_accept, application_pre_review_pass
    from yiwang.services.services.handling_decide import application_decide, application_review

    def call():
        writer = found.writers[0]
        application = application_draft_create(actor=fresh(writer), item=found.write_item)
        application = application_draft_save(
            actor=fresh(writer), application=application, form=answers, expected_version=application.version
        )
        application = application_submit(
            actor=fresh(writer), application=application, client_token=f"inproc-{os.getpid()}-{next(_serial)}"
        )
        application_pre_review_pass(actor=fresh(found.clerk), application=application, opinion="材料齐全")
        application_accept(actor=fresh(found.clerk), application=application, opinion="予以受理")
        application_review(actor=fresh(found.approver), application=application, agree=True, opinion="符合")
        decided = application_decide(
            actor=fresh(found.approver), application=application, approve=True, opinion="准予"
        )
        if decided.status != "completed" or decided.license_id is None:
            raise RuntimeError(f"the in-process cycle ended {decided.status}")

    return call


def sql_share(call, count: int) -> float:
    """The share of `count` calls' wall time spent inside SQL statements (sent, run, read)."""
    from django.db import connection

    spent = [0.0]

    def timed_execute(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    with connection.execute_wrapper(timed_execute):
        began = time.perf_counter()
        for _ in range(count):
            call()
        total = time.perf_counter() - began
    return spent[0] / total


def statements(call) -> dict:
    """Statements of one call by kind."""
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    kinds = Counter(q["sql"].split(None, 1)[0].upper() for q in captured.captured_queries)
    return {"total": len(captured.captured_queries), "kinds": dict(kinds)}


# Framework functions worth naming in a request's profile (the rest are wrappers around them).
PROFILE_KEEP = (
    "ninja.operation._run_authentication",
    "ninja.operation._check_throttles",
    "ninja.operation._result_to_response",
    "ninja.pagination.view_with_pagination",
    "django.core.cache.backends.db._base_set",
    "django.core.cache.backends.db.get_many",
    "psycopg.cursor.execute",
    "django.db.models.sql.compiler.as_sql",
    "django.db.models.base.from_db",
    "django.db.models.query.count",
    "reportlab.pdfgen.canvas.save",
)


def profile(call, count: int, label: str) -> list:
    """cProfile `count` calls: (function, cumulative share of the profiled time, calls per call)
    for the project's functions (not the middleware wrappers) and the framework's in
    PROFILE_KEEP, largest share first."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    found: dict[str, tuple[float, float]] = {}
    for (filename, _line, name), (_, calls, _, cumulative, _) in stats.stats.items():
        if "/yiwang/" in filename:
            where = "yiwang." + filename.split("/yiwang/", 1)[1].removesuffix(".py").replace("/", ".")
        elif "site-packages/" in filename:
            where = filename.split("site-packages/", 1)[1].removesuffix(".py").replace("/", ".")
        else:
            continue
        function = f"{where}.{name}"
        wrapper = where.startswith("yiwang.core.web.middleware") or name.startswith("<")
        if wrapper or not (where.startswith("yiwang.") or function in PROFILE_KEEP):
            continue
        share, per_call = cumulative / total, calls / count
        if function not in found or found[function][0] < share:  # same name, several lines
            found[function] = (share, per_call)
    top = sorted(((f, s, c) for f, (s, c) in found.items()), key=lambda entry: -entry[1])
    return top[:14]
