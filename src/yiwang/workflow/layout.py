"""Where each state of a process is drawn: one layout shared by the BPMN export and the SVG.

Both pictures of a process (the BPMN DI a modeler opens, the SVG in the admin) are computed from
this, so they agree. Deterministic: the same definition always gives the same coordinates.

Method (a simple Sugiyama-style layering): the forward graph is the start event, fork branches,
implicit join arrivals and every action except 退回/补正/恢复 (those are drawn as arrows
back or aside, never used for layering; an escalation usually goes forward, to a higher level). Cycles among forward actions are broken at the edge
that closes them (depth-first from the start, in definition order). Each node goes into the
column of its longest path from the start; within a column nodes are ordered by the mean row
of their predecessors, ties broken by definition order. States reached only by a back-edge (a
补正 waiting state) go in the column of their first predecessor, below it.
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.workflow.definitions import ActionKind, ProcessDefinition, StateKind

START = "__start__"  # the start event; not a state of the definition

TASK_SIZE = (150, 84)
GATEWAY_SIZE = (50, 50)
EVENT_SIZE = (36, 36)
PITCH_X = 250
PITCH_Y = 130
MARGIN = 40
LANE_GAP = 14  # between the arrows routed under the diagram

BACK_KINDS = frozenset({"return", "suspend", "resume"})


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Edge:
    """One arrow between two nodes. `kind`: start, branch, join, or an ActionKind value."""

    source: str
    target: str
    kind: str
    label: str = ""
    action: str = ""  # the action code, "" for structural arrows


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    layers: dict[str, int]
    edges: tuple[Edge, ...]
    lanes: dict[int, tuple[str, int]]  # edge index → ("top" | "bottom", lane number)
    width: float
    height: float

    def route(self, edge_index: int, *, source_box: Box | None = None) -> tuple[tuple[float, float], ...]:
        """Waypoints of edge `edge_index`; `source_box` replaces the source node's box (the BPMN
        export leaves a task through its choice gateway). Arrows that skip columns or go back
        run in lanes above or below the nodes, so they cross no node."""
        edge = self.edges[edge_index]
        src = source_box or self.boxes[edge.source]
        dst = self.boxes[edge.target]
        src_layer, dst_layer = self.layers[edge.source], self.layers[edge.target]
        side, number = self.lanes.get(edge_index, ("", 0))
        if side == "top":
            lane = MARGIN / 2 + number * LANE_GAP
        else:
            lane = max(box.bottom for box in self.boxes.values()) + 20 + number * LANE_GAP
        if dst_layer > src_layer:
            if not side:
                return _forward(src, dst)
            out, into = max(src.right, src.cx + TASK_SIZE[0] / 2) + 15, _column_left(dst) - 30
            return (
                (src.right, src.cy),
                (out, src.cy),
                (out, lane),
                (into, lane),
                (into, dst.cy),
                (dst.x, dst.cy),
            )
        if dst_layer == src_layer:
            return _aside(src, dst, -12 if edge.kind == "resume" else 12)
        src_y, dst_y = (src.y, dst.y) if side == "top" else (src.bottom, dst.bottom)
        return ((src.cx, src_y), (src.cx, lane), (dst.cx, lane), (dst.cx, dst_y))

    def label_at(self, edge_index: int, points: tuple[tuple[float, float], ...]) -> tuple[float, float, str]:
        """Where the arrow's name goes: (x, baseline y, text-anchor).

        When a state's arrows fan out to several targets they share their first stretch, so each
        is named near its target; otherwise near the source (or on the longest horizontal
        stretch, or beside a vertical arrow). Names that would meet at one place are stacked."""
        edge = self.edges[edge_index]
        mode = self._label_mode(edge_index)
        twin = sum(
            1
            for j, other in enumerate(self.edges[:edge_index])
            if self._label_mode(j) == mode
            and (other.target == edge.target if mode == "last" else other.source == edge.source)
        )
        segments = list(zip(points, points[1:], strict=False))
        horizontal = [(a, b) for a, b in segments if a[0] != b[0]]
        if mode == "last" and horizontal and horizontal[-1][1][0] > horizontal[-1][0][0]:
            (_x1, y1), (x2, _y2) = horizontal[-1]
            return (x2 - 6, y1 - 5 - 16 * twin, "end")
        (x1, y1), (x2, y2) = segments[0]
        if abs(x2 - x1) < 60:
            (x1, y1), (x2, y2) = max(segments, key=lambda s: abs(s[1][0] - s[0][0]))
        if x1 != x2:
            return ((x1 + x2) / 2, (y1 + y2) / 2 - 5 - 16 * twin, "middle")
        left = edge.kind == "resume"
        # Vertical (补正/恢复 beside the task): one on each side, no stacking needed.
        return (x1 + (-5 if left else 5), (y1 + y2) / 2 + 4, "end" if left else "start")

    def _bends(self, edge_index: int) -> int:
        points = self.route(edge_index)
        return sum(1 for a, b in zip(points, points[1:], strict=False) if a[0] != b[0])

    def _label_mode(self, edge_index: int) -> str:
        edge = self.edges[edge_index]
        targets = {
            other.target
            for j, other in enumerate(self.edges)
            if other.source == edge.source and self._bends(j) > 1
        }
        return "last" if len(targets) > 1 and self._bends(edge_index) > 1 else "first"


def _lanes(
    layer: dict[str, int], boxes: dict[str, Box], edges: tuple[Edge, ...]
) -> dict[int, tuple[str, int]]:
    def clear_above(node: str) -> bool:
        return all(boxes[other].y >= boxes[node].y for other in boxes if layer[other] == layer[node])

    lanes: dict[int, tuple[str, int]] = {}
    count = {"top": 0, "bottom": 0}
    for index, edge in enumerate(edges):
        span = layer[edge.target] - layer[edge.source]
        if span > 1 or (span < 0 and clear_above(edge.source) and clear_above(edge.target)):
            side = "top"
        elif span < 0:
            side = "bottom"
        else:
            continue
        lanes[index] = (side, count[side])
        count[side] += 1
    return lanes


def _aside(src: Box, dst: Box, offset: float) -> tuple[tuple[float, float], ...]:
    """Between two nodes of one column (a 补正 waiting state below its task)."""
    x = src.cx + offset
    down = dst.cy >= src.cy
    start = (x, src.bottom if down else src.y)
    if dst.x <= x <= dst.right:
        return (start, (x, dst.y if down else dst.bottom))
    side = dst.right if x > dst.right else dst.x
    return (start, (x, dst.cy), (side, dst.cy))


def _column_left(box: Box) -> float:
    return box.cx - TASK_SIZE[0] / 2


def _forward(src: Box, dst: Box) -> tuple[tuple[float, float], ...]:
    if abs(src.cy - dst.cy) < 1:
        return ((src.right, src.cy), (dst.x, dst.cy))
    middle = _column_left(dst) - 30  # in the gap between columns, clear of every node
    return ((src.right, src.cy), (middle, src.cy), (middle, dst.cy), (dst.x, dst.cy))


def edges_of(definition: ProcessDefinition) -> tuple[Edge, ...]:
    """Every arrow of the picture, in a fixed order: start, then per state (definition order)
    its fork branches and its actions, then implicit join arrivals, then 恢复 arrows."""
    edges: list[Edge] = [Edge(START, definition.initial, "start")]
    suspended_from: dict[str, list[str]] = {}
    for state in definition.states:
        edges.extend(Edge(state.code, branch, "branch") for branch in state.branches)
        for action in definition.actions_from(state.code):
            if action.kind == ActionKind.RESUME:
                continue
            if action.target:
                edges.append(Edge(state.code, action.target, action.kind.value, action.name, action.code))
            if action.kind == ActionKind.SUSPEND:
                suspended_from.setdefault(action.target, []).append(state.code)
    for state in definition.states:
        if state.kind != StateKind.JOIN:
            continue
        for last in state.joins:
            if not any(e.source == last and e.target == state.code for e in edges):
                edges.append(Edge(last, state.code, "join"))
    # 恢复 goes "back where it was": one arrow to each state that suspends into the waiting state.
    for action in definition.actions:
        if action.kind != ActionKind.RESUME:
            continue
        for source in action.sources:
            targets = [action.target] if action.target else suspended_from.get(source, [])
            edges.extend(Edge(source, t, "resume", action.name, action.code) for t in targets)
    return tuple(edges)


def node_size(definition: ProcessDefinition, node: str) -> tuple[int, int]:
    if node == START:
        return EVENT_SIZE
    kind = definition.state(node).kind
    if kind == StateKind.TASK:
        return TASK_SIZE
    if kind == StateKind.END:
        return EVENT_SIZE
    return GATEWAY_SIZE


def _layers(nodes: list[str], edges: tuple[Edge, ...]) -> dict[str, int]:
    forward: dict[str, list[str]] = {node: [] for node in nodes}
    for edge in edges:
        if edge.kind not in BACK_KINDS and edge.target in forward and edge.target not in forward[edge.source]:
            forward[edge.source].append(edge.target)
    # Depth-first from the start: drop edges to a node still on the stack (they close a cycle).
    dag: dict[str, list[str]] = {node: [] for node in nodes}
    order: list[str] = []
    on_stack: set[str] = set()
    seen: set[str] = set()

    def visit(node: str) -> None:
        seen.add(node)
        on_stack.add(node)
        for nxt in forward[node]:
            if nxt in on_stack:
                continue
            dag[node].append(nxt)
            if nxt not in seen:
                visit(nxt)
        on_stack.discard(node)
        order.append(node)

    visit(START)
    layer = {node: 0 for node in seen}
    for node in reversed(order):  # reverse post-order is a topological order of the DAG
        for nxt in dag[node]:
            layer[nxt] = max(layer[nxt], layer[node] + 1)
    # Nodes reached only by back-edges: the column of their first placed predecessor.
    changed = True
    while changed:
        changed = False
        for edge in edges:
            if edge.target not in layer and edge.source in layer:
                layer[edge.target] = layer[edge.source]
                changed = True
    last = max(layer.values()) + 1
    for node in nodes:
        layer.setdefault(node, last)  # unreachable (validation refuses these; still drawn)
    return layer


def layout(definition: ProcessDefinition) -> Layout:
    nodes = [START, *(state.code for state in definition.states)]
    edges = edges_of(definition)
    layer = _layers(nodes, edges)
    rank = {node: index for index, node in enumerate(nodes)}
    columns: dict[int, list[str]] = {}
    row: dict[str, float] = {}
    for column in sorted(set(layer.values())):
        members = [node for node in nodes if layer[node] == column]
        forward_preds = {
            node: [
                row[e.source]
                for e in edges
                if e.target == node and e.kind not in BACK_KINDS and layer.get(e.source, column) < column
            ]
            for node in members
        }
        aside_of = {  # a 补正 waiting state: reached only from a state of its own column
            node: next(e.source for e in edges if e.target == node and layer[e.source] == column)
            for node in members
            if not forward_preds[node] and any(e.target == node and layer[e.source] == column for e in edges)
        }

        def key(node: str, preds_of: dict[str, list[float]] = forward_preds) -> tuple[float, int]:
            preds = preds_of[node]
            return (sum(preds) / len(preds) if preds else 0.0, rank[node])

        members = sorted((node for node in members if node not in aside_of), key=key)
        pending = [node for node in nodes if node in aside_of]
        while pending:  # each goes just below the state it hangs from
            placeable = [node for node in pending if aside_of[node] in members]
            node = placeable[0] if placeable else pending[0]
            pending.remove(node)
            at = members.index(aside_of[node]) + 1 if aside_of[node] in members else len(members)
            while at < len(members) and members[at] in aside_of:
                at += 1
            members.insert(at, node)
        columns[column] = members
        for index, node in enumerate(members):
            row[node] = index - (len(members) - 1) / 2  # centred, as the columns are drawn
    tallest = max(len(members) for members in columns.values())
    boxes: dict[str, Box] = {}
    for column, members in columns.items():
        top = MARGIN + (tallest - len(members)) * PITCH_Y / 2
        for index, node in enumerate(members):
            width, height = node_size(definition, node)
            cx = MARGIN + column * PITCH_X + TASK_SIZE[0] / 2
            cy = top + index * PITCH_Y + PITCH_Y / 2
            boxes[node] = Box(cx - width / 2, cy - height / 2, width, height)
    lanes = _lanes(layer, boxes, edges)
    above = sum(1 for side, _ in lanes.values() if side == "top") * LANE_GAP
    boxes = {node: Box(box.x, box.y + above, box.width, box.height) for node, box in boxes.items()}
    below = sum(1 for side, _ in lanes.values() if side == "bottom") * LANE_GAP
    width = MARGIN * 2 + (max(columns) * PITCH_X) + TASK_SIZE[0]
    height = max(box.bottom for box in boxes.values()) + 20 + below + MARGIN
    return Layout(boxes=boxes, layers=layer, edges=edges, lanes=lanes, width=width, height=height)
