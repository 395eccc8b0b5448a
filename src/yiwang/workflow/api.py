"""/api/v1/workflow: the inbox (待办, issue 3 §3) — list, count, read, claim, release, act;
转办, 委托, 改派 (§2); 抄阅 (§3)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from yiwang.workflow import selectors_copies
from yiwang.workflow import selectors_runtime as selectors
from yiwang.workflow.schemas import (
    ActIn,
    CopyIn,
    CopyOut,
    CountsOut,
    HandoverIn,
    InboxFilterIn,
    TaskDetailOut,
    TaskOut,
    TransferIn,
    VersionIn,
)
from yiwang.workflow.services.runtime import (
    copy_mark_read,
    instance_copy,
    task_act_with_files,
    task_claim,
    task_delegate,
    task_reassign,
    task_release,
    task_transfer,
)
from yiwang.workflow.timeline import instance_get_for_actor  # the instance page's lookup

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
    task_act_with_files(  # attachment ids: files the actor attached to this task (owner workflow.task)
        actor=request.auth,
        task=task,
        action_code=payload.action,
        expected_version=payload.version,
        opinion=payload.opinion,
        reason=payload.reason,
        attachments=payload.attachments,
    )
    return _detail(request.auth, task_id)


# 转办, 委托, 改派 answer with the task as the move left it: after a 转办 the actor may no longer
# see it (another department's task), but what they just did is theirs to know.
@router.post("/tasks/{task_id}/transfer", response=TaskOut, summary="转办")
def transfer(request, task_id: str, payload: TransferIn):
    task = selectors.task_get_for_actor(actor=request.auth, task_id=task_id)
    return task_transfer(
        actor=request.auth,
        task=task,
        expected_version=payload.version,
        department=payload.department,
        reason=payload.reason,
    )


@router.post("/tasks/{task_id}/delegate", response=TaskOut, summary="委托")
def delegate(request, task_id: str, payload: HandoverIn):
    task = selectors.task_get_for_actor(actor=request.auth, task_id=task_id)
    return task_delegate(
        actor=request.auth,
        task=task,
        expected_version=payload.version,
        to_user=payload.to_user,
        reason=payload.reason,
    )


@router.post("/tasks/{task_id}/reassign", response=TaskOut, summary="改派")
def reassign(request, task_id: str, payload: HandoverIn):
    task = selectors.task_get_for_actor(actor=request.auth, task_id=task_id)
    return task_reassign(
        actor=request.auth,
        task=task,
        expected_version=payload.version,
        to_user=payload.to_user,
        reason=payload.reason,
    )


@router.post("/instances/{instance_id}/copies", response={201: list[CopyOut]}, summary="抄送")
def copy(request, instance_id: str, payload: CopyIn):
    instance = instance_get_for_actor(actor=request.auth, instance_id=instance_id)
    task = selectors_copies.copy_task_of(instance=instance, task_id=payload.task)
    made = instance_copy(
        actor=request.auth, instance=instance, recipients=payload.recipients, note=payload.note, task=task
    )
    return Status(201, made)


@router.get("/copies", response=list[CopyOut], summary="抄阅（抄送给我的）")
@paginate
def copies(request):
    return selectors_copies.copy_inbox(actor=request.auth)


@router.post("/copies/{copy_id}/read", response=CopyOut, summary="标为已读")
def copy_read(request, copy_id: str):
    found = selectors_copies.copy_get_for_actor(actor=request.auth, copy_id=copy_id)
    return copy_mark_read(actor=request.auth, copy=found)


from yiwang.workflow.api_instances import router as instances_router  # noqa: E402

router.add_router("", instances_router)  # GET /instances/{id}: the timeline (issue 3 §6)
