"""Read a process file (`processes/*.yaml`) into a `ProcessDefinition`, or list what is wrong.

`parse_definition(text, source=...)` either returns a complete definition or raises
`DefinitionInvalid` with every problem found — each with where it is (`states.review.time_limit
.unit`) and a Chinese message — so a file is never half-loaded and an author fixes all of it
in one pass (issue 3: "every problem listed with where it is, nothing half-loaded"). The
format is described field by field in docs/workflow-definitions.md.

This module checks the shape of each field; `checks.py` checks the process as a graph
(reachability, forks and joins, roles, hooks, limits).
"""

from __future__ import annotations

import difflib
import re

from yiwang.workflow import checks
from yiwang.workflow.definitions import (
    Action,
    ActionKind,
    Assignment,
    Escalation,
    JoinMode,
    ProcessDefinition,
    Requirement,
    State,
    StateKind,
    TimeLimit,
    TimeUnit,
    Warning,
)
from yiwang.workflow.problems import DefinitionInvalid, Problem, read_yaml

__all__ = ["DefinitionInvalid", "Problem", "parse_definition"]

CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")  # a state or action code
PROCESS_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
SUBJECT = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
PARAM = re.compile(r"^param:[a-z][a-z0-9_]*$")

TOP_KEYS = (
    "code",
    "name",
    "subject",
    "initial",
    "time_limit",
    "clock_from",
    "states",
    "actions",
    "escalations",
)
STATE_KEYS = (
    "name",
    "kind",
    "roles",
    "department",
    "person",
    "time_limit",
    "warning",
    "branches",
    "join",
    "outcome",
)
ACTION_KEYS = ("name", "kind", "from", "to", "roles", "requires", "guard", "effect")
ESCALATION_KEYS = ("state", "notify", "action")
# Keys that only make sense on one kind of state.
STATE_KEYS_FOR = {
    "roles": StateKind.TASK,
    "department": StateKind.TASK,
    "person": StateKind.TASK,
    "time_limit": StateKind.TASK,
    "warning": StateKind.TASK,
    "branches": StateKind.FORK,
    "join": StateKind.JOIN,
    "outcome": StateKind.END,
}
DEPARTMENT_WORDS = ("subject", "initiator")
# 退回 and 终止 always need a reason (issue 3); the loader adds it if the file does not.
REASON_REQUIRED = (ActionKind.RETURN, ActionKind.TERMINATE)


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


