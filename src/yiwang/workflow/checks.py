"""Checks of a process as a whole, once each field has the right shape (loader.py).

Each check returns `(where, message)` pairs; the loader adds the file and raises them all
together. What is checked, and why, is in docs/workflow-definitions.md ("Validation").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from yiwang.workflow import hooks
from yiwang.workflow.definitions import ActionKind, ProcessDefinition, StateKind

Found = Iterator[tuple[str, str]]


def known_roles() -> frozenset[str]:
    """Role codes in the database plus the built-in ones, so that a file validates before the
    database is seeded (`yiwang workflow load --check` on a fresh checkout)."""
    from yiwang.core.accounts.models import Role
    from yiwang.core.accounts.rbac import BUILTIN_ROLES

    return frozenset(Role.objects.values_list("code", flat=True)) | {code for code, _, _ in BUILTIN_ROLES}


def check(definition: ProcessDefinition, *, roles: frozenset[str] | None) -> list[tuple[str, str]]:
    """Every problem of `definition`; `roles=None` skips the references to the world outside the
    file (roles and hooks): a stored version stays runnable after a role is renamed."""
    found = [
        *_initial(definition),
        *_clock_from(definition),
        *_actions(definition),
        *_states(definition),
        *_forks_and_joins(definition),
        *_reachable(definition),
        *_limits(definition),
        *_escalations(definition),
    ]
    if roles is not None:
        found += [*_roles(definition, roles), *_hooks(definition)]
    return found


def _kinds(definition: ProcessDefinition) -> dict[str, StateKind]:
    return {state.code: state.kind for state in definition.states}


def _initial(definition: ProcessDefinition) -> Found:
    kind = _kinds(definition).get(definition.initial)
    if definition.initial and kind is None:
        yield "initial", f"起始节点“{definition.initial}”不存在"
    elif kind in (StateKind.JOIN, StateKind.END):
        yield "initial", "起始节点应为办理（task）或并行（fork）节点"


def _clock_from(definition: ProcessDefinition) -> Found:
    if not definition.clock_from:
        return
    kind = _kinds(definition).get(definition.clock_from)
    if kind is None:
        yield "clock_from", f"计时起点节点“{definition.clock_from}”不存在"
    elif kind != StateKind.TASK:
        yield "clock_from", "计时起点应为办理（task）节点"


def _actions(definition: ProcessDefinition) -> Found:
    kinds = _kinds(definition)
    waiting = {action.target for action in definition.actions if action.kind == ActionKind.SUSPEND}
    for action in definition.actions:
        where = f"actions.{action.code}"
        for source in action.sources:
            if source not in kinds:
                yield f"{where}.from", f"节点“{source}”不存在"
            elif kinds[source] == StateKind.FORK:
                yield f"{where}.from", f"并行节点“{source}”自动进入各分支，不能作为动作的起点"
            elif action.kind == ActionKind.RESUME and source not in waiting:
                yield f"{where}.from", f"恢复动作只能从暂停（suspend）后的等待节点执行，“{source}”不是"
        if action.target and action.target not in kinds:
            yield f"{where}.to", f"节点“{action.target}”不存在"
        elif action.kind == ActionKind.SUSPEND and kinds.get(action.target) != StateKind.TASK:
            yield f"{where}.to", "暂停动作应到达一个等待中的办理（task）节点"
        elif action.kind == ActionKind.TERMINATE and kinds.get(action.target) != StateKind.END:
            yield f"{where}.to", "终止动作应到达结束（end）节点"
        elif action.kind == ActionKind.RETURN and action.target in kinds:
            earlier = _walk(definition, action.target, returns=False)
            for source in action.sources:
                if source in kinds and source not in earlier:
                    yield (
                        f"{where}.to",
                        f"退回只能回到此前经过的节点：“{action.target}”不在“{source}”之前",
                    )


def _states(definition: ProcessDefinition) -> Found:
    for state in definition.states:
        leaving = definition.actions_from(state.code)
        names = "、".join(action.code for action in leaving)
        if state.kind == StateKind.END and leaving:
            yield f"states.{state.code}", f"结束节点不能再有动作（{names}）"
        elif state.kind == StateKind.TASK and not leaving:
            yield f"states.{state.code}", "办理节点没有任何动作，流程会停在这里"
        elif state.kind == StateKind.JOIN and (len(leaving) != 1 or leaving[0].kind != ActionKind.FORWARD):
            yield f"states.{state.code}", "汇聚节点须有且只有一个离开它的 forward 动作（汇聚完成后自动执行）"


def _next(
    definition: ProcessDefinition, code: str, *, through_joins: bool = True, returns: bool = True
) -> list[str]:
    state = next((state for state in definition.states if state.code == code), None)
    if state is None or (state.kind == StateKind.JOIN and not through_joins):
        return []
    found = [
        action.target
        for action in definition.actions_from(code)
        if action.target and (returns or action.kind != ActionKind.RETURN)
    ]
    return found + list(state.branches) if state.kind == StateKind.FORK else found


def _walk(
    definition: ProcessDefinition, start: str, *, through_joins: bool = True, returns: bool = True
) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for following in _next(definition, queue.popleft(), through_joins=through_joins, returns=returns):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return seen


def _forks_and_joins(definition: ProcessDefinition) -> Found:
    kinds = _kinds(definition)
    forks = [state for state in definition.states if state.kind == StateKind.FORK]
    for fork in forks:
        where = f"states.{fork.code}.branches"
        if len(fork.branches) < 2:
            yield where, "并行节点至少要有两个分支"
        for branch in fork.branches:
            if branch not in kinds:
                yield where, f"分支起点“{branch}”不存在"
            elif kinds[branch] in (StateKind.JOIN, StateKind.END):
                yield where, f"分支起点“{branch}”应为办理（task）或并行（fork）节点"
    # A branch's region: what its first state leads to before any join, going forward only
    # (a return may lead back before the fork).
    regions = {
        fork.code: [
            _walk(definition, branch, through_joins=False, returns=False)
            for branch in fork.branches
            if branch in kinds
        ]
        for fork in forks
    }
    for join in (state for state in definition.states if state.kind == StateKind.JOIN):
        where = f"states.{join.code}.join.from"
        unknown = [code for code in join.joins if code not in kinds]
        for code in unknown:
            yield where, f"节点“{code}”不存在"
        for code in join.joins:
            if code in kinds and not any(
                action.target == join.code for action in definition.actions_from(code)
            ):
                yield where, f"节点“{code}”没有通往此汇聚节点的动作"
        for action in definition.actions:
            for source in action.sources:
                if action.target == join.code and source in kinds and source not in join.joins:
                    yield (
                        f"actions.{action.code}.to",
                        f"节点“{source}”不在汇聚节点“{join.code}”的 join.from 中",
                    )
        if unknown or not join.joins:
            continue
        if not any(_matches(regions[fork.code], join.joins) for fork in forks):
            yield where, "所汇聚的分支不都来自同一个并行节点：应为同一并行节点的每个分支各列出其最后一个节点"


def _matches(regions: list[set[str]], ends: tuple[str, ...]) -> bool:
    """Each branch of one fork ends in exactly one of `ends`, and each end is in one branch."""
    if len(regions) != len(ends) or len(regions) < 2:
        return False
    return all(sum(end in region for end in ends) == 1 for region in regions) and all(
        sum(end in region for region in regions) == 1 for end in ends
    )


def _reachable(definition: ProcessDefinition) -> Found:
    if definition.initial not in _kinds(definition):
        return
    reached = _walk(definition, definition.initial)
    for state in definition.states:
        if state.code not in reached:
            yield f"states.{state.code}", "从起始节点无法到达此节点"


def _limits(definition: ProcessDefinition) -> Found:
    if definition.time_limit is not None:
        return  # tasks without their own limit run against the whole process's limit
    waiting = {action.target for action in definition.actions if action.kind == ActionKind.SUSPEND}
    for state in definition.states:
        if state.kind == StateKind.TASK and state.time_limit is None and state.code not in waiting:
            yield f"states.{state.code}.time_limit", "办理节点必须设定时限（或为整个流程设定 time_limit）"


def _roles(definition: ProcessDefinition, roles: frozenset[str]) -> Found:
    def unknown(codes, where):
        for code in codes:
            if code not in roles:
                yield where, f"角色“{code}”不存在"

    for state in definition.states:
        yield from unknown(state.assignment.roles, f"states.{state.code}.roles")
    for action in definition.actions:
        yield from unknown(action.roles, f"actions.{action.code}.roles")
    for index, escalation in enumerate(definition.escalations):
        yield from unknown(escalation.notify, f"escalations[{index}].notify")


def _hooks(definition: ProcessDefinition) -> Found:
    guards, effects = hooks.guard_names(), hooks.effect_names()
    for action in definition.actions:
        if action.guard and action.guard not in guards:
            yield f"actions.{action.code}.guard", f"条件钩子“{action.guard}”未注册"
        if action.effect and action.effect not in effects:
            yield f"actions.{action.code}.effect", f"后续处理钩子“{action.effect}”未注册"


def _escalations(definition: ProcessDefinition) -> Found:
    kinds = _kinds(definition)
    actions = {action.code: action for action in definition.actions}
    for index, escalation in enumerate(definition.escalations):
        where = f"escalations[{index}]"
        if escalation.state and escalation.state not in kinds:
            yield f"{where}.state", f"节点“{escalation.state}”不存在"
        elif escalation.state and kinds[escalation.state] != StateKind.TASK:
            yield f"{where}.state", "只有办理（task）节点有时限，才能超期升级"
        if not escalation.action:
            continue
        action = actions.get(escalation.action)
        if action is None:
            yield f"{where}.action", f"动作“{escalation.action}”不存在"
        elif action.kind != ActionKind.ESCALATE:
            yield f"{where}.action", f"动作“{escalation.action}”不是升级（escalate）动作"
        elif escalation.state and escalation.state not in action.sources:
            yield f"{where}.action", f"动作“{escalation.action}”不能从节点“{escalation.state}”执行"
