"""What bench/workflow_throughput.py times: one parallel approval, run to its end: the engine and the raw ceiling.

- `engine_instance`: the engine's public functions (instance_start, then task_claim and task_act
  for market_agree, fire_agree and approve), with persistence and audit, as seven requests
  would call them (the per-request caches of the actors are dropped before each call).
- `raw_instance`: the raw database ceiling — the rows one engine run writes (the instance, its
  three tasks, eight history events, eight chained audit records), as plain SQL on a raw cursor,
  in the same seven transactions, with the same two locks (the instance row, an audit chain head)
  and the same HMAC-SM3 over each audit record; nothing read that a correct run could skip.

SpiffWorkflow, the peer, is in bench/workflow_spiff.py.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO

from cryptography.hazmat.primitives import hashes, hmac

CODE = "workflow.parallel_approval"
# (state, official, action): the path every benchmark instance takes.
STEPS = (("market_review", "market", "market_agree"), ("fire_review", "fire", "fire_agree"))
DECISION = ("decision", "decider", "approve")
OPINION = "同意"


@dataclass
class Staff:
    market_dept: object
    fire_dept: object
    subject_dept: object
    market: object
    fire: object
    decider: object
    clerk: object
    version_id: int = 0  # the stored definition version the instances run

    @property
    def params(self) -> dict:
        return {"market_department": self.market_dept.pk, "fire_department": self.fire_dept.pk}


def staff_create() -> Staff:
    """The process loaded and staffed as in workflow/tests/runtime_fixtures.py."""
    from django.core.management import call_command

    from yiwang.core.accounts.models import Permission, Role
    from yiwang.core.tests import factories

    call_command("workflow", "load", stdout=StringIO())
    Role.objects.get(code="window_clerk").permissions.add(
        Permission.objects.get(code="workflow.instance.start")
    )
    city = factories.create_city()
    market = factories.create_department("市市场监督管理局", division=city)
    fire = factories.create_department("市消防救援支队", division=city)
    subject = factories.create_department("市行政审批局", division=city)
    from yiwang.workflow.selectors import definition_version_current

    return Staff(
        version_id=definition_version_current(code=CODE).pk,
        market_dept=market,
        fire_dept=fire,
        subject_dept=subject,
        market=factories.create_official(department=market, role="approver", display_name="市场审查员"),
        fire=factories.create_official(department=fire, role="approver", display_name="消防审查员"),
        decider=factories.create_official(department=subject, role="approver", display_name="决定人"),
        clerk=factories.create_official(department=subject, role="window_clerk", display_name="窗口人员"),
    )


def _fresh(user):
    """What a new request sees: no posts or grants cached on the user object."""
    user.__dict__.pop("_yiwang_workflow_posts", None)
    user.__dict__.pop("_yiwang_grants", None)
    return user


# --- the engine -----------------------------------------------------------------------------
def engine_instance(staff: Staff, *, claim: bool = True) -> None:
    """Without `claim`, each task is acted on while still unclaimed (its role over the department
    suffices): four transactions, as many as SpiffWorkflow's steps."""
    from yiwang.workflow.models_runtime import InstanceStatus, Task, TaskStatus
    from yiwang.workflow.services.runtime import instance_start, task_act, task_claim

    instance = instance_start(
        actor=_fresh(staff.clerk),
        definition_code=CODE,
        subject=staff.subject_dept,
        department=staff.subject_dept,
        params=staff.params,
    )
    for state, who, action in (*STEPS, DECISION):
        actor = getattr(staff, who)
        # The caller's read of the task it shows (a page or API call loads it by id).
        task = Task.objects.get(instance=instance, state=state, status=TaskStatus.OPEN)
        if claim:
            task = task_claim(actor=_fresh(actor), task=task, expected_version=task.version)
        instance = task_act(
            actor=_fresh(actor), task=task, action_code=action, expected_version=task.version, opinion=OPINION
        )
    if instance.status != InstanceStatus.COMPLETED:
        raise RuntimeError(f"engine instance ended {instance.status}")


