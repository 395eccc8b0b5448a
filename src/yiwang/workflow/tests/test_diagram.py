"""The SVG picture of a process shown in the admin (and, highlighted, on an instance's page)."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

from yiwang.workflow.definitions import Action, ActionKind, JoinMode
from yiwang.workflow.diagram import to_svg
from yiwang.workflow.layout import layout
from yiwang.workflow.tests.test_bpmn import parallel_approval

SVG = "{http://www.w3.org/2000/svg}"


def _svg(**kwargs) -> ET.Element:
    return ET.fromstring(to_svg(parallel_approval(**kwargs.pop("definition", {})), **kwargs))


def _node(root: ET.Element, state: str) -> ET.Element:
    return next(g for g in root.iter(f"{SVG}g") if g.get("data-state") == state)


def _texts(element: ET.Element) -> list[str]:
    return [t.text for t in element.iter(f"{SVG}text")]


def test_svg_is_inline_svg_with_every_state_name_and_no_script():
    markup = to_svg(parallel_approval())
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox").startswith("0 0 ")
    texts = _texts(root)
    for state in parallel_approval().states:
        assert state.name in texts
    assert "<script" not in markup and 'href="http' not in markup and "@import" not in markup
    assert "Noto Sans CJK SC" in root.find(f"{SVG}style").text


def test_tasks_show_roles_and_time_limit_and_gateways_their_marker():
    root = _svg()
    assert _texts(_node(root, "review.fire")) == ["消防审查", "approver、handler", "时限 4个自然小时"]
    assert _node(root, "review.fire").find(f"{SVG}rect").get("rx") == "10"
    assert "+" in _texts(_node(root, "dispatch")) and "+" in _texts(_node(root, "joined"))
    any_root = _svg(definition={"join_mode": JoinMode.ANY})
    assert "◇" in _texts(_node(any_root, "joined"))


def test_arrows_carry_action_names_and_returns_are_dashed():
    root = _svg()
    edges = {g.get("data-action"): g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"}
    assert _texts(edges["send_back"]) == ["退回"]
    assert edges["send_back"].find(f"{SVG}path").get("class") == "flow return"
    assert edges["approve"].find(f"{SVG}path").get("class") == "flow forward"
    assert edges["approve"].find(f"{SVG}path").get("marker-end") == "url(#arrow)"
    style = root.find(f"{SVG}style").text
    assert ".flow.return { stroke-dasharray" in style


def test_names_with_markup_characters_are_escaped():
    definition = parallel_approval()
    states = tuple(
        dataclasses.replace(s, name="消防<审查> & 验收") if s.code == "review.fire" else s
        for s in definition.states
    )
    markup = to_svg(dataclasses.replace(definition, states=states, name="<b>并联</b>"))
    assert "消防&lt;审查&gt; &amp; 验收" in markup
    assert "<b>" not in markup
    assert "消防<审查> & 验收" in _texts(ET.fromstring(markup))


def test_highlight_colours_states_by_status():
    root = _svg(highlight={"review.fire": "overdue", "decide": "warning", "nowhere": "overdue"})
    assert "status-overdue" in _node(root, "review.fire").get("class").split()
    assert "status-warning" in _node(root, "decide").get("class").split()
    assert "status-" not in _node(root, "review.market").get("class")
    assert _node(root, "review.fire").find(f"{SVG}title").text == "消防审查（超期）"
    style = root.find(f"{SVG}style").text
    assert ".status-overdue rect" in style and ".status-warning rect" in style


def test_highlight_status_cannot_inject_markup_into_the_class():
    root = _svg(highlight={"decide": 'x" onload="alert(1)'})
    assert _node(root, "decide").get("onload") is None
    assert all(
        c.replace("-", "").replace("_", "").isalnum() for c in _node(root, "decide").get("class").split()
    )


def test_svg_and_layout_are_deterministic_and_match():
    assert to_svg(parallel_approval()) == to_svg(parallel_approval())
    lay = layout(parallel_approval())
    root = _svg()
    rect = _node(root, "decide").find(f"{SVG}rect")
    box = lay.boxes["decide"]
    assert (float(rect.get("x")), float(rect.get("y"))) == (box.x, box.y)
    market, fire = lay.boxes["review.market"], lay.boxes["review.fire"]
    assert market.x == fire.x and market.y < fire.y  # definition order within a column


def test_arrow_names_never_sit_on_top_of_each_other():
    definition = parallel_approval()
    twin = Action("market_disagree", "不同意", ActionKind.FORWARD, ("review.market",), "joined")
    definition = dataclasses.replace(definition, actions=(*definition.actions, twin))
    labels = [t for t in ET.fromstring(to_svg(definition)).iter(f"{SVG}text") if t.get("class") == "label"]
    positions = [(t.get("x"), t.get("y")) for t in labels]
    assert len(labels) == 12  # one per named arrow
    assert len(set(positions)) == len(positions)
