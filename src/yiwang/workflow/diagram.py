"""The picture of a process as inline SVG, for the admin and an instance's page.

Same layout as the BPMN export (`layout.py`), so what a modeler shows and what the admin shows
agree. No script, no external font or stylesheet: the SVG is safe to inline in a page, and CJK
text falls back through the usual system fonts. Built with ElementTree, so every name is
escaped. `highlight` maps state codes to a status (normal, warning, overdue, active, done…);
the node gets the class `status-<status>` — the runtime colours an instance's states with it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from yiwang.workflow.bpmn import limit_text, terminating_ends
from yiwang.workflow.definitions import JoinMode, ProcessDefinition, StateKind
from yiwang.workflow.layout import START, Box, layout

SVG_NS = "http://www.w3.org/2000/svg"
FONT = (
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", '
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
STYLE = f"""
svg.workflow {{ font-family: {FONT}; font-size: 12px; }}
.node rect, .node polygon, .node circle {{ fill: #fff; stroke: #333; stroke-width: 1.5; }}
.node.end circle {{ stroke-width: 3; }}
.node.end .terminate {{ fill: #333; }}
.node .name {{ font-weight: bold; font-size: 13px; }}
.node .detail {{ fill: #555; }}
.node .marker {{ font-size: 22px; }}
.flow {{ fill: none; stroke: #333; stroke-width: 1.2; }}
.flow.return {{ stroke-dasharray: 6 4; }}
.flow.suspend, .flow.resume {{ stroke-dasharray: 2 4; }}
.flow.escalate {{ stroke: #b03a2e; stroke-dasharray: 8 3 2 3; }}
.label {{ fill: #222; stroke: #fff; stroke-width: 3; paint-order: stroke; }}
.status-normal rect, .status-normal polygon, .status-normal circle {{ fill: #e6f4ea; stroke: #2e7d32; }}
.status-active rect, .status-active polygon, .status-active circle {{ fill: #e3f0ff; stroke: #1f5fbf; }}
.status-warning rect, .status-warning polygon, .status-warning circle {{ fill: #fff4d6; stroke: #b7860b; }}
.status-overdue rect, .status-overdue polygon, .status-overdue circle {{ fill: #fde2e1; stroke: #c0392b; }}
.status-done rect, .status-done polygon, .status-done circle {{ fill: #eee; stroke: #777; }}
"""
STATUS_NAMES = {"normal": "正常", "active": "办理中", "warning": "预警", "overdue": "超期", "done": "已办结"}


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _text(parent: ET.Element, x: float, y: float, content: str, css: str = "") -> ET.Element:
    attrs = {"x": _num(x), "y": _num(y), "text-anchor": "middle"}
    if css:
        attrs["class"] = css
    element = ET.SubElement(parent, "text", attrs)
    element.text = content
    return element


def _status_class(status: str) -> str:
    return "status-" + re.sub(r"[^a-z0-9_-]", "-", status.lower())


def to_svg(definition: ProcessDefinition, *, highlight: dict[str, str] | None = None) -> str:
    highlight = highlight or {}
    lay = layout(definition)
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "class": "workflow",
            "width": _num(lay.width),
            "height": _num(lay.height),
            "viewBox": f"0 0 {_num(lay.width)} {_num(lay.height)}",
            "role": "img",
        },
    )
    ET.SubElement(svg, "title").text = f"流程图：{definition.name}"
    ET.SubElement(svg, "style").text = STYLE
    defs = ET.SubElement(svg, "defs")
    marker = ET.SubElement(
        defs,
        "marker",
        {
            "id": "arrow",
            "viewBox": "0 0 10 10",
            "refX": "10",
            "refY": "5",
            "markerWidth": "8",
            "markerHeight": "8",
        },
    )
    marker.set("orient", "auto-start-reverse")
    ET.SubElement(marker, "path", {"d": "M 0 0 L 10 5 L 0 10 z", "fill": "#333"})

    flows = ET.SubElement(svg, "g", {"class": "flows"})
    for index, edge in enumerate(lay.edges):
        points = lay.route(index)
        group = ET.SubElement(flows, "g", {"class": "edge", "data-action": edge.action})
        path = " ".join(f"{'M' if i == 0 else 'L'} {_num(x)} {_num(y)}" for i, (x, y) in enumerate(points))
        ET.SubElement(group, "path", {"class": f"flow {edge.kind}", "d": path, "marker-end": "url(#arrow)"})
        if edge.label:
            x, y, anchor = lay.label_at(index, points)
            _text(group, x, y, edge.label, "label").set("text-anchor", anchor)

    nodes = ET.SubElement(svg, "g", {"class": "nodes"})
    _start(nodes, lay.boxes[START])
    terminating = terminating_ends(definition, lay)
    for state in definition.states:
        box = lay.boxes[state.code]
        css = f"node {state.kind.value}"
        status = highlight.get(state.code)
        if status:
            css += " " + _status_class(status)
        group = ET.SubElement(nodes, "g", {"class": css, "data-state": state.code})
        tooltip = state.name + (f"（{STATUS_NAMES.get(status, status)}）" if status else "")
        ET.SubElement(group, "title").text = tooltip
        if state.kind == StateKind.TASK:
            _task(group, state, box)
        elif state.kind == StateKind.END:
            _circle(group, box)
            if state.code in terminating:
                ET.SubElement(
                    group, "circle", {"class": "terminate", "cx": _num(box.cx), "cy": _num(box.cy), "r": "9"}
                )
            _text(group, box.cx, box.bottom + 16, state.name, "name")
        else:
            _diamond(group, box)
            symbol = "◇" if state.join_mode == JoinMode.ANY else "+"
            _text(group, box.cx, box.cy + 8, symbol, "marker")
            _text(group, box.cx, box.y - 8, state.name, "name")
    return ET.tostring(svg, encoding="unicode")


def _start(parent: ET.Element, box: Box) -> None:
    group = ET.SubElement(parent, "g", {"class": "node start"})
    _circle(group, box)
    _text(group, box.cx, box.bottom + 16, "开始", "name")


def _circle(parent: ET.Element, box: Box) -> None:
    ET.SubElement(parent, "circle", {"cx": _num(box.cx), "cy": _num(box.cy), "r": _num(box.width / 2)})


def _diamond(parent: ET.Element, box: Box) -> None:
    points = [(box.cx, box.y), (box.right, box.cy), (box.cx, box.bottom), (box.x, box.cy)]
    ET.SubElement(parent, "polygon", {"points": " ".join(f"{_num(x)},{_num(y)}" for x, y in points)})


def _task(parent: ET.Element, state, box: Box) -> None:
    attrs = {"x": _num(box.x), "y": _num(box.y), "width": _num(box.width), "height": _num(box.height)}
    ET.SubElement(parent, "rect", {**attrs, "rx": "10", "ry": "10"})
    _text(parent, box.cx, box.y + 26, state.name, "name")
    who = "、".join(state.assignment.roles) or state.assignment.person
    if who:
        _text(parent, box.cx, box.y + 48, who, "detail")
    if state.time_limit:
        _text(parent, box.cx, box.y + 68, "时限 " + limit_text(state.time_limit), "detail")