class _Reader:
    """Walks the parsed YAML, building definition objects and collecting problems."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, where, message))

    def mapping(self, value: object, where: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.problem(where, "应为键值映射（key: value）")
            return {}
        for key, line in getattr(value, "duplicates", ()):
            self.problem(_join(where, key), f"“{key}”重复出现（第{line}行）")
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"，是否应为“{close[0]}”" if close else f"（可用：{'、'.join(allowed)}）"
                self.problem(_join(where, key), f"未知字段“{key}”{hint}")
        return value

    def text(self, data: dict, key: str, where: str, *, required: bool = False, max_length: int = 128) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.problem(_join(where, key), "必填")
            return ""
        if not isinstance(value, str):
            self.problem(_join(where, key), "应为文字")
            return ""
        if len(value) > max_length:
            self.problem(_join(where, key), f"不能超过{max_length}个字符")
        return value

    def names(self, data: dict, key: str, where: str) -> tuple[str, ...]:
        """One name or a list of names (`from`, `roles`, `branches`, `requires`, `notify`)."""
        value = data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) and item for item in items):
            self.problem(_join(where, key), "应为一个代码或代码列表")
            return ()
        for item in sorted({item for item in items if items.count(item) > 1}):
            self.problem(_join(where, key), f"“{item}”重复列出")
        return tuple(dict.fromkeys(items))

    def choice(self, value: object, where: str, enum, label: str):
        if value not in {member.value for member in enum}:
            self.problem(where, f"{label}“{value}”无效，可用：{'、'.join(member.value for member in enum)}")
            return None
        return enum(value)

    def number(self, value: object, where: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, "应为数字")
            return None
        return value

    def time_limit(self, value: object, where: str) -> TimeLimit | None:
        data = self.mapping(value, where, ("amount", "unit"))
        if not data:
            return None
        unit = self.choice(data.get("unit"), _join(where, "unit"), TimeUnit, "时限单位")
        amount = self.number(data.get("amount"), _join(where, "amount"))
        if amount is not None and amount <= 0:
            self.problem(_join(where, "amount"), "时限必须大于0")
            amount = None
        elif (
            amount is not None
            and unit in (TimeUnit.WORKING_DAYS, TimeUnit.NATURAL_DAYS)
            and amount != int(amount)
        ):
            self.problem(_join(where, "amount"), "以日计的时限必须为整数")
            amount = None
        if unit is None or amount is None:
            return None
        return TimeLimit(amount=amount, unit=unit)

    def warning(self, value: object, where: str) -> Warning | None:
        data = self.mapping(value, where, ("share", "left"))
        share, left = 0.8, None
        if "share" in data:
            share = self.number(data["share"], _join(where, "share"))
            if share is not None and not 0 < share < 1:
                self.problem(_join(where, "share"), "预警比例必须在0与1之间（不含0和1），如0.8")
            share = share if share is not None and 0 < share < 1 else 0.8
        if "left" in data:
            left = self.number(data["left"], _join(where, "left"))
            if left is not None and left <= 0:
                self.problem(_join(where, "left"), "剩余时限预警必须大于0")
                left = None
        return Warning(share=share, left=left)

    def code(self, key: object, where: str) -> bool:
        if not isinstance(key, str) or not CODE.match(key):
            self.problem(
                where, f"代码“{key}”无效：应以小写字母开头，只含小写字母、数字和下划线，不超过64个字符"
            )
            return False
        return True

    def codes(self, data: dict, key: str) -> list[tuple[str, object, str]]:
        """The entries of `states` or `actions` (code → fields) whose code is valid."""
        if key not in data:
            self.problem(key, "必填")
            return []
        value = data[key]
        entries = self.mapping(value, key, tuple(value) if isinstance(value, dict) else ())
        return [
            (code, item, _join(key, code))
            for code, item in entries.items()
            if self.code(code, _join(key, code))
        ]

    def assignment(self, data: dict, where: str) -> Assignment:
        department = self.text(data, "department", where, max_length=64)
        if department and department not in DEPARTMENT_WORDS and not PARAM.match(department):
            self.problem(_join(where, "department"), "应为 subject、initiator 或 param:<参数名>")
        person = self.text(data, "person", where, max_length=64)
        if person and not PARAM.match(person):
            self.problem(_join(where, "person"), "应为 param:<参数名>（启动流程时指定的人员）")
        return Assignment(roles=self.names(data, "roles", where), department=department, person=person)

    def state(self, code: str, value: object, where: str) -> State:
        data = self.mapping(value, where, STATE_KEYS)
        kind = self.choice(data.get("kind", "task"), _join(where, "kind"), StateKind, "节点类型")
        for key, only in STATE_KEYS_FOR.items():
            if kind is not None and key in data and kind != only:
                self.problem(_join(where, key), f"字段“{key}”只用于 {only.value} 节点")
        join_mode, joins = None, ()
        if kind == StateKind.JOIN:
            join = self.mapping(data.get("join"), _join(where, "join"), ("mode", "from"))
            mode_where = _join(_join(where, "join"), "mode")
            join_mode = (
                self.choice(join.get("mode", "all"), mode_where, JoinMode, "汇聚方式") if join else None
            )
            joins = self.names(join, "from", _join(where, "join"))
            if join and not joins:
                self.problem(_join(_join(where, "join"), "from"), "必填：所汇聚的各分支的最后一个节点")
        return State(
            code=code,
            name=self.text(data, "name", where, required=True),
            kind=kind or StateKind.TASK,
            assignment=self.assignment(data, where),
            time_limit=self.time_limit(data["time_limit"], _join(where, "time_limit"))
            if "time_limit" in data
            else None,
            warning=self.warning(data["warning"], _join(where, "warning")) if "warning" in data else None,
            branches=self.names(data, "branches", where),
            join_mode=join_mode,
            joins=joins,
            outcome=self.text(data, "outcome", where, max_length=32),
        )

    def action(self, code: str, value: object, where: str) -> Action:
        data = self.mapping(value, where, ACTION_KEYS)
        kind = self.choice(data.get("kind", "forward"), _join(where, "kind"), ActionKind, "动作类型")
        sources = self.names(data, "from", where)
        if not sources and "from" not in data:
            self.problem(_join(where, "from"), "必填：可从哪些节点执行此动作")
        target = self.text(data, "to", where, max_length=64)
        if kind == ActionKind.RESUME and target:
            self.problem(_join(where, "to"), "恢复（resume）动作回到暂停前的节点，不能指定 to")
        elif kind != ActionKind.RESUME and "to" not in data:
            self.problem(_join(where, "to"), "必填：动作到达的节点")
        requires = []
        for item in self.names(data, "requires", where):
            requirement = self.choice(item, _join(where, "requires"), Requirement, "必需输入")
            if requirement is not None:
                requires.append(requirement)
        if kind in REASON_REQUIRED and Requirement.REASON not in requires:
            requires.append(Requirement.REASON)
        return Action(
            code=code,
            name=self.text(data, "name", where, required=True),
            kind=kind or ActionKind.FORWARD,
            sources=sources,
            target=target,
            roles=self.names(data, "roles", where),
            requires=tuple(requires),
            guard=self.text(data, "guard", where, max_length=64),
            effect=self.text(data, "effect", where, max_length=64),
        )

    def escalation(self, value: object, where: str) -> Escalation:
        data = self.mapping(value, where, ESCALATION_KEYS)
        state = self.text(data, "state", where, required=True, max_length=64)
        escalation = Escalation(
            state=state,
            notify=self.names(data, "notify", where),
            action=self.text(data, "action", where, max_length=64),
        )
        if data and not escalation.notify and not escalation.action:
            self.problem(where, "应至少指定 notify（通知的角色）或 action（自动执行的升级动作）之一")
        return escalation

    def process(self, value: object) -> ProcessDefinition:
        data = self.mapping(value, "", TOP_KEYS)
        code = self.text(data, "code", "", required=True, max_length=64)
        if code and not PROCESS_CODE.match(code):
            self.problem(
                "code", "流程代码应为小写字母、数字、下划线，以点分段，如 services.parallel_approval"
            )
        subject = self.text(data, "subject", "", max_length=64)
        if subject and not SUBJECT.match(subject):
            self.problem("subject", "应为“应用标签.模型名”，如 services.application")
        name = self.text(data, "name", "", required=True)
        initial = self.text(data, "initial", "", required=True, max_length=64)
        clock_from = self.text(data, "clock_from", "", max_length=64)
        limit = self.time_limit(data["time_limit"], "time_limit") if "time_limit" in data else None
        states = [self.state(key, item, where) for key, item, where in self.codes(data, "states")]
        actions = [self.action(key, item, where) for key, item, where in self.codes(data, "actions")]
        escalations = []
        raw_escalations = data.get("escalations") or []
        if not isinstance(raw_escalations, list):
            self.problem("escalations", "应为列表")
            raw_escalations = []
        for index, item in enumerate(raw_escalations):
            escalations.append(self.escalation(item, f"escalations[{index}]"))
        return ProcessDefinition(
            code=code,
            name=name,
            subject=subject,
            initial=initial,
            states=tuple(states),
            actions=tuple(actions),
            time_limit=limit,
            escalations=tuple(escalations),
            source=self.source,
            clock_from=clock_from,
        )


def parse_definition(
    text: str, *, source: str, known_roles: frozenset[str] | None = None, references: bool = True
) -> ProcessDefinition:
    """The definition `text` declares, or `DefinitionInvalid` listing every problem.

    `known_roles` defaults to the role codes in the database plus the built-in ones.
    `references=False` skips checking roles and hooks (for re-reading a stored version)."""
    data = read_yaml(text, source=source)
    reader = _Reader(source)
    if not isinstance(data, dict):
        reader.problem("", "文件内容应为一个流程定义（键值映射）")
        raise DefinitionInvalid(reader.problems)
    definition = reader.process(data)
    roles = None if not references else checks.known_roles() if known_roles is None else known_roles
    problems = reader.problems + [
        Problem(source, where, message) for where, message in checks.check(definition, roles=roles)
    ]
    if problems:
        raise DefinitionInvalid(problems)
    return definition
