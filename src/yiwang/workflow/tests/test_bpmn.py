"""The BPMN 2.0 export: a modeler must open it, with the same picture as the admin diagram."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from yiwang.workflow.bpmn import BPMN, BPMNDI, DC, DI, iso_duration, safe_id, to_bpmn_xml
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
)
from yiwang.workflow.layout import layout

NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
ISO_DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def parallel_approval(*, join_mode: JoinMode = JoinMode.ALL) -> ProcessDefinition:
    """The issue's benchmark: start → fork → two department reviews → join → decision → end,
    with 退回 from the decision, 补正 (suspend/resume) and an escalation."""
    task, end = StateKind.TASK, StateKind.END
    return ProcessDefinition(
        code="services.application.parallel",
        name="并联审批",
        subject="services.application",
        initial="dispatch",
        states=(
            State("dispatch", "分送并联审批", StateKind.FORK, branches=("review.market", "review.fire")),
            State(
                "review.market",
                "市场监管审查",
                task,
                assignment=Assignment(roles=("approver",), department="param:market"),
                time_limit=TimeLimit(5, TimeUnit.WORKING_DAYS),
            ),
            State(
                "review.fire",
                "消防审查",
                task,
                assignment=Assignment(roles=("approver", "handler"), department="param:fire"),
                time_limit=TimeLimit(4, TimeUnit.NATURAL_HOURS),
            ),
            State(
                "joined", "汇总", StateKind.JOIN, join_mode=join_mode, joins=("review.market", "review.fire")
            ),
            State(
                "decide",
                "审批决定",
                task,
                assignment=Assignment(roles=("approver",), department="subject"),
                time_limit=TimeLimit(3, TimeUnit.NATURAL_DAYS),
            ),
            State("supplement", "补正材料", task, assignment=Assignment(person="param:applicant")),
            State("leader.decide", "领导审定", task, assignment=Assignment(roles=("leader",))),
            State("end.approved", "准予许可", end, outcome="approved"),
            State("end.rejected", "不予许可", end, outcome="rejected"),
        ),
        actions=(
            Action("market_pass", "审查通过", ActionKind.FORWARD, ("review.market",), "joined"),
            Action("market_reject", "审查不通过", ActionKind.FORWARD, ("review.market",), "end.rejected"),
            Action("fire_pass", "审查通过", ActionKind.FORWARD, ("review.fire",), "joined"),
            Action("merge", "汇总意见", ActionKind.FORWARD, ("joined",), "decide"),
            Action("approve", "准予", ActionKind.FORWARD, ("decide", "leader.decide"), "end.approved"),
            Action(
                "reject",
                "不予",
                ActionKind.FORWARD,
                ("decide",),
                "end.rejected",
                requires=(Requirement.REASON,),
            ),
            Action(
                "send_back",
                "退回",
                ActionKind.RETURN,
                ("decide",),
                "review.market",
                requires=(Requirement.REASON,),
            ),
            Action("ask_supplement", "补正", ActionKind.SUSPEND, ("decide",), "supplement"),
            Action("supplied", "补正完成", ActionKind.RESUME, ("supplement",), ""),
            Action("escalate_decide", "超期升级", ActionKind.ESCALATE, ("decide",), "leader.decide"),
        ),
        time_limit=TimeLimit(20, TimeUnit.WORKING_DAYS),
        escalations=(Escalation("decide", notify=("supervisor",), action="escalate_decide"),),
    )


def _parse(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode())


def _process(root: ET.Element) -> ET.Element:
    return root.find("bpmn:process", NS)


def test_export_is_namespaced_bpmn_with_one_element_per_state():
    root = _parse(to_bpmn_xml(parallel_approval()))
    assert root.tag == f"{{{BPMN}}}definitions"
    process = _process(root)
    count = lambda tag: len(process.findall(f"bpmn:{tag}", NS))  # noqa: E731
    assert count("startEvent") == 1
    assert count("userTask") == 5
    assert count("parallelGateway") == 2
    assert count("endEvent") == 2
    assert count("complexGateway") == 0
    # A task with several ways out gets a choice gateway: review.market (通过/不通过) and decide
    # (准予, 不予, 退回, 补正 — 升级 leaves from its boundary event).
    choices = process.findall("bpmn:exclusiveGateway", NS)
    assert [g.get("id") for g in choices] == ["Choice_" + safe_id("review.market"), "Choice_decide"]
    names = {t.get("name") for t in process.findall("bpmn:userTask", NS)}
    assert names == {"市场监管审查", "消防审查", "审批决定", "补正材料", "领导审定"}


def test_every_action_and_branch_is_a_named_sequence_flow_between_existing_nodes():
    definition = parallel_approval()
    process = _process(_parse(to_bpmn_xml(definition)))
    flows = process.findall("bpmn:sequenceFlow", NS)
    # start + 2 fork branches + one per (action, source) + resume back to decide + 2 task→choice.
    per_source = sum(len(a.sources) for a in definition.actions if a.kind != ActionKind.RESUME)
    assert len(flows) == 1 + 2 + per_source + 1 + 2
    ids = {element.get("id") for element in process}
    for flow in flows:
        assert flow.get("sourceRef") in ids and flow.get("targetRef") in ids
        assert flow.find("bpmn:conditionExpression", NS) is None
    labels = sorted(f.get("name") for f in flows if f.get("name"))
    assert labels == sorted(
        ["审查通过", "审查不通过", "审查通过", "汇总意见", "准予", "准予", "不予", "退回"]
        + ["补正", "补正完成", "超期升级"]
    )
    by_name = {f.get("name"): f for f in flows}
    assert by_name["退回"].get("targetRef") == "Task_" + safe_id("review.market")
    assert by_name["补正完成"].get("targetRef") == "Task_decide"
    assert by_name["超期升级"].get("sourceRef") == "Boundary_escalation_decide"


def test_every_node_has_a_shape_and_every_flow_an_edge_with_waypoints():
    root = _parse(to_bpmn_xml(parallel_approval()))
    process = _process(root)
    plane = root.find("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane.get("bpmnElement") == process.get("id")
    shapes = {s.get("bpmnElement"): s for s in plane.findall("bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in plane.findall("bpmndi:BPMNEdge", NS)}
    for element in process:
        tag = element.tag.split("}")[1]
        if tag == "sequenceFlow":
            assert len(edges[element.get("id")].findall("di:waypoint", NS)) >= 2
        elif tag != "documentation":
            bounds = shapes[element.get("id")].find("dc:Bounds", NS)
            assert float(bounds.get("width")) > 0 and float(bounds.get("height")) > 0
    assert len(shapes) == len([e for e in process if not e.tag.endswith(("sequenceFlow", "documentation"))])


def test_ids_are_ncnames_and_dotted_codes_stay_distinct():
    root = _parse(to_bpmn_xml(parallel_approval()))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(NCNAME.match(i) for i in ids)
    assert safe_id("review.market") != safe_id("review_market")
    assert safe_id("review.market") == safe_id("review.market")


def test_limits_become_timers_in_iso_8601_or_documented_working_days():
    process = _process(_parse(to_bpmn_xml(parallel_approval())))
    timers = {
        b.get("attachedToRef"): b
        for b in process.findall("bpmn:boundaryEvent", NS)
        if b.get("name") == "办理时限"
    }
    assert timers["Task_" + safe_id("review.fire")].find(".//bpmn:timeDuration", NS).text == "PT4H"
    assert timers["Task_decide"].find(".//bpmn:timeDuration", NS).text == "P3D"
    market = timers["Task_" + safe_id("review.market")]
    assert market.find(".//bpmn:timeDuration", NS) is None
    assert "5个工作日" in market.find("bpmn:timerEventDefinition/bpmn:documentation", NS).text
    assert all(t.get("cancelActivity") == "false" for t in timers.values())
    for duration in process.iter(f"{{{BPMN}}}timeDuration"):
        assert ISO_DURATION.match(duration.text)
    assert iso_duration(TimeLimit(1.5, TimeUnit.NATURAL_HOURS)) == "PT1H30M"
    assert iso_duration(TimeLimit(0.5, TimeUnit.NATURAL_DAYS)) == "PT12H"
    assert iso_duration(TimeLimit(2, TimeUnit.WORKING_HOURS)) is None


def test_candidate_roles_are_potential_owners():
    process = _process(_parse(to_bpmn_xml(parallel_approval())))
    fire = process.find(f"bpmn:userTask[@id='Task_{safe_id('review.fire')}']", NS)
    assert [o.get("name") for o in fire.findall("bpmn:potentialOwner", NS)] == ["approver", "handler"]
    assert "办理部门：param:fire" in fire.find("bpmn:documentation", NS).text


def test_escalation_is_a_boundary_event_referring_to_an_escalation():
    root = _parse(to_bpmn_xml(parallel_approval()))
    escalation = root.find("bpmn:escalation", NS)
    assert escalation.get("escalationCode") == "decide"
    boundary = _process(root).find("bpmn:boundaryEvent[@id='Boundary_escalation_decide']", NS)
    assert boundary.get("attachedToRef") == "Task_decide" and boundary.get("cancelActivity") == "true"
    assert boundary.find("bpmn:escalationEventDefinition", NS).get("escalationRef") == escalation.get("id")


def test_end_reached_from_inside_a_branch_terminates_the_instance():
    process = _process(_parse(to_bpmn_xml(parallel_approval())))
    ends = {e.get("name"): e for e in process.findall("bpmn:endEvent", NS)}
    assert ends["不予许可"].find("bpmn:terminateEventDefinition", NS) is not None
    assert ends["准予许可"].find("bpmn:terminateEventDefinition", NS) is None


def test_join_any_is_a_complex_gateway_that_fires_on_the_first_branch():
    process = _process(_parse(to_bpmn_xml(parallel_approval(join_mode=JoinMode.ANY))))
    assert len(process.findall("bpmn:parallelGateway", NS)) == 1
    gateway = process.find("bpmn:complexGateway", NS)
    assert gateway.get("gatewayDirection") == "Converging"
    assert gateway.find("bpmn:activationCondition", NS).text == "_activationCount >= 1"


def test_export_is_deterministic():
    assert to_bpmn_xml(parallel_approval()) == to_bpmn_xml(parallel_approval())


def test_layout_puts_every_forward_step_to_the_right():
    lay = layout(parallel_approval())
    for edge in lay.edges:
        if edge.kind in ("start", "branch", "join", "forward", "escalate"):
            assert lay.boxes[edge.target].x > lay.boxes[edge.source].right, edge
    assert lay.layers["review.market"] == lay.layers["review.fire"]
    assert lay.layers["supplement"] == lay.layers["decide"]


def test_export_validates_against_the_omg_bpmn_20_schema():
    # The OMG XSDs (BPMN20.xsd and its imports) ship inside SpiffWorkflow, which the benchmark
    # installs; lxml comes with it. Without them the structural tests above still run.
    reason = "needs SpiffWorkflow 3.2 (ships the OMG BPMN 2.0 XSDs) and lxml: the benchmark's dependencies"
    etree = pytest.importorskip("lxml.etree", reason=reason)
    spiff = pytest.importorskip("SpiffWorkflow", reason=reason)
    schema_dir = resources.files(spiff.__name__).joinpath("bpmn/parser/schema")
    schema = etree.XMLSchema(etree.parse(str(schema_dir / "BPMN20.xsd")))
    for definition in (*(parallel_approval(join_mode=mode) for mode in JoinMode), cyclic_process()):
        document = etree.fromstring(to_bpmn_xml(definition).encode())
        assert schema.validate(document), schema.error_log


def cyclic_process() -> ProcessDefinition:
    """Awkward shapes: a forward cycle, an unreachable state, 终止 from two states, a
    working-hour limit and a notify-only escalation."""
    task, end = StateKind.TASK, StateKind.END
    return ProcessDefinition(
        code="demo-cycle",
        name="循环",
        subject="",
        initial="a",
        states=(
            State("a", "甲", task),
            State("b", "乙", task, time_limit=TimeLimit(2, TimeUnit.WORKING_HOURS)),
            State("orphan", "孤立", task),
            State("done", "办结", end, outcome="completed"),
            State("stopped", "终止", end, outcome="terminated"),
        ),
        actions=(
            Action("next", "下一步", ActionKind.FORWARD, ("a",), "b"),
            Action("again", "重新办理", ActionKind.FORWARD, ("b",), "a"),  # a forward cycle
            Action("finish", "办结", ActionKind.FORWARD, ("b",), "done"),
            Action("stop", "终止", ActionKind.TERMINATE, ("a", "b"), "stopped"),
        ),
        escalations=(Escalation("b", notify=("supervisor",)),),
    )


def test_cycles_unreachable_states_and_terminate_actions_still_export_a_consistent_picture():
    definition = cyclic_process()
    xml = to_bpmn_xml(definition)
    root = _parse(xml)
    process = _process(root)
    ids = {e.get("id") for e in process}
    shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
    assert ids - {None} <= shapes | {f.get("id") for f in process.findall("bpmn:sequenceFlow", NS)}
    for flow in process.findall("bpmn:sequenceFlow", NS):
        assert flow.get("sourceRef") in ids and flow.get("targetRef") in ids
    ends = {e.get("name"): e for e in process.findall("bpmn:endEvent", NS)}
    assert ends["终止"].find("bpmn:terminateEventDefinition", NS) is not None
    assert ends["办结"].find("bpmn:terminateEventDefinition", NS) is None
    notify_only = process.find("bpmn:boundaryEvent[@id='Boundary_escalation_b']", NS)
    assert notify_only.get("cancelActivity") == "false" and notify_only.find("bpmn:outgoing", NS) is None
    lay = layout(definition)
    assert lay.boxes["b"].x > lay.boxes["a"].x and lay.boxes["orphan"].x > lay.boxes["done"].x
    assert xml == to_bpmn_xml(definition)
