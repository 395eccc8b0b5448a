"""A process definition in memory: what a `processes/*.yaml` file declares, after validation.

Immutable and plain (no database): the loader builds it, the runtime reads it, the BPMN export
and the diagram draw it. A running instance keeps the version it started with, so a definition
never changes once stored — a changed file becomes a new version.

Vocabulary (docs/glossary.md): a *state* is a node of the process — a `task` where people act,
a `fork` that opens parallel branches (并联审批, 主办/协办), a `join` that waits for them (all-of
or any-of), or an `end`. An *action* moves a task from one state to another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class TimeUnit(StrEnum):
    """Matches `yiwang.core.workcal.units.TimeUnit`."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    NATURAL_DAYS = "natural_days"
    NATURAL_HOURS = "natural_hours"


class StateKind(StrEnum):
    TASK = "task"
    FORK = "fork"
    JOIN = "join"
    END = "end"


class JoinMode(StrEnum):
    ALL = "all"  # 全部通过: wait for every branch
    ANY = "any"  # 任一即可: the first branch to arrive continues, the others are cancelled


class ActionKind(StrEnum):
    FORWARD = "forward"  # 办理/通过: to the next state
    RETURN = "return"  # 退回: back to an earlier state, a reason is required
    SUSPEND = "suspend"  # 补正 / 特别程序: the clock stops; `to` is the waiting state
    RESUME = "resume"  # the clock runs again
    WITHDRAW = "withdraw"  # 撤回 by the applicant/initiator
    TERMINATE = "terminate"  # 终止
    ESCALATE = "escalate"  # fired by the clock when a limit is passed


class Requirement(StrEnum):
    OPINION = "opinion"  # 意见
    ATTACHMENTS = "attachments"  # 附件
    REASON = "reason"  # 理由 (退回, 终止, 特别程序)


@dataclass(frozen=True)
class TimeLimit:
    amount: float
    unit: TimeUnit


@dataclass(frozen=True)
class Warning:
    """预警 (yellow): when `share` of the limit is used, or `left` units remain — whichever first."""

    share: float = 0.8
    left: float | None = None


@dataclass(frozen=True)
class Assignment:
    """Who may work a task: a role within a department scope, or a named person.

    `department` is one of: "subject" (the department the subject names, e.g. the item's
    implementing department), "initiator" (the starter's department), a department code given
    at start (`param:<name>`), or empty (any department in the actor's scope)."""

    roles: tuple[str, ...] = ()
    department: str = ""
    person: str = ""  # `param:<name>`: a user chosen when the instance starts


@dataclass(frozen=True)
class State:
    code: str
    name: str
    kind: StateKind
    assignment: Assignment = field(default_factory=Assignment)
    time_limit: TimeLimit | None = None
    warning: Warning | None = None
    branches: tuple[str, ...] = ()  # fork: the first state of each branch
    join_mode: JoinMode | None = None  # join
    joins: tuple[str, ...] = ()  # join: the last state of each branch it waits for
    outcome: str = ""  # end: e.g. "approved", "rejected", "withdrawn"


@dataclass(frozen=True)
class Action:
    code: str
    name: str
    kind: ActionKind
    sources: tuple[str, ...]  # the states it may be taken from
    target: str  # the state it leads to ("" for resume: back where it was)
    roles: tuple[str, ...] = ()  # empty: whoever may work the task
    requires: tuple[Requirement, ...] = ()
    guard: str = ""  # name of a guard hook registered by a domain package
    effect: str = ""  # name of an effect hook registered by a domain package


@dataclass(frozen=True)
class Escalation:
    """When a state's limit is passed: press (notify) and/or fire an escalation action."""

    state: str
    notify: tuple[str, ...] = ()  # role codes to notify (e.g. supervisor)
    action: str = ""  # an ESCALATE action to fire automatically


@dataclass(frozen=True)
class ProcessDefinition:
    code: str  # e.g. "services.application.parallel"
    name: str
    subject: str  # app_label.model of the subjects it runs for, or "" for any
    initial: str  # the first state
    states: tuple[State, ...]
    actions: tuple[Action, ...]
    time_limit: TimeLimit | None = None  # the whole process; an instance may set its own
    escalations: tuple[Escalation, ...] = ()
    source: str = ""  # where it was read from (file path), for messages
    # 行政许可法 §42: an application's limit counts from 受理, not from submission. When set, the
    # whole-process clock starts when the instance first enters this task state.
    clock_from: str = ""

    def state(self, code: str) -> State:
        for state in self.states:
            if state.code == code:
                return state
        raise KeyError(code)

    def actions_from(self, state_code: str) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if state_code in action.sources)
