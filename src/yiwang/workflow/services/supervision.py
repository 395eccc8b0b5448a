"""督办, 督办反馈 and 过错问责 (issue 3 §5): what 监察人员 add to a running or finished process.

Each write holds the instance row locked, as `services/act.py` does, so its history row lands in
order with the moves; `engine.record_event` writes the history row and its audit record in the
same transaction. Who cannot see the instance at all gets a 404; who sees it but lacks the
permission over the department concerned gets a 403 naming it.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.notify.services import notify
from yiwang.core.workcal.clock import end_of_day
from yiwang.workflow import notices
from yiwang.workflow.models_runtime import EventKind, InstanceStatus, ProcessInstance, Task, TaskStatus
from yiwang.workflow.models_supervision import Accountability, AccountabilityKind, SupervisionNotice
from yiwang.workflow.permissions import (
    can_acknowledge,
    can_instance_see,
    can_press,
    can_record_accountability,
)
from yiwang.workflow.services import engine

TEXT_MAX = 2000
NOTICES_LINK = "/workbench/supervision/notices/"
RECIPIENT_ROLES = ("dept_admin", "leader")
STALE = "该督办已被他人处理，请刷新后重试"


def _text(value, *, field: str, label: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(f"请填写{label}", fields={field: f"请填写{label}"})
    if len(text) > TEXT_MAX:
        message = f"{label}不能超过{TEXT_MAX}个字符"
        raise InvalidInput(message, fields={field: message})
    return text


def _locked_instance(*, actor, instance: ProcessInstance) -> ProcessInstance:
    if not can_instance_see(actor, instance):
        raise NotFound("流程不存在或无权查看")
    locked = ProcessInstance.objects.select_for_update(of=("self",))
    return locked.select_related("department", "definition").get(pk=instance.pk)


def _department_of(*, instance: ProcessInstance, task: Task | None):
    """The department answerable: the task's candidate department, else the instance's."""
    if task is not None and task.instance_id != instance.pk:
        raise InvalidInput("待办不属于该流程", fields={"task": "待办不属于该流程"})
    if task is not None and task.candidate_department_id is not None:
        return task.candidate_department
    return instance.department


def _title(instance: ProcessInstance) -> str:
    return f"{instance.definition.name} #{instance.pk}"


@transaction.atomic
def notice_press(
    *,
    actor,
    instance: ProcessInstance,
    message: str,
    respond_by: date | None = None,
    task: Task | None = None,
) -> SupervisionNotice:
    """督办: press the department answerable for an open case, which must acknowledge."""
    instance = _locked_instance(actor=actor, instance=instance)
    department = _department_of(instance=instance, task=task)
    if not can_press(actor, department):
        raise PermissionDenied("督办需要权限：督办")
    message = _text(message, field="message", label="督办意见")
    if isinstance(respond_by, datetime):  # a moment is taken as its local day
        respond_by = timezone.localtime(respond_by).date()
    if respond_by is not None and (not isinstance(respond_by, date) or respond_by < timezone.localdate()):
        raise InvalidInput("反馈时限不能早于今天", fields={"respond_by": "反馈时限不能早于今天"})
    if instance.status not in (InstanceStatus.RUNNING, InstanceStatus.SUSPENDED):
        raise InvalidInput(f"该流程{instance.get_status_display()}，无需督办")
    if task is not None and task.status not in (TaskStatus.OPEN, TaskStatus.CLAIMED):
        raise InvalidInput("该待办已不在办理中，无需督办", fields={"task": "该待办已不在办理中"})
    notice = SupervisionNotice(
        instance=instance,
        task=task,
        department=department,
        sender=actor,
        message=message,
        respond_by=end_of_day(respond_by) if respond_by is not None else None,
        created_at=timezone.now(),
    )
    notice.full_clean()
    notice.save()
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.PRESS,
        task=task,
        from_state=task.state if task is not None else "",
        opinion=message,
        detail={"notice": notice.pk, "department": department.pk},
    )
    recipients = {user.pk: user for user in notices.role_holders(RECIPIENT_ROLES, department)}
    if task is not None:
        recipients.update({user.pk: user for user in notices.candidates_of(task)})
    deadline = f"；请于{respond_by:%Y-%m-%d}前反馈" if respond_by is not None else "；请及时反馈"
    for user in recipients.values():
        notify(
            recipient=user,
            title=f"督办：{_title(instance)}",
            body=f"{department.name}：{message}{deadline}",
            link=NOTICES_LINK,
            category="workflow",
        )
    return notice


@transaction.atomic
def notice_acknowledge(
    *, actor, notice: SupervisionNotice, reply: str, expected_version
) -> SupervisionNotice:
    """督办反馈: the pressed department answers, once."""
    instance = _locked_instance(actor=actor, instance=notice.instance)
    notice = (
        SupervisionNotice.objects.select_for_update().select_related("department", "sender").get(pk=notice.pk)
    )
    if not can_acknowledge(actor, notice) or actor.pk == notice.sender_id:
        raise PermissionDenied("督办反馈须由被督办部门的工作人员填写")
    if notice.acknowledged_at is not None:
        raise InvalidInput("该督办已反馈")
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise InvalidInput(fields={"version": "缺少版本号，请刷新后重试"})
    if expected_version != notice.version:
        raise Conflict(STALE, fields={"version": STALE})
    notice.reply = _text(reply, field="reply", label="反馈意见")
    notice.acknowledged_at = timezone.now()
    notice.acknowledged_by = actor
    notice.version += 1
    notice.save(update_fields=["reply", "acknowledged_at", "acknowledged_by", "version"])
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.ACKNOWLEDGE,
        task=notice.task,
        opinion=notice.reply,
        detail={"notice": notice.pk, "department": notice.department_id},
    )
    notify(
        recipient=notice.sender,
        title=f"督办已反馈：{_title(instance)}",
        body=f"{notice.department.name}：{notice.reply}",
        link=NOTICES_LINK,
        category="workflow",
    )
    return notice


@transaction.atomic
def accountability_record(
    *, actor, instance: ProcessInstance, kind: str, reason: str, task: Task | None = None, responsible=None
) -> Accountability:
    """过错问责: mark a late or wrongly handled case, with the reason; append-only."""
    instance = _locked_instance(actor=actor, instance=instance)
    department = _department_of(instance=instance, task=task)
    if not can_record_accountability(actor, department):
        raise PermissionDenied("记录过错问责需要权限：记录过错问责")
    if kind not in AccountabilityKind.values:
        choices = "、".join(f"{label}（{value}）" for value, label in AccountabilityKind.choices)
        raise InvalidInput(f"过错类型须为：{choices}", fields={"kind": f"过错类型须为：{choices}"})
    reason = _text(reason, field="reason", label="问责理由")
    if responsible is None and task is not None:
        responsible = task.completed_by or task.assignee
    record = Accountability(
        instance=instance,
        task=task,
        department=department,
        responsible=responsible,
        kind=kind,
        reason=reason,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record.full_clean()
    record.save()
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.ACCOUNTABILITY,
        task=task,
        reason=reason,
        detail={
            "accountability": record.pk,
            "department": department.pk,
            "kind": kind,
            "responsible": responsible.pk if responsible is not None else None,
        },
    )
    return record
