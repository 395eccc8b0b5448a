"""差评整改 (STANDARDS.md §5; 国办发〔2019〕51号): 谁办理谁负责.

Every 差评 opens a `Rectification` run by the workflow process `services.rectification`
(processes/rectification.yaml) in the rated department:

    整改 (dept_admin / approver of the rated department)
      ├─ 整改完成 or 情况说明（差评不实） → 回访 (the 政务服务管理局's service_manager)
      │      ├─ 回访满意 → 整改办结
      │      └─ 回访不满意 → back to 整改
      └─ 申诉 → 申诉复核 (the bureau) ─ 申诉成立 → 差评不计 / 申诉不成立 → back to 整改

The deadline is `settings.RECTIFICATION_WORKING_DAYS` working days (default 15; several
provinces use 15, some cities 5 or 7), the instance's own limit. The Rectification row is kept
in step by the workflow effects (rectification_effects.py), so the generic workbench task page
and the pages here move it the same way. The functions below are what the rectification pages
and the API call: each finds the current task, claims it for the actor when needed, and acts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from yiwang.core.accounts.models import Post
from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.notify.services import notify
from yiwang.core.orgs.models import Department
from yiwang.services.models import Rating, Rectification
from yiwang.services.selectors_ratings import rectification_visible
from yiwang.workflow.models_runtime import Task, TaskStatus
from yiwang.workflow.notices import candidates_of
from yiwang.workflow.permissions import can_task_work
from yiwang.workflow.services.act import task_act
from yiwang.workflow.services.claim import task_claim
from yiwang.workflow.services.start import instance_start

PROCESS = "services.rectification"
OPEN_TASK = (TaskStatus.OPEN, TaskStatus.CLAIMED)
NOT_FOUND = "整改记录不存在或无权查看"
# The state each page action belongs to, and the message when the rectification is elsewhere.
WRONG_STATE = {
    "rectify": "该差评当前不在整改环节",
    "appeal_review": "该差评当前不在申诉复核环节",
    "revisit": "该差评当前不在回访环节",
}
# Audit action of each process action: services.rectification.<verb>ed.
AUDITED = {
    "rectified": "rectified",
    "explained": "explained",
    "appeal": "appealed",
    "appeal_upheld": "appeal_upheld",
    "appeal_rejected": "appeal_rejected",
    "revisit_satisfied": "revisited",
    "revisit_unsatisfied": "reopened",
}


def review_department(rating: Rating) -> Department:
    """The 政务服务管理局 that revisits and decides appeals: the department of the first
    city-wide 政务服务管理员 post (by post id); without one, the rated department's top-level
    ancestor (a city's bureaus hang under its government)."""
    post = (
        Post.objects.filter(
            role__code="service_manager", city_wide=True, user__is_active=True, department__is_active=True
        )
        .select_related("department")
        .order_by("id")
        .first()
    )
    if post is not None:
        return post.department
    top_id = int(rating.department.path.strip("/").split("/")[0])
    return Department.objects.get(pk=top_id)


def rectification_link(rectification: Rectification) -> str:
    try:
        return reverse("services:rectification", args=[rectification.pk])
    except NoReverseMatch:
        return ""


@transaction.atomic
def rectification_open(*, rating: Rating) -> Rectification:
    """A 差评's rectification: the row, its workflow instance in the rated department with the
    configured deadline, and a message to the department's candidates (the inbox lists the task)."""
    rectification = Rectification.objects.create(rating=rating, department=rating.department)
    instance = instance_start(
        actor=None,
        definition_code=PROCESS,
        subject=rectification,
        department=rating.department,
        params={
            "review_department": review_department(rating).pk,
            "time_limit": f"{settings.RECTIFICATION_WORKING_DAYS} working_days",
        },
    )
    rectification.instance = instance
    rectification.due_at = instance.due_at
    rectification.save(update_fields=["instance", "due_at"])
    audit.record(
        actor=None,
        action="services.rectification.opened",
        target=rectification,
        changes={"rating": rating.pk, "department": rating.department_id, "due_at": instance.due_at},
    )
    task = Task.objects.select_related("candidate_department").filter(instance=instance).first()
    due = f"，请于{instance.due_at:%Y-%m-%d}前办结" if instance.due_at else ""
    for person in candidates_of(task) if task is not None else ():
        notify(
            recipient=person,
            title=f"差评整改：{rating.item.name}",
            body=f"收到一条{rating.get_level_display()}的评价（{rating.get_channel_display()}）{due}。",
            link=rectification_link(rectification),
            category="services",
        )
    return rectification


# --- acting on the current task -----------------------------------------------------------------
def _current_task(*, actor, rectification: Rectification, state: str) -> Task:
    """The open task of the state, claimed for the actor if nobody has it yet."""
    if not rectification_visible(actor, rectification):
        raise NotFound(NOT_FOUND)
    task = (
        Task.objects.select_related("instance", "candidate_department")
        .filter(instance_id=rectification.instance_id, status__in=OPEN_TASK)
        .order_by("-id")
        .first()
    )
    if task is None or task.state != state:
        raise InvalidInput(WRONG_STATE[state], fields={"state": WRONG_STATE[state]})
    if not can_task_work(actor, task):
        raise PermissionDenied("您不是当前环节的办理人员")
    if task.status == TaskStatus.OPEN and task.assignee_id is None:
        task = task_claim(actor=actor, task=task, expected_version=task.version)
    return task


def _act(*, actor, rectification, state: str, action: str, opinion="", reason="") -> Rectification:
    task = _current_task(actor=actor, rectification=rectification, state=state)
    task_act(
        actor=actor,
        task=task,
        action_code=action,
        expected_version=task.version,
        opinion=opinion,
        reason=reason,
    )
    rectification.refresh_from_db()
    audit.record(
        actor=actor,
        action=f"services.rectification.{AUDITED[action]}",
        target=rectification,
        changes={"process_action": action, "status": rectification.status},
    )
    return rectification


def _text(value, field: str, label: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(f"请填写{label}", fields={field: f"请填写{label}"})
    if len(text) > 2000:
        raise InvalidInput(f"{label}不能超过2000个字", fields={field: f"{label}不能超过2000个字"})
    return text


@transaction.atomic
def rectification_respond(*, actor, rectification: Rectification, text, unfounded: bool = False):
    """整改完成, or 情况说明 when the 差评 is unfounded; then the bureau revisits."""
    text = _text(text, "text", "情况说明" if unfounded else "整改情况")
    if unfounded:
        return _act(
            actor=actor, rectification=rectification, state="rectify", action="explained", reason=text
        )
    return _act(actor=actor, rectification=rectification, state="rectify", action="rectified", opinion=text)


@transaction.atomic
def rectification_appeal(*, actor, rectification: Rectification, reason):
    """申诉: the rated department contests the 差评; the bureau reviews."""
    reason = _text(reason, "reason", "申诉理由")
    return _act(actor=actor, rectification=rectification, state="rectify", action="appeal", reason=reason)


@transaction.atomic
def rectification_review_appeal(*, actor, rectification: Rectification, upheld: bool, opinion):
    """申诉复核: upheld, the 差评 no longer counts; rejected, the department rectifies."""
    opinion = _text(opinion, "opinion", "复核意见")
    if upheld:
        return _act(
            actor=actor,
            rectification=rectification,
            state="appeal_review",
            action="appeal_upheld",
            opinion=opinion,
        )
    return _act(
        actor=actor,
        rectification=rectification,
        state="appeal_review",
        action="appeal_rejected",
        opinion=opinion,
        reason=opinion,
    )


@transaction.atomic
def rectification_revisit(*, actor, rectification: Rectification, satisfied: bool, note):
    """回访: satisfied closes the rectification; unsatisfied sends it back to 整改."""
    note = _text(note, "note", "回访记录")
    if satisfied:
        return _act(
            actor=actor,
            rectification=rectification,
            state="revisit",
            action="revisit_satisfied",
            opinion=note,
        )
    return _act(
        actor=actor,
        rectification=rectification,
        state="revisit",
        action="revisit_unsatisfied",
        opinion=note,
        reason=note,
    )