# --- the raw ceiling ------------------------------------------------------------------------
_TASK_COLUMNS = (
    "instance_id, state, branch, status, candidate_roles, role_keys, candidate_department_id, "
    "assignee_id, named, created_at, version, due_at, warn_at, clock_status, action, opinion"
)
_INSERT_TASK = (
    f"INSERT INTO workflow_task ({_TASK_COLUMNS}) "
    "VALUES (%s, %s, %s, 'open', '[\"approver\"]', ',approver,', %s, NULL, %s, %s, 1, %s, %s, %s, '', '') "
    "RETURNING id"
)
_INSERT_EVENT = (
    "INSERT INTO workflow_instanceevent (instance_id, task_id, actor_id, kind, action, from_state, "
    "to_state, opinion, reason, attachments, detail, at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', '[]', '{}', %s)"
)
_INSERT_AUDIT = (
    "INSERT INTO audit_auditrecord (chain, seq, created_at, actor_id, actor_name, action, target_type, "
    "target_id, target_repr, changes, client_address, channel, prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, 'workflow.processinstance', %s, %s, %s, NULL, '', %s, %s)"
)
_CLAIM = (
    "UPDATE workflow_task SET version = 2, status = 'claimed', assignee_id = %s, claimed_at = %s "
    "WHERE id = %s AND version = 1 AND status IN ('open', 'claimed')"
)
_DONE = (
    "UPDATE workflow_task SET version = 3, status = 'done', completed_at = %s, completed_by_id = %s, "
    "working_days_used = 0.0, action = %s, opinion = %s "
    "WHERE id = %s AND version = 2 AND status IN ('open', 'claimed')"
)
_SAVE_INSTANCE = (
    "UPDATE workflow_processinstance SET status = %s, outcome = %s, ended_at = %s, join_arrivals = %s, "
    "version = %s, due_at = %s, warn_at = %s, clock_status = 'normal', working_days_used = %s WHERE id = %s"
)


class _Audit:
    """One transaction's audit records: one chain head locked, advanced after each record."""

    def __init__(self, cursor, vendor: str, instance_id: int):
        from django.conf import settings

        self.cursor, self.instance_id = cursor, instance_id
        self.chain = random.randrange(max(1, settings.AUDIT_CHAINS))
        lock = " FOR UPDATE" if vendor == "postgresql" else ""
        cursor.execute(
            f"SELECT last_seq, last_hash FROM audit_auditchain WHERE number = %s{lock}", [self.chain]
        )
        self.seq, self.hash = cursor.fetchone()

    def record(self, actor, kind: str, changes: dict) -> None:
        from django.utils import timezone

        from yiwang.core.audit.chain import canonical, chain_key

        at = timezone.now()
        self.seq += 1
        fields = {
            "chain": self.chain,
            "seq": self.seq,
            "prev_hash": self.hash,
            "created_at": at.isoformat(timespec="microseconds"),
            "actor_id": actor.pk if actor else None,
            "actor_name": str(actor) if actor else "",
            "action": f"workflow.instance.{kind}",
            "target_type": "workflow.processinstance",
            "target_id": str(self.instance_id),
            "target_repr": f"{CODE} #{self.instance_id}",
            "changes": changes,
            "client_address": None,
            "channel": "",
        }
        mac = hmac.HMAC(chain_key(), hashes.SM3())
        mac.update(canonical(fields))
        prev, self.hash = self.hash, mac.finalize().hex()
        self.cursor.execute(
            _INSERT_AUDIT,
            [
                self.chain,
                self.seq,
                at,
                fields["actor_id"],
                fields["actor_name"],
                fields["action"],
                fields["target_id"],
                fields["target_repr"],
                json.dumps(changes, ensure_ascii=False),
                prev,
                self.hash,
            ],
        )
        self.cursor.execute(
            "UPDATE audit_auditchain SET last_seq = %s, last_hash = %s WHERE number = %s",
            [self.seq, self.hash, self.chain],
        )


def raw_prepare() -> None:
    """Every chain head exists (the engine creates them on first use; the ceiling assumes them)."""
    from django.conf import settings
    from django.db import connection

    from yiwang.core.audit.models import GENESIS_HASH

    with connection.cursor() as cursor:
        for number in range(max(1, settings.AUDIT_CHAINS)):
            cursor.execute(
                "INSERT INTO audit_auditchain (number, last_seq, last_hash) VALUES (%s, 0, %s) "
                "ON CONFLICT (number) DO NOTHING",
                [number, GENESIS_HASH],
            )


