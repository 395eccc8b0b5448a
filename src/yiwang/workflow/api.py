"""/api/v1/workflow: the inbox (待办, issue 3 §3) — list, count, read, claim, release, act."""

from ninja import Query, Router
from ninja.pagination import paginate

from yiwang.workflow import selectors_runtime as selectors
from yiwang.workflow.schemas import ActIn, CountsOut, InboxFilterIn, TaskDetailOut, TaskOut, VersionIn
from yiwang.workflow.services.runtime import task_act, task_claim, task_release

router = Router(tags=["workflow"])


def _detail(actor, task_id):
    """The task object, carrying what the detail schema reads (names, actions, history)."""
    detail = selectors.task_detail_for_actor(actor=actor, task_id=task_id)
    task = detail["task"]
    task.process_name = detail["process_name"]
    task.instance_status = task.instance.status
    task.instance_version = task.instance.version
    task.actions = [
        {"code": a.code, "name": a.name, "kind": str(a.kind), "requires": [str(r) for r in a.requires]}
        for a in detail["actions"]
    ]
    task.history = [
        {
            "kind": e.kind,
            "action": e.action,
            "actor": e.actor.display_name if e.actor else "系统",
            "from_state": e.from_state,
            "to_state": e.to_state,
            "opinion": e.opinion,
            "reason": e.reason,
            "at": e.at,
        }
        for e in detail["events"]
    ]
    return task


@router.get("/tasks", response=list[TaskOut], summary="待办列表（我的待办 / 部门待签收 / 已办）")
@paginate
def tasks(request, filters: Query[InboxFilterIn]):
    return selectors.task_inbox(actor=request.auth, **dict(filters))


@router.get("/tasks/counts", response=CountsOut, summary="各栏待办数")
def task_counts(request):
    return selectors.task_counts(actor=request.auth)


@router.get("/tasks/{task_id}", response=TaskDetailOut, summary="待办详情")
def task_detail(request, task_id: str):
    return _detail(request.auth, task_id)


@router.post("/tasks/{task_id}/claim", response=TaskDetailOut, summary="签收")
def claim(request, task_id: str, payload: VersionIn):
    task = selectors.task_get_for_actor(actor=request.auth, task_id=task_id)
    task_claim(actor=request.auth, task=task, expected_version=payload.version)
    return _detail(request.auth, task_id)


@router.post("/tasks/{task_id}/release", response=TaskDetailOut, summary="退签")
def release(request, task_id: str, payload: VersionIn):
    task = selectors.task_get_for_actor(actor=request.auth, task_id=task_id)
    task_release(actor=request.auth, task=task, expected_version=payload.version)
    return _detail(request.auth, task_id)


@router.post("/tasks/{task_id}/act", response=TaskDetailOut, summary="办理")
def act(request, task_id: str, payload: ActIn):
    task = selectors.task_get_for_actor(actor=request.auth, task_id=task_id)
    task_act(
        actor=request.auth,
        task=task,
        action_code=payload.action,
        expected_version=payload.version,
        opinion=payload.opinion,
        reason=payload.reason,
        attachments=payload.attachments,
    )
    return _detail(request.auth, task_id)
