"""SpiffWorkflow 3.2 running bench/parallel_approval.bpmn to its end, for bench/workflow_throughput.py.

Three ways: in memory only; serialising the whole workflow to JSON (BpmnWorkflowSerializer) after
each of its four steps (start, three user tasks), as it must to persist; and also writing that
JSON to one row per instance, one transaction per step. It has no claim step, no history, no
audit, no permissions and no clock: the user tasks are simply completed in turn.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

BPMN = Path(__file__).resolve().with_name("parallel_approval.bpmn")
OPINION = "同意"


@lru_cache(maxsize=1)
def spiff_spec():
    import logging

    logging.getLogger("spiff").setLevel(logging.WARNING)  # it logs every state change at INFO
    from SpiffWorkflow.bpmn.parser import BpmnParser
    from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator

    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_file(str(BPMN))
    return parser.get_spec("parallel_approval")


@lru_cache(maxsize=1)
def spiff_serializer():
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

    return BpmnWorkflowSerializer()


def spiff_prepare() -> None:
    """The row a persisted Spiff workflow lives in (one JSON document per instance)."""
    from django.db import connection

    kind = "bigserial" if connection.vendor == "postgresql" else "integer"
    document = "jsonb" if connection.vendor == "postgresql" else "text"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS bench_spiff_workflow (id {kind} PRIMARY KEY, "
            f"document {document} NOT NULL, completed boolean NOT NULL)"
        )


def spiff_instance(mode: str) -> None:
    """mode: "memory", "json" (serialise after every step) or "db" (and store it, one transaction per step)."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    serializer = spiff_serializer() if mode != "memory" else None
    row = [None]

    def persist(workflow):
        if serializer is None:
            return
        document = serializer.serialize_json(workflow)
        if mode == "db":
            _spiff_store(row, document, workflow.is_completed())

    workflow = BpmnWorkflow(spiff_spec())
    workflow.do_engine_steps()
    persist(workflow)
    done = 0
    while not workflow.is_completed():
        task = workflow.get_next_task(state=TaskState.READY, manual=True)
        task.data["opinion"] = OPINION
        task.run()
        workflow.do_engine_steps()
        persist(workflow)
        done += 1
    if done != 3:
        raise RuntimeError(f"spiff ran {done} user tasks")


def _spiff_store(row: list, document: str, completed: bool) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if row[0] is None:
            cursor.execute(
                "INSERT INTO bench_spiff_workflow (document, completed) VALUES (%s, %s) RETURNING id",
                [document, completed],
            )
            row[0] = cursor.fetchone()[0]
        else:
            cursor.execute(
                "UPDATE bench_spiff_workflow SET document = %s, completed = %s WHERE id = %s",
                [document, completed, row[0]],
            )