def raw_instance(staff: Staff) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    vendor = connection.vendor
    lock = " FOR UPDATE" if vendor == "postgresql" else ""
    now = timezone.now()
    # The clock's due times, without the working-day calendar: fixed offsets.
    due, warn = now + timedelta(days=28), now + timedelta(days=22)
    task_due, task_warn = now + timedelta(days=7), now + timedelta(days=6)
    clerk, depts = staff.clerk, {"market": staff.market_dept.pk, "fire": staff.fire_dept.pk}
    branches = {}

    def event(cursor, instance_id, task_id, actor, kind, action="", from_state="", to_state="", opinion=""):
        cursor.execute(
            _INSERT_EVENT,
            [
                instance_id,
                task_id,
                actor.pk if actor else None,
                kind,
                action,
                from_state,
                to_state,
                opinion,
                timezone.now(),
            ],
        )

    def save(cursor, instance_id, version, arrivals, status="running", outcome="", ended=None):
        used = 0.0 if ended else None  # the engine's 电子监察 figure, set when the instance ends
        cursor.execute(
            _SAVE_INSTANCE,
            [status, outcome, ended, json.dumps(arrivals), version, due, warn, used, instance_id],
        )

    def open_task(cursor, instance_id, state, branch, department_id):
        cursor.execute(
            _INSERT_TASK,
            [instance_id, state, branch, department_id, False, timezone.now(), task_due, task_warn, "normal"],
        )
        return cursor.fetchone()[0]

    with transaction.atomic(), connection.cursor() as cursor:  # 1. start
        cursor.execute(
            "INSERT INTO workflow_processinstance (definition_id, definition_code, subject_type, subject_id, "
            "department_id, initiator_id, status, outcome, started_at, params, join_arrivals, version, "
            "clock_status) VALUES (%s, %s, 'orgs.department', %s, %s, %s, 'running', '', %s, %s, '{}', 1, '') "
            "RETURNING id",
            [
                staff.version_id,
                CODE,
                str(staff.subject_dept.pk),
                staff.subject_dept.pk,
                clerk.pk,
                now,
                json.dumps(staff.params),
            ],
        )
        instance_id = cursor.fetchone()[0]
        event(cursor, instance_id, None, clerk, "start", to_state="parallel_review")
        _Audit(cursor, vendor, instance_id).record(clerk, "start", _changes(None, "", "", "parallel_review"))
        for state, who, _ in STEPS:
            branches[state] = open_task(cursor, instance_id, state, state, depts[who])
        save(cursor, instance_id, 2, {"reviews_done": []})
    arrived: list[str] = []
    version = 2
    for state, who, action in (*STEPS, DECISION):
        actor, task_id = getattr(staff, who), branches[state]
        with transaction.atomic(), connection.cursor() as cursor:  # claim
            cursor.execute(_CLAIM, [actor.pk, timezone.now(), task_id])
            event(cursor, instance_id, task_id, actor, "claim", from_state=state)
            _Audit(cursor, vendor, instance_id).record(actor, "claim", _changes(task_id, "", state, ""))
        with transaction.atomic(), connection.cursor() as cursor:  # act
            cursor.execute(f"SELECT id FROM workflow_processinstance WHERE id = %s{lock}", [instance_id])
            cursor.fetchone()
            cursor.execute(_DONE, [timezone.now(), actor.pk, action, OPINION, task_id])
            target = "approved" if state == "decision" else "reviews_done"
            event(cursor, instance_id, task_id, actor, "act", action, state, target, OPINION)
            audit = _Audit(cursor, vendor, instance_id)
            audit.record(actor, "act", _changes(task_id, action, state, target))
            version += 1
            if state == "decision":
                save(
                    cursor,
                    instance_id,
                    version,
                    {"reviews_done": []},
                    "completed",
                    "approved",
                    timezone.now(),
                )
                continue
            arrived.append(state)
            if len(arrived) < len(STEPS):
                save(cursor, instance_id, version, {"reviews_done": arrived})
                continue
            event(cursor, instance_id, None, None, "auto", "to_decision", "reviews_done", "decision")
            audit.record(None, "auto", _changes(None, "to_decision", "reviews_done", "decision"))
            branches["decision"] = open_task(cursor, instance_id, "decision", "", staff.subject_dept.pk)
            save(cursor, instance_id, version, {"reviews_done": []})


def _changes(task_id, action, from_state, to_state) -> dict:
    return {"task": task_id, "action": action, "from": from_state, "to": to_state, "status": "running"}
