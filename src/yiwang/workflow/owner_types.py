"""Files attached while working a task (附件 of an action, e.g. 补正材料): owner type `workflow.task`.

Registered by `WorkflowConfig.ready()` with `core.files` (owners.py). Who may see a task's
files: officials who may see its instance (the timeline shows them). Who may add: whoever may
work the task while it is open — the same person then names the files in `task_act`.
"""

from __future__ import annotations

from yiwang.core.accounts.models import UserKind
from yiwang.workflow.models_runtime import Task
from yiwang.workflow.permissions import can_instance_see, can_task_work
from yiwang.workflow.services.engine import OPEN

TASK_OWNER = "workflow.task"


def _task(owner_id: str) -> Task | None:
    # Exact digits only, so "007" is not task 7 (as accounts.user does).
    if not owner_id.isdigit() or len(owner_id) > 18 or owner_id != str(int(owner_id)):
        return None
    return Task.objects.select_related("instance", "candidate_department").filter(pk=int(owner_id)).first()


def task_files_can_view(actor, owner_id: str) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.kind != UserKind.OFFICIAL:
        return False
    task = _task(owner_id)
    return task is not None and can_instance_see(actor, task.instance)


def task_files_can_attach(actor, owner_id: str) -> bool:
    task = _task(owner_id)
    return task is not None and task.status in OPEN and can_task_work(actor, task)


def register() -> None:
    from yiwang.core.files.owners import register_owner

    register_owner(TASK_OWNER, can_view=task_files_can_view, can_attach=task_files_can_attach)
