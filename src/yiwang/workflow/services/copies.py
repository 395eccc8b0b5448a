"""抄阅: an official copies a running or finished instance to colleagues for information
(issue 3 §3). The recipients may then read the instance and its timeline; they do not act.

One `CarbonCopy` row per recipient, one COPY event for the move (history and audit), and a
message to each recipient linking to the instance page.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from yiwang.core.accounts.models import UserKind
from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied, invalid
from yiwang.core.notify.services import notify
from yiwang.workflow.models_runtime import EventKind, ProcessInstance, Task
from yiwang.workflow.models_supervision import CarbonCopy
from yiwang.workflow.permissions import can_instance_see
from yiwang.workflow.services import engine
from yiwang.workflow.services.handover import as_pk

RECIPIENTS_MAX = 20
NOTE_MAX = 2000


def instance_link(instance: ProcessInstance) -> str:
    """The instance page, or "" while no page is installed under that name."""
    try:
        return reverse("workflow:instance", args=[instance.pk])
    except NoReverseMatch:
        return ""


def _recipients(*, actor, recipients) -> list:
    if isinstance(recipients, str | bytes) or not hasattr(recipients, "__iter__"):
        raise invalid("recipients", "请选择抄送人员")
    given = list(recipients)
    if not given:
        raise invalid("recipients", "请选择抄送人员")
    if len(given) > RECIPIENTS_MAX:
        raise invalid("recipients", f"一次最多抄送{RECIPIENTS_MAX}人")
    ids = [as_pk(item) for item in given]
    if None in ids:
        raise invalid("recipients", "抄送人员须为人员编号")
    repeated = sorted({pk for pk in ids if ids.count(pk) > 1})
    if repeated:
        raise invalid("recipients", f"抄送人员重复：编号 {'、'.join(map(str, repeated))}")
    if actor.pk in ids:
        raise invalid("recipients", "不能抄送给自己")
    User = apps.get_model("accounts", "User")
    found = {
        user.pk: user
        for user in User.objects.filter(pk__in=ids, is_active=True, kind=UserKind.OFFICIAL).order_by("pk")
    }
    wrong = [pk for pk in ids if pk not in found]
    if wrong:
        raise invalid("recipients", f"以下编号不是在职的工作人员：{'、'.join(map(str, wrong))}")
    return [found[pk] for pk in ids]


@transaction.atomic
def instance_copy(*, actor, instance: ProcessInstance, recipients, note: str = "", task: Task | None = None):
    """抄送 to 1–20 active officials; returns the new CarbonCopy rows."""
    if not can_instance_see(actor, instance):
        raise NotFound("流程不存在或无权查看")
    if actor.kind != UserKind.OFFICIAL:
        raise PermissionDenied("只有工作人员可以抄送")
    fields: dict[str, str] = {}
    try:
        people = _recipients(actor=actor, recipients=recipients)
    except InvalidInput as error:
        fields.update(error.fields)
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        fields["note"] = f"附言须为不超过{NOTE_MAX}个字符的文字"
    if task is not None and task.instance_id != instance.pk:
        fields["task"] = "待办不属于该流程"
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    note = note.strip()
    now = timezone.now()
    copies = CarbonCopy.objects.bulk_create(
        [
            CarbonCopy(
                instance=instance, task=task, recipient=person, sender=actor, note=note, created_at=now
            )
            for person in people
        ]
    )
    engine.record_event(
        instance=instance,
        actor=actor,
        kind=EventKind.COPY,
        task=task,
        from_state=task.state if task is not None else "",
        opinion=note,
        detail={"recipients": [person.pk for person in people]},
    )
    link = instance_link(instance)
    for person in people:
        notify(
            recipient=person,
            title=f"抄阅：{instance}",
            body=f"{actor.display_name}抄送给您阅知" + (f"：{note}" if note else ""),
            link=link,
            category="workflow",
        )
    return copies


@transaction.atomic
def copy_mark_read(*, actor, copy: CarbonCopy) -> CarbonCopy:
    """标为已读: only the recipient; the first reading time is kept."""
    if actor is None or copy.recipient_id != getattr(actor, "pk", None):
        raise NotFound("抄阅不存在或无权查看")
    now = timezone.now()
    if CarbonCopy.objects.filter(pk=copy.pk, read_at__isnull=True).update(read_at=now):
        audit.record(actor=actor, action="workflow.copy.read", target=copy, changes={"read_at": now})
    copy.refresh_from_db(fields=["read_at"])
    return copy
