"""The clock sweep and the inbox at scale, for bench/workflow_throughput.py.

`city_create` makes the departments and approvers, `seed` bulk-inserts open tasks (two per running instance, as a parallel approval's branches)
over a city of departments: a fifth claimed by an approver of their department, the rest waiting
to be claimed; half past their warning time, one in twenty past due. `sweep` times
`workflow.sweep.clock_sweep` against the same transitions as plain SQL UPDATEs, then a second,
idempotent sweep. `inbox` times `task_inbox` (first page) and `task_counts` for an approver
with one post, and keeps the plans of their queries.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

DEPARTMENTS = 40
APPROVERS = 5  # per department
CLAIMED_EVERY = 5  # one task in five is claimed
OVERDUE_EVERY = 20  # one in twenty is past due (and so past its warning time)


def city_create(staff) -> dict:
    """DEPARTMENTS departments with APPROVERS approvers each: {department: [approvers]}."""
    from yiwang.core.tests import factories

    city = staff.subject_dept.division
    approvers = {}
    for number in range(DEPARTMENTS):
        department = factories.create_department(f"压测部门{number:02d}", division=city)
        approvers[department] = [
            factories.create_official(
                department=department, role="approver", display_name=f"审查员{number}-{n}"
            )
            for n in range(APPROVERS)
        ]
    return approvers


def seed(staff, approvers: dict, tasks: int) -> dict:
    """tasks/2 running instances and their open tasks, after whatever is there already."""
    from django.db import connection, transaction
    from django.utils import timezone

    started = time.monotonic()
    departments = list(approvers)
    now = timezone.now()
    instance_rows, task_rows = [], []
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM workflow_processinstance")
        first_instance = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM workflow_task")
        first_task = cursor.fetchone()[0] + 1
    for n in range(tasks // 2):
        instance_id = first_instance + n
        started_at = now - timedelta(hours=1 + n % 240)
        # Instances: one in four past the whole process's warning time, none past due.
        due, warn = now + timedelta(days=3), now + (timedelta(hours=-1) if n % 4 == 0 else timedelta(days=1))
        instance_rows.append(
            (instance_id, staff.version_id, "workflow.parallel_approval", "orgs.department",
             str(staff.subject_dept.pk), staff.subject_dept.pk, staff.clerk.pk, "running", "", started_at,
             "{}", '{"reviews_done": []}', 2, due, warn, "normal")
        )  # fmt: skip
        for branch in range(2):
            number = 2 * n + branch
            department = departments[(n + branch * 7) % DEPARTMENTS]
            claimed = number % CLAIMED_EVERY == 0
            assignee = approvers[department][number // CLAIMED_EVERY % APPROVERS].pk if claimed else None
            due, warn = _clock(now, number)
            state = ("market_review", "fire_review")[branch]
            task_rows.append(
                (first_task + number, instance_id, state, state, "claimed" if claimed else "open",
                 '["approver"]', ",approver,", department.pk, assignee, False, started_at,
                 started_at if claimed else None, 2 if claimed else 1, due, warn, "normal", "", "")
            )  # fmt: skip
    with transaction.atomic():
        _bulk(
            "workflow_processinstance",
            "id, definition_id, definition_code, subject_type, subject_id, department_id, initiator_id, "
            "status, outcome, started_at, params, join_arrivals, version, due_at, warn_at, clock_status",
            instance_rows,
        )
        _bulk(
            "workflow_task",
            "id, instance_id, state, branch, status, candidate_roles, role_keys, candidate_department_id, "
            "assignee_id, named, created_at, claimed_at, version, due_at, warn_at, clock_status, action, opinion",
            task_rows,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("workflow_processinstance", "workflow_task"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE workflow_task")
            cursor.execute("VACUUM ANALYZE workflow_processinstance")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # The typical official: an approver with one post, in a department with its share of tasks.
    official = approvers[departments[0]][0]
    return {
        "tasks": len(task_rows),
        "instances": len(instance_rows),
        "seconds": time.monotonic() - started,
        "official": official,
        "first_task": first_task,
        "first_instance": first_instance,
    }


def _clock(now, number: int):
    """(due_at, warn_at): every other row past its warning time, one in twenty past due."""
    if number % OVERDUE_EVERY == 0:
        return now - timedelta(hours=2), now - timedelta(days=1)
    if number % 2 == 0:
        return now + timedelta(days=1), now - timedelta(hours=3)
    return now + timedelta(days=5), now + timedelta(days=2)


def _bulk(table: str, columns: str, rows: list[tuple]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            adapt = connection.ops.adapt_datetimefield_value
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                [tuple(adapt(v) if hasattr(v, "tzinfo") else v for v in row) for row in rows],
            )


# --- the sweep ------------------------------------------------------------------------------
_PLAIN = (
    "UPDATE {table} SET clock_status = 'overdue', overdue_at = %s "
    "WHERE status IN {open} AND due_at < %s AND overdue_at IS NULL",
    "UPDATE {table} SET clock_status = 'warning', warned_at = %s WHERE status IN {open} "
    "AND warn_at <= %s AND due_at >= %s AND clock_status IN ('normal', 'warning') AND warned_at IS NULL",
)
_TABLES = (("workflow_task", "('open', 'claimed')"), ("workflow_processinstance", "('running')"))


def _reset(first_task: int, first_instance: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflow_task SET clock_status = 'normal', warned_at = NULL, overdue_at = NULL WHERE id >= %s",
            [first_task],
        )
        cursor.execute(
            "UPDATE workflow_processinstance SET clock_status = 'normal', warned_at = NULL, overdue_at = NULL "
            "WHERE id >= %s",
            [first_instance],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE workflow_task")
            cursor.execute("VACUUM ANALYZE workflow_processinstance")


def sweep(seeded: dict, *, messages: bool) -> dict:
    """Plain SQL first, the rows reset, then the sweep twice. Without `messages`, `notify_many`
    is replaced by a counter: the sweep's own work (finding, locking, moving the rows, reading
    the recipients, escalating) without writing the messages."""
    from contextlib import ExitStack
    from unittest import mock

    from django.db import DatabaseError, connection, transaction
    from django.utils import timezone

    from yiwang.core.notify.models import Message
    from yiwang.workflow import sweep_notices
    from yiwang.workflow.sweep import clock_sweep

    now = timezone.now()
    started = time.monotonic()
    moved = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table, open_ in _TABLES:
            overdue, warning = (sql.format(table=table, open=open_) for sql in _PLAIN)
            cursor.execute(overdue, [now, now])
            moved += cursor.rowcount
            cursor.execute(warning, [now, now, now])
            moved += cursor.rowcount
    plain = time.monotonic() - started
    _reset(seeded["first_task"], seeded["first_instance"])
    result = {"plain": plain, "plain_rows": moved, "error": "", "messages_sent": messages}
    counted = [0]

    def counter(notices):
        counted[0] += len(notices)

    before = Message.objects.count()
    try:
        with ExitStack() as stack:
            if not messages:
                stack.enter_context(mock.patch.object(sweep_notices, "notify_many", counter))
            started = time.monotonic()
            report = clock_sweep(now)
            result["sweep"] = time.monotonic() - started
            started = time.monotonic()
            again = clock_sweep(now)
            result["again"] = time.monotonic() - started
        result["moved"] = (
            len(report.warned)
            + len(report.overdue)
            + len(report.instances_warned)
            + len(report.instances_overdue)
        )
        result["again_changed"] = again.changed
        result["messages"] = Message.objects.count() - before + counted[0]
    except DatabaseError as error:  # e.g. SQLite's limit on bound parameters
        result["error"] = f"{type(error).__name__}: {str(error)[:200]}"
        print(f"  sweep failed: {result['error']}", flush=True)
    return result


# --- the inbox ------------------------------------------------------------------------------
def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def inbox(seeded: dict, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.workflow.selectors_runtime import task_counts, task_inbox

    official = seeded["official"]

    def fresh():
        official.__dict__.pop("_yiwang_workflow_posts", None)  # a new request: posts read again
        return official

    calls = {
        "task_inbox mine, first 20": lambda: list(task_inbox(actor=fresh(), box="mine")[:20]),
        "task_inbox department, first 20": lambda: list(task_inbox(actor=fresh(), box="department")[:20]),
        "task_counts": lambda: task_counts(actor=fresh()),
    }
    timings, rows, plans = {}, {}, {}
    for name, call in calls.items():
        for _ in range(5):  # warm the caches
            call()
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            value = call()
            samples.append(time.perf_counter() - started)
        timings[name] = _percentiles(samples)
        rows[name] = len(value) if isinstance(value, list) else value
        with CaptureQueriesContext(connection) as captured:
            call()
        # The task query (the others read the official's posts, or count copies).
        sql = [q["sql"] for q in captured.captured_queries if 'FROM "workflow_task"' in q["sql"]][-1]
        plans[name] = _plan(sql)
    return {"timings": timings, "rows": rows, "plans": plans, "runs": runs}


def _plan(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(row[-1] for row in cursor.fetchall())
