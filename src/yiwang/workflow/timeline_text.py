"""Words of the timeline (issue 3 §6): limits and outcomes in Chinese, and an event's `detail`
made readable — the departments and people it names looked up in one query per kind, for all
events at once.
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from yiwang.workflow.definitions import StateKind, TimeLimit, TimeUnit
from yiwang.workflow.models_runtime import InstanceStatus
from yiwang.workflow.models_supervision import AccountabilityKind

UNIT_WORDS = {
    TimeUnit.WORKING_DAYS: "个工作日",
    TimeUnit.WORKING_HOURS: "个工作小时",
    TimeUnit.NATURAL_DAYS: "个自然日",
    TimeUnit.NATURAL_HOURS: "小时",
}

# What the services write into `InstanceEvent.detail` (转办, 委托, 改派, 抄送, 督办, 问责), in
# words and in the order shown (PostgreSQL's jsonb keeps no key order).
LABELS = {
    "department": "部门",
    "from_department": "原部门",
    "to_department": "转至部门",
    "user": "人员",
    "from_user": "原办理人",
    "to_user": "交给",
    "assignee": "办理人",
    "delegate": "受托人",
    "recipient": "抄送给",
    "recipients": "抄送给",
    "responsible": "责任人",
    "sender": "发送人",
    "message": "督办意见",
    "note": "附言",
    "reply": "反馈意见",
    "respond_by": "反馈时限",
    "kind": "类型",
    "reason": "理由",
}
# The same key said more exactly for one kind of event.
KIND_LABELS = {
    ("press", "department"): "被督办部门",
    ("acknowledge", "department"): "反馈部门",
    ("accountability", "department"): "责任部门",
    ("accountability", "kind"): "过错类型",
    ("delegate", "from_user"): "委托人",
    ("delegate", "to_user"): "受托人",
    ("reassign", "to_user"): "改派给",
}
# What an event's `opinion` holds, by kind (督办 keeps its message there, 抄送 its note).
OPINION_LABELS = {"press": "督办意见", "acknowledge": "反馈意见", "copy": "附言"}
USER_KEYS = {"user", "users", "assignee", "delegate", "recipient", "recipients", "responsible", "sender"}
# Record ids (the 督办单, the 抄阅 row): the timeline already shows what they hold.
HIDDEN = {"notice", "copy", "copies", "accountability", "task", "version"}


def limit_text(limit: TimeLimit | None) -> str:
    """ "5个工作日", "2.5个工作小时"; "" for no limit."""
    if limit is None:
        return ""
    return f"{limit.amount:g}{UNIT_WORDS.get(limit.unit, limit.unit)}"


def is_department_key(key: str) -> bool:
    return key == "department" or key.endswith(("_department", "_departments", "department_id"))


def is_user_key(key: str) -> bool:
    return key in USER_KEYS or key.endswith(("_user", "_users", "_user_id"))


def _as_ids(value) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    ids = []
    for item in values:
        if isinstance(item, int) and not isinstance(item, bool):
            ids.append(item)
        elif isinstance(item, str) and item.isdigit() and len(item) < 19:
            ids.append(int(item))
    return ids


def ids_in(details, wanted) -> set[int]:
    """The ids under the keys `wanted(key)` accepts, across many details."""
    found: set[int] = set()
    for detail in details:
        for key, value in detail.items():
            if wanted(key):
                found.update(_as_ids(value))
    return found


def _words(value) -> str:
    if isinstance(value, str):
        moment = parse_datetime(value) if len(value) >= 16 else None
        if moment is not None and timezone.is_aware(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
        return value
    if isinstance(value, list | tuple):
        return "、".join(_words(item) for item in value)
    if value is None or isinstance(value, bool):
        return {None: "—", True: "是", False: "否"}[value]
    return str(value)


def _position(order: list[str], key: str) -> int:
    return order.index(key) if key in order else len(order)


def detail_items(
    kind: str, detail: dict, *, departments: dict[int, str], users: dict[int, str]
) -> list[tuple[str, str]]:
    """(label, words) of each key of an event's detail, names looked up in the given maps."""
    items = []
    order = list(LABELS)
    for key, value in sorted(detail.items(), key=lambda item: (_position(order, item[0]), item[0])):
        if key in HIDDEN:
            continue
        label = KIND_LABELS.get((kind, key)) or LABELS.get(key, key)
        if is_department_key(key):
            text = "、".join(departments.get(pk, f"部门#{pk}") for pk in _as_ids(value))
        elif is_user_key(key):
            text = "、".join(users.get(pk, f"人员#{pk}") for pk in _as_ids(value))
        elif key == "kind" and value in AccountabilityKind.values:
            text = AccountabilityKind(value).label
        else:
            text = _words(value)
        if text:
            items.append((label, text))
    return items


def _names(model: str, ids: set[int], field_name: str) -> dict[int, str]:
    if not ids:
        return {}
    Model = apps.get_model(*model.split("."))
    return dict(Model.objects.filter(pk__in=ids).values_list("pk", field_name))


def details_of(events) -> dict[int, list[tuple[str, str]]]:
    """{event id: (label, words) …} for many events: one query for departments, one for people."""
    details = {event.pk: event.detail if isinstance(event.detail, dict) else {} for event in events}
    departments = _names("orgs.Department", ids_in(details.values(), is_department_key), "name")
    users = _names("accounts.User", ids_in(details.values(), is_user_key), "display_name")
    kinds = {event.pk: event.kind for event in events}
    return {
        pk: detail_items(kinds[pk], detail, departments=departments, users=users)
        for pk, detail in details.items()
    }


def outcome_name(definition, instance) -> str:
    """The end state's name for its outcome ("准予许可"), or the status of a withdrawn or
    terminated instance."""
    if not instance.outcome:
        return ""
    for state in definition.states:
        if state.kind == StateKind.END and state.outcome == instance.outcome:
            return state.name
    if instance.status in (InstanceStatus.WITHDRAWN, InstanceStatus.TERMINATED):
        return instance.get_status_display()
    return instance.outcome
