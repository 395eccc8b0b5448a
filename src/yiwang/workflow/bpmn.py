"""Export a process definition as BPMN 2.0 XML (OMG formal/2011-01-03) with its diagram (DI).

The file is a picture for people and modelers (bpmn.io, Camunda Modeler), not something another
engine executes: `isExecutable="false"`, and no condition expressions. Mapping (docs/decisions.md):

- task → `userTask` named in Chinese; candidate roles → one `potentialOwner` each; department
  and limit in `documentation`.
- a task with more than one way out → the task is followed by an unnamed `exclusiveGateway`:
  in BPMN several unconditioned flows out of an activity would all be taken at once.
- fork → diverging `parallelGateway`; join all → converging `parallelGateway`; join any → a
  converging `complexGateway` with activationCondition `_activationCount >= 1` (BPMN §10.6.5:
  the first token fires, later ones are absorbed) — the nearest standard element to "first
  branch wins, the others are cancelled"; the cancelling is stated in its documentation.
- end → `endEvent`; with `terminateEventDefinition` when reached from inside a parallel branch
  or by 撤回/终止, because there the whole instance ends and the other branches are cancelled.
- each action → a named `sequenceFlow`; 退回 flows back; 补正/特别程序 (suspend) is a flow to the
  waiting task and 恢复 a flow back to each state that suspends into it (the clock stopping is
  documented on the flow, since BPMN has no notion of a paused deadline).
- a state's limit → non-interrupting timer `boundaryEvent`: `timeDuration` in ISO 8601 for
  natural days/hours (P5D, PT4H); working days/hours, which ISO 8601 cannot express, only in
  documentation.
- an escalation → `boundaryEvent` with `escalationEventDefinition` referring to an `escalation`
  element; interrupting when it fires an action (the flow of that action leaves from it).
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET

from yiwang.workflow.definitions import (
    ActionKind,
    Escalation,
    JoinMode,
    ProcessDefinition,
    State,
    StateKind,
    TimeLimit,
    TimeUnit,
)
from yiwang.workflow.layout import START, Box, Layout, layout

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
for _prefix, _uri in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)

UNIT_NAMES = {
    TimeUnit.WORKING_DAYS: "个工作日",
    TimeUnit.WORKING_HOURS: "个工作小时",
    TimeUnit.NATURAL_DAYS: "个自然日",
    TimeUnit.NATURAL_HOURS: "个自然小时",
}
CHOICE_SIZE = 40
BOUNDARY_SIZE = 36


def safe_id(code: str) -> str:
    """An NCName for `code`: kept when it is already plain, otherwise its unsafe characters become
    `_` and a short hash of the original keeps `a.b` and `a_b` apart."""
    if re.fullmatch(r"[A-Za-z0-9_]+", code):
        return code
    digest = hashlib.sha1(code.encode(), usedforsecurity=False).hexdigest()[:6]
    return f"{re.sub(r'[^A-Za-z0-9_]', '_', code)}_{digest}"


def limit_text(limit: TimeLimit) -> str:
    amount = int(limit.amount) if float(limit.amount).is_integer() else limit.amount
    return f"{amount}{UNIT_NAMES[limit.unit]}"


def iso_duration(limit: TimeLimit) -> str | None:
    """ISO 8601 duration for natural units (P5D, PT4H, PT1H30M); None for working units."""
    if limit.unit == TimeUnit.NATURAL_DAYS and float(limit.amount).is_integer():
        return f"P{int(limit.amount)}D"
    if limit.unit not in (TimeUnit.NATURAL_DAYS, TimeUnit.NATURAL_HOURS):
        return None
    seconds = round(limit.amount * (86400 if limit.unit == TimeUnit.NATURAL_DAYS else 3600))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else "", f"{seconds}S" if seconds else ""]
    return "PT" + ("".join(parts) or "0S")


def _sub(parent: ET.Element, tag: str, ns: str = BPMN, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)


def _doc(parent: ET.Element, text: str) -> None:
    if text:
        _sub(parent, "documentation").text = text


def _num(value: float) -> str:
    return str(round(value))


def node_id(definition: ProcessDefinition, node: str) -> str:
    if node == START:
        return "StartEvent_1"
    prefix = {StateKind.TASK: "Task", StateKind.END: "End"}.get(definition.state(node).kind, "Gateway")
    return f"{prefix}_{safe_id(node)}"


def in_branches(definition: ProcessDefinition, lay: Layout) -> set[str]:
    """States between a fork and its join, walking forward arrows and stopping at joins."""
    inside: set[str] = set()
    pending = [b for s in definition.states for b in s.branches]
    while pending:
        node = pending.pop()
        if node in inside or definition.state(node).kind == StateKind.JOIN:
            continue
        inside.add(node)
        pending.extend(e.target for e in lay.edges if e.source == node and e.kind != "return")
    return inside


def terminating_ends(definition: ProcessDefinition, lay: Layout) -> set[str]:
    """End states that end the whole instance while other branches may still be open: reached
    from inside a parallel branch, or by 撤回/终止."""
    inside = in_branches(definition, lay)
    return {
        e.target
        for e in lay.edges
        if definition.state(e.target).kind == StateKind.END
        and (e.source in inside or e.kind in (ActionKind.TERMINATE, ActionKind.WITHDRAW))
    }


def _task_doc(state: State) -> str:
    lines = []
    if state.assignment.roles:
        lines.append("办理角色：" + "、".join(state.assignment.roles))
    if state.assignment.department:
        lines.append("办理部门：" + state.assignment.department)
    if state.assignment.person:
        lines.append("指定人员：" + state.assignment.person)
    if state.time_limit:
        lines.append("办理时限：" + limit_text(state.time_limit))
    return "\n".join(lines)


def to_bpmn_xml(definition: ProcessDefinition) -> str:
    lay = layout(definition)
    ids = {node: node_id(definition, node) for node in lay.boxes}
    process_id = f"Process_{safe_id(definition.code)}"
    root = ET.Element(
        f"{{{BPMN}}}definitions",
        {
            "id": f"Definitions_{safe_id(definition.code)}",
            "targetNamespace": f"urn:yiwang:process:{definition.code}",
            "exporter": "yiwang",
            "exporterVersion": "1",
        },
    )
    escalated = {e.state: e for e in definition.escalations}
    for escalation in escalated.values():  # one per state (the loader refuses duplicates)
        _sub(
            root,
            "escalation",
            id=f"Escalation_{safe_id(escalation.state)}",
            name=f"超期升级：{definition.state(escalation.state).name}",
            escalationCode=escalation.state,
        )
    process = _sub(root, "process", id=process_id, name=definition.name, isExecutable="false")
    if definition.time_limit:
        _doc(process, "办结时限：" + limit_text(definition.time_limit))

    boxes: dict[str, Box] = {}  # element id → bounds, for the diagram
    flows: list[tuple] = []  # id, source, target, name, waypoints, label position
    used: set[str] = set()

    def flow_id(*parts: str) -> str:
        candidate = "Flow_" + "_".join("start" if p == START else safe_id(p) for p in parts if p)
        unique, n = candidate, 1
        while unique in used:
            n += 1
            unique = f"{candidate}_{n}"
        used.add(unique)
        return unique

    # Where each edge leaves from: the escalation boundary event, a choice gateway, or the node.
    exit_of: dict[int, tuple[str, Box]] = {}
    boundary_of: dict[str, tuple[str, Box]] = {}
    for state_code, escalation in escalated.items():
        task = lay.boxes[state_code]
        box = Box(
            task.right - BOUNDARY_SIZE - 10, task.bottom - BOUNDARY_SIZE / 2, BOUNDARY_SIZE, BOUNDARY_SIZE
        )
        boundary_of[state_code] = (f"Boundary_escalation_{safe_id(state_code)}", box)
        for index, edge in enumerate(lay.edges):
            if edge.source == state_code and edge.kind == "escalate" and edge.action == escalation.action:
                exit_of[index] = boundary_of[state_code]
    choices: dict[str, tuple[str, Box]] = {}
    for state in definition.states:
        outgoing = [i for i, e in enumerate(lay.edges) if e.source == state.code and i not in exit_of]
        if state.kind == StateKind.TASK and len(outgoing) > 1:
            task = lay.boxes[state.code]
            box = Box(task.right + 15, task.cy - CHOICE_SIZE / 2, CHOICE_SIZE, CHOICE_SIZE)
            choice_id = f"Choice_{safe_id(state.code)}"
            choices[state.code] = (choice_id, box)
            for index in outgoing:
                exit_of[index] = choices[state.code]
            wp = ((task.right, task.cy), (box.x, box.cy))
            flows.append((flow_id(state.code, "choice"), ids[state.code], choice_id, "", wp, None))
    for index, edge in enumerate(lay.edges):
        source_id, source_box = exit_of.get(index, (ids[edge.source], lay.boxes[edge.source]))
        parts = (edge.source, edge.action or edge.kind, edge.target)
        waypoints = lay.route(index, source_box=source_box)
        label_at = lay.label_at(index, waypoints)
        flows.append((flow_id(*parts), source_id, ids[edge.target], edge.label, waypoints, label_at))

    incoming: dict[str, list[str]] = {}
    outgoing_of: dict[str, list[str]] = {}
    for fid, source, target, _name, _wp, _label in flows:
        outgoing_of.setdefault(source, []).append(fid)
        incoming.setdefault(target, []).append(fid)

    def connect(element: ET.Element, element_id: str) -> None:
        for fid in incoming.get(element_id, []):
            _sub(element, "incoming").text = fid
        for fid in outgoing_of.get(element_id, []):
            _sub(element, "outgoing").text = fid

    start = _sub(process, "startEvent", id=ids[START], name="开始")
    connect(start, ids[START])
    boxes[ids[START]] = lay.boxes[START]
    terminating = terminating_ends(definition, lay)
    for state in definition.states:
        element_id = ids[state.code]
        boxes[element_id] = lay.boxes[state.code]
        if state.kind == StateKind.TASK:
            element = _sub(process, "userTask", id=element_id, name=state.name)
            _doc(element, _task_doc(state))
            connect(element, element_id)
            for role in state.assignment.roles:
                _sub(element, "potentialOwner", name=role)
        elif state.kind == StateKind.END:
            element = _sub(process, "endEvent", id=element_id, name=state.name)
            _doc(element, f"结果：{state.outcome}" if state.outcome else "")
            connect(element, element_id)
            if state.code in terminating:
                _sub(element, "terminateEventDefinition", id=f"{element_id}_terminate")
        elif state.kind == StateKind.JOIN and state.join_mode == JoinMode.ANY:
            element = _sub(
                process, "complexGateway", id=element_id, name=state.name, gatewayDirection="Converging"
            )
            _doc(element, "任一即可：第一个到达的分支继续，其余分支取消")
            connect(element, element_id)
            condition = _sub(element, "activationCondition")
            condition.set(f"{{{XSI}}}type", "bpmn:tFormalExpression")
            condition.text = "_activationCount >= 1"
        else:
            direction = "Diverging" if state.kind == StateKind.FORK else "Converging"
            element = _sub(
                process, "parallelGateway", id=element_id, name=state.name, gatewayDirection=direction
            )
            _doc(element, "并联：分送各分支" if state.kind == StateKind.FORK else "全部通过：等待所有分支")
            connect(element, element_id)
        if state.code in choices:
            choice_id, box = choices[state.code]
            boxes[choice_id] = box
            # Unnamed, so the picture stays readable; the flows out of it carry the action names.
            gateway = _sub(process, "exclusiveGateway", id=choice_id, gatewayDirection="Diverging")
            _doc(gateway, f"{state.name}：按办理人选择的操作流转")
            connect(gateway, choice_id)
        if state.time_limit and state.kind == StateKind.TASK:
            _timer(process, state, element_id, lay.boxes[state.code], boxes)
        if state.code in boundary_of:
            boundary_id, box = boundary_of[state.code]
            boxes[boundary_id] = box
            event = _escalation_boundary(process, escalated[state.code], element_id, boundary_id)
            connect(event, boundary_id)
            _sub(
                event,
                "escalationEventDefinition",
                id=f"{boundary_id}_definition",
                escalationRef=f"Escalation_{safe_id(state.code)}",
            )

    for fid, source, target, name, _wp, _label in flows:
        flow = _sub(process, "sequenceFlow", id=fid, sourceRef=source, targetRef=target)
        if name:
            flow.set("name", name)
    _diagram(root, process_id, boxes, flows)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _timer(process: ET.Element, state: State, task_id: str, task: Box, boxes: dict[str, Box]) -> None:
    assert state.time_limit is not None
    timer_id = f"Boundary_timer_{safe_id(state.code)}"
    event = _sub(
        process, "boundaryEvent", id=timer_id, name="办理时限", attachedToRef=task_id, cancelActivity="false"
    )
    _doc(event, f"办理时限：{limit_text(state.time_limit)}（到期标记超期，不中断办理）")
    definition = _sub(event, "timerEventDefinition", id=f"{timer_id}_definition")
    duration = iso_duration(state.time_limit)
    if duration:
        _sub(definition, "timeDuration").text = duration
    else:
        _doc(definition, f"{limit_text(state.time_limit)}：按工作日历计算，ISO 8601 无法表达")
    boxes[timer_id] = Box(task.x + 10, task.bottom - BOUNDARY_SIZE / 2, BOUNDARY_SIZE, BOUNDARY_SIZE)


def _escalation_boundary(
    process: ET.Element, escalation: Escalation, task_id: str, boundary_id: str
) -> ET.Element:
    event = _sub(
        process,
        "boundaryEvent",
        id=boundary_id,
        name="超期升级",
        attachedToRef=task_id,
        cancelActivity="true" if escalation.action else "false",
    )
    notes = []
    if escalation.notify:
        notes.append("通知：" + "、".join(escalation.notify))
    if escalation.action:
        notes.append("自动执行：" + escalation.action)
    _doc(event, "；".join(notes))
    return event


def _diagram(root: ET.Element, process_id: str, boxes: dict[str, Box], flows: list) -> None:
    diagram = _sub(root, "BPMNDiagram", BPMNDI, id="BPMNDiagram_1")
    plane = _sub(diagram, "BPMNPlane", BPMNDI, id="BPMNPlane_1", bpmnElement=process_id)
    for element_id, box in boxes.items():
        attrs = {"id": f"{element_id}_di", "bpmnElement": element_id}
        if element_id.startswith("Choice_"):
            attrs["isMarkerVisible"] = "true"
        shape = _sub(plane, "BPMNShape", BPMNDI, **attrs)
        _sub(
            shape, "Bounds", DC, x=_num(box.x), y=_num(box.y), width=_num(box.width), height=_num(box.height)
        )
    for fid, _source, _target, name, waypoints, label_at in flows:
        edge = _sub(plane, "BPMNEdge", BPMNDI, id=f"{fid}_di", bpmnElement=fid)
        for x, y in waypoints:
            _sub(edge, "waypoint", DI, x=_num(x), y=_num(y))
        if name and label_at:
            # Same place as in the SVG, so twin arrows (同意/不同意 to one join) stay readable.
            x, baseline, anchor = label_at
            width = 13 * len(name) + 4
            left = {"middle": x - width / 2, "start": x, "end": x - width}[anchor]
            label = _sub(edge, "BPMNLabel", BPMNDI)
            _sub(label, "Bounds", DC, x=_num(left), y=_num(baseline - 12), width=_num(width), height="14")
