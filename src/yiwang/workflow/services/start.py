"""Start a process instance for any subject (issue 3, part 2)."""

from __future__ import annotations

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from yiwang.core.errors import InvalidInput, PermissionDenied, invalid
from yiwang.core.workcal.clock import shared_calendar
from yiwang.workflow import selectors
from yiwang.workflow.models_runtime import EventKind, InstanceStatus, ProcessInstance
from yiwang.workflow.permissions import can_instance_start
from yiwang.workflow.services import engine

PARAM_MAX = 50


def subject_reference(subject: models.Model) -> tuple[str, str]:
    """The generic reference of a subject: ("app_label.model", str(pk))."""
    if not isinstance(subject, models.Model) or subject.pk is None:
        raise invalid("subject", "办理对象须为已保存的记录")
    return f"{subject._meta.app_label}.{subject._meta.model_name}", str(subject.pk)


def _check_params(params) -> dict:
    if params is None:
        return {}
    if not isinstance(params, dict) or len(params) > PARAM_MAX:
        raise invalid("params", f"发起参数须为不超过{PARAM_MAX}项的键值对")
    for key, value in params.items():
        if not isinstance(key, str) or not key or len(key) > 64:
            raise invalid("params", "发起参数的名称须为不超过64个字符的文字")
        if not isinstance(value, str | int | bool | None) or (isinstance(value, str) and len(value) > 255):
            raise invalid(f"params.{key}", f"参数“{key}”须为不超过255个字符的文字或整数")
    return dict(params)


@shared_calendar()
@transaction.atomic
def instance_start(*, actor, definition_code: str, subject, department, params=None) -> ProcessInstance:
    """Start the CURRENT version of a process; the instance keeps that version to its end."""
    Department = apps.get_model("orgs", "Department")
    if not isinstance(department, Department) or not department.is_active:
        raise invalid("department", "请选择启用的主管部门")
    if not can_instance_start(actor, department):
        raise PermissionDenied("没有发起此流程的权限")
    version = selectors.definition_version_current(code=definition_code)
    definition = selectors.definition_of(version=version)
    subject_type, subject_id = subject_reference(subject)
    if definition.subject and definition.subject != subject_type:
        raise invalid("subject", f"流程“{definition.name}”只能用于{definition.subject}")
    initiator = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    instance = ProcessInstance.objects.create(
        definition=version,
        definition_code=definition.code,
        subject_type=subject_type,
        subject_id=subject_id,
        department=department,
        initiator=initiator,
        status=InstanceStatus.RUNNING,
        started_at=timezone.now(),
        params=_check_params(params),
    )
    # Every assignment must resolve now, not when the instance reaches the state weeks later.
    problems: dict[str, str] = {}
    for state in definition.states:
        try:
            engine.resolve_department(definition_department=state.assignment.department, instance=instance)
            engine.resolve_person(definition_person=state.assignment.person, instance=instance)
        except InvalidInput as error:
            problems.update(error.fields)
    if problems:
        raise InvalidInput("发起参数有误", fields=problems)
    engine.record_event(instance=instance, actor=actor, kind=EventKind.START, to_state=definition.initial)
    engine.enter(
        definition=definition, instance=instance, state_code=definition.initial, branch="", actor=actor
    )
    engine.save_instance(instance)
    return instance
