"""The database's ceiling for bench/services_api.py: the rows each list returns by hand-written
SQL on a psycopg connection of its own (no ORM), and the inbox's SQL as the report proposes it
(UNION ALL over partial indexes in due order; counts capped), timed in the throw-away database.
"""

from __future__ import annotations

from services_load import Setup
from services_runners import ALL_STATES, INTAKE_STATES, REVIEW_STATES, timed

_MINE_SQL = """
SELECT a.id, a.number, a.status, a.item_id, v.name, a.applicant_id, u.display_name, a.channel,
       a.created_at, a.submitted_at, a.due_at, a.outcome, a.version
FROM services_application a
JOIN services_serviceitemversion v ON v.id = a.item_version_id
JOIN accounts_user u ON u.id = a.applicant_id
WHERE a.applicant_id = %(user)s
ORDER BY a.created_at DESC, a.id DESC LIMIT 20
"""
_MINE_COUNT_SQL = "SELECT COUNT(*) FROM services_application WHERE applicant_id = %(user)s"
# The official's first page: their open tasks in the box's steps (claimed by them, or unclaimed
# in their department with their role), soonest due first; then each one's application.
_WORKABLE = """
    p.subject_type = 'services.application' AND t.state = ANY(%(states)s)
    AND ((t.status IN ('open', 'claimed') AND t.assignee_id = %(user)s)
         OR (t.status = 'open' AND t.assignee_id IS NULL AND t.candidate_department_id = %(department)s
             AND t.role_keys LIKE %(role)s))
"""
_INBOX_SQL = f"""
SELECT t.id, t.state, t.due_at, t.clock_status, a.id, a.number, a.status, a.due_at, i.name, u.display_name
FROM (SELECT t.id, t.state, t.due_at, t.created_at, t.clock_status, p.subject_id
      FROM workflow_task t JOIN workflow_processinstance p ON p.id = t.instance_id
      WHERE {_WORKABLE}
      ORDER BY t.due_at NULLS LAST, t.created_at, t.id LIMIT 21) t
JOIN services_application a ON a.id = t.subject_id::bigint
JOIN services_serviceitem i ON i.id = a.item_id
JOIN accounts_user u ON u.id = a.applicant_id
ORDER BY t.due_at NULLS LAST, t.created_at, t.id
"""
_INBOX_COUNT_SQL = f"""
SELECT t.state, COUNT(*) FROM workflow_task t JOIN workflow_processinstance p ON p.id = t.instance_id
WHERE {_WORKABLE.replace("%(states)s", "%(all_states)s")} GROUP BY t.state
"""
# What the report proposes: the two boxes as a UNION ALL of ordered, limited scans, each served
# by a partial index in due order, and the box counts capped (99+).
_WHAT_IF_INDEXES = (
    "CREATE INDEX bench_task_department_due ON workflow_task (candidate_department_id, due_at, created_at, id) "
    "WHERE status = 'open' AND assignee_id IS NULL",
    "CREATE INDEX bench_task_assignee_due ON workflow_task (assignee_id, due_at, created_at, id) "
    "WHERE status IN ('open', 'claimed')",
)
_ORDER = "ORDER BY t.due_at NULLS LAST, t.created_at, t.id LIMIT 21"
_FROM = "FROM workflow_task t JOIN workflow_processinstance p ON p.id = t.instance_id WHERE p.subject_type = 'services.application' AND t.state = ANY(%(states)s)"
_UNION_SQL = f"""
SELECT * FROM (
    (SELECT t.id, t.due_at, t.created_at {_FROM}
        AND t.status IN ('open', 'claimed') AND t.assignee_id = %(user)s {_ORDER})
    UNION ALL
    (SELECT t.id, t.due_at, t.created_at {_FROM}
        AND t.status = 'open' AND t.assignee_id IS NULL AND t.candidate_department_id = %(department)s
        AND t.role_keys LIKE %(role)s {_ORDER})
) t {_ORDER.replace("t.", "")}
"""
_CAPPED_COUNT_SQL = f"""
SELECT state, COUNT(*) FROM (SELECT t.state FROM workflow_task t JOIN workflow_processinstance p
    ON p.id = t.instance_id WHERE {_WORKABLE.replace("%(states)s", "%(all_states)s")} LIMIT 100) c
GROUP BY state
"""


def _inbox_params(found: Setup) -> dict:
    base = {"all_states": list(ALL_STATES)}
    return {
        "intake": {**base, "user": found.clerk.pk, "department": found.city.hall.pk,
                   "role": "%,window_clerk,%", "states": list(INTAKE_STATES)},
        "review": {**base, "user": found.approver.pk, "department": found.city.market.pk,
                   "role": "%,approver,%", "states": list(REVIEW_STATES)},
    }  # fmt: skip


def what_if(found: Setup, database_url: str, seconds: float) -> dict:
    """The inbox's first page and counts by SQL as now, then with the proposed partial indexes
    and UNION ALL, and the counts capped — in this throw-away database, after everything else."""
    import psycopg

    result = {}
    with psycopg.connect(database_url, autocommit=True) as connection:
        for name, params in _inbox_params(found).items():

            def run(sql, params=params):
                return lambda: connection.execute(sql, params).fetchall()

            result[name] = {
                "page": timed(run(_INBOX_SQL), seconds),
                "count": timed(run(_INBOX_COUNT_SQL), seconds),
                "capped count": timed(run(_CAPPED_COUNT_SQL), seconds),
            }
        for sql in _WHAT_IF_INDEXES:
            connection.execute(sql)
        connection.execute("ANALYZE workflow_task")
        for name, params in _inbox_params(found).items():
            result[name]["union page, partial indexes"] = timed(
                lambda params=params: connection.execute(_UNION_SQL, params).fetchall(), seconds
            )
    return result


def raw_calls(found: Setup, database_url: str) -> tuple[dict, object]:
    """The same rows by hand-written SQL on a psycopg connection of its own (no ORM)."""
    import psycopg

    connection = psycopg.connect(database_url, autocommit=True)
    inboxes = _inbox_params(found)

    def mine():
        rows = connection.execute(_MINE_SQL, {"user": found.applicant.pk}).fetchall()
        return connection.execute(_MINE_COUNT_SQL, {"user": found.applicant.pk}).fetchone(), rows

    def inbox(params):
        def call():
            rows = connection.execute(_INBOX_SQL, params).fetchall()
            return connection.execute(_INBOX_COUNT_SQL, params).fetchall(), rows

        return call

    calls = {"mine": mine, "intake": inbox(inboxes["intake"]), "review": inbox(inboxes["review"])}
    return calls, connection
