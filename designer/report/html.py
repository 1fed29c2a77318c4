"""The self-contained HTML report: one file, styles and the graph picture inline.

The step graph is laid out by graphviz's ``dot`` when it is installed (``dot -Tjson0``
gives the place of every box, the spline of every branch and the place of its label; the
SVG itself is ours, so that it keeps the report's styles, classes and text alternatives).
Without ``dot``, or when it fails or takes too long, a built-in layout is used: nodes in
rows by their longest distance from the start (topological depth), ordered in each row by
the mean position of their predecessors (one barycentre pass), branches drawn as curves.
Either way branches are labelled with their condition in words, and the picture has a
text alternative: the same graph as a list.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import Environment, select_autoescape

from designer.report.model import (
    ComparisonReport,
    GraphNodeOut,
    GraphOut,
    JourneyReport,
    PortfolioReport,
)
from designer.report.usage_model import UsageOut
from designer.report.versions import side_by_side

NODE_W, NODE_H, H_GAP, V_GAP, MARGIN = 210, 56, 28, 96, 16
#: Seconds ``dot`` may take before the built-in layout is used instead.
DOT_TIMEOUT = 20.0
#: Branch labels longer than this are cut (the full text is in a tooltip and the list).
LABEL_CHARS = 32

log = logging.getLogger(__name__)


@dataclass
class Box:
    """A node placed on the picture."""

    id: str
    kind: str
    label: str
    lines: list[str]
    x: float
    y: float
    questions: int
    findings: int
    highlighted: bool


@dataclass
class Arrow:
    """A branch placed on the picture."""

    d: str
    label: str
    full_label: str
    lx: float
    ly: float
    highlighted: bool
    source: str = ""
    target: str = ""


@dataclass
class Picture:
    """The laid-out graph."""

    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]
    engine: str = "builtin"  # "graphviz" when dot placed the boxes


def _wrap(text: str, width: int = 26, lines: int = 2) -> list[str]:
    words, out, current = text.split(), [], ""
    for w in words:
        if len(current) + len(w) + 1 > width and current:
            out.append(current)
            current = w
        else:
            current = f"{current} {w}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return out or [""]


def _short(words: str) -> str:
    return words if len(words) <= LABEL_CHARS else words[: LABEL_CHARS - 1] + "…"


def _box(n: GraphNodeOut, x: float, y: float) -> Box:
    return Box(n.id, n.kind, n.label, _wrap(n.label), x, y, n.questions, n.findings,
               n.on_median_path)  # fmt: skip


def dot_source(graph: GraphOut) -> str:
    """The graph for ``dot``: fixed-size boxes as large as ours, nodes named by position
    (ids never need quoting). Branch labels are not given to dot: they are placed above
    their target as in the built-in layout (boxes of one row are a box apart, so the
    labels of a fan-out never overlap), which leaves dot's rows evenly spaced."""
    index = {n.id: i for i, n in enumerate(graph.nodes)}
    lines = [
        "digraph parcours {",
        f"  rankdir=TB; splines=true; nodesep={H_GAP / 72:.3f}; ranksep={V_GAP / 72:.3f};",
        f"  node [shape=box, fixedsize=true, width={NODE_W / 72:.4f}, height={NODE_H / 72:.4f},"
        ' label=""];',
    ]
    lines += [f"  n{i};" for i in range(len(graph.nodes))]
    lines += [f"  n{index[e.source]} -> n{index[e.target]};" for e in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",")[:2] for p in text.split())]


def layout_dot(graph: GraphOut, dot: str | None = None) -> Picture | None:
    """The picture laid out by graphviz's ``dot``, or None when dot is missing, fails,
    takes more than DOT_TIMEOUT seconds or answers something unexpected."""
    exe = dot or shutil.which("dot")
    if not exe or not graph.nodes:
        return None
    try:
        done = subprocess.run(
            [exe, "-Tjson0"],
            input=dot_source(graph),
            capture_output=True,
            text=True,
            timeout=DOT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("graphviz dot could not run (%s): built-in layout used", exc)
        return None
    if done.returncode != 0:
        log.info("graphviz dot failed (%s): built-in layout used", done.stderr.strip()[:200])
        return None
    try:
        return _picture_from_dot(graph, json.loads(done.stdout))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        log.info("graphviz dot gave an unexpected answer (%s): built-in layout used", exc)
        return None


def _picture_from_dot(graph: GraphOut, data: dict[str, Any]) -> Picture:
    # dot's coordinates are points with y growing upwards; ours are pixels (1 pt = 1 px
    # here) with y growing downwards, and a margin around the picture.
    _, _, bb_w, bb_h = (float(v) for v in data["bb"].split(","))

    def at(x: float, y: float) -> tuple[float, float]:
        return MARGIN + x, MARGIN + bb_h - y

    objects = data["objects"]
    if len(objects) != len(graph.nodes):
        raise ValueError("not every node was placed")
    boxes = []
    for obj in objects:
        n = graph.nodes[int(obj["name"][1:])]
        (cx, cy) = at(*_points(obj["pos"])[0])
        boxes.append(_box(n, cx - NODE_W / 2, cy - NODE_H / 2))
    curves = []
    # dot lists edges in its own order: match them by their ends (gvid -> our index).
    name_of = {int(obj["_gvid"]): int(obj["name"][1:]) for obj in objects}
    index = {n.id: i for i, n in enumerate(graph.nodes)}
    drawn_by_ends: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for drawn in data.get("edges", []):
        ends = (name_of[int(drawn["tail"])], name_of[int(drawn["head"])])
        drawn_by_ends.setdefault(ends, []).append(drawn)
    for e in graph.edges:
        drawn = drawn_by_ends[(index[e.source], index[e.target])].pop(0)
        pos = drawn["pos"].split()
        end = None
        if pos[0].startswith("e,"):
            end = at(*_points(pos.pop(0)[2:])[0])
        if pos and pos[0].startswith("s,"):
            pos.pop(0)
        pts = [at(x, y) for x, y in _points(" ".join(pos))]
        if len(pts) < 4 or (len(pts) - 1) % 3:
            raise ValueError("a branch is not a cubic spline")
        d = f"M{pts[0][0]:.0f},{pts[0][1]:.0f}"
        for i in range(1, len(pts), 3):
            d += " C" + " ".join(f"{x:.0f},{y:.0f}" for x, y in pts[i : i + 3])
        if end is not None:
            d += f" L{end[0]:.0f},{end[1]:.0f}"
        curves.append(d)
    arrows = _arrows(graph, boxes, curves)
    return Picture(2 * MARGIN + bb_w, 2 * MARGIN + bb_h, boxes, arrows, engine="graphviz")


def _arrows(graph: GraphOut, boxes: list[Box], curves: list[str]) -> list[Arrow]:
    """The branches, drawn along ``curves`` (one per edge, in order), with their labels.

    Labels sit just above their target: targets of one row are a box apart, so the labels
    of a fan-out do not overlap; several labelled branches into one target are stacked.
    """
    box = {b.id: b for b in boxes}
    into: dict[str, int] = {}
    arrows = []
    for e, d in zip(graph.edges, curves, strict=True):
        label = _short(e.words)
        k = into.get(e.target, 0)
        if label:
            into[e.target] = k + 1
        target = box[e.target]
        lx, ly = target.x + NODE_W / 2, target.y - 14 - 13 * k
        arrows.append(Arrow(d, label, e.words, lx, ly, e.on_median_path, e.source, e.target))
    return arrows


def picture_of(graph: GraphOut, engine: str = "auto") -> Picture:
    """The picture of the step graph: ``auto`` uses dot when it works, ``builtin`` never."""
    if engine != "builtin":
        drawn = layout_dot(graph)
        if drawn is not None:
            return drawn
    return layout(graph)


def layout(graph: GraphOut) -> Picture:
    """Place nodes in rows by depth and draw branches between them (the built-in layout)."""
    rows: dict[int, list[str]] = {}
    nodes = {n.id: n for n in graph.nodes}
    for n in graph.nodes:  # graph.nodes is in reading order: steps, then outcomes
        rows.setdefault(n.depth, []).append(n.id)
    preds: dict[str, list[str]] = {}
    for e in graph.edges:
        preds.setdefault(e.target, []).append(e.source)
    xpos: dict[str, float] = {}
    width_cols = max((len(r) for r in rows.values()), default=1)
    for depth in sorted(rows):
        row = rows[depth]
        if depth > 0:
            index = {v: i for i, v in enumerate(row)}

            def bary(v: str, index: dict[str, int] = index) -> tuple[float, int]:
                ps = [xpos[p] for p in preds.get(v, []) if p in xpos]
                return (sum(ps) / len(ps) if ps else 1e9, index[v])

            row.sort(key=bary)
        offset = (width_cols - len(row)) / 2
        for i, v in enumerate(row):
            xpos[v] = offset + i
    boxes = []
    place: dict[str, tuple[float, float]] = {}
    for depth, row in rows.items():
        for v in row:
            x = MARGIN + xpos[v] * (NODE_W + H_GAP)
            y = MARGIN + depth * (NODE_H + V_GAP)
            place[v] = (x, y)
            boxes.append(_box(nodes[v], x, y))
    curves = []
    for e in graph.edges:
        (sx, sy), (tx, ty) = place[e.source], place[e.target]
        x1, y1 = sx + NODE_W / 2, sy + NODE_H
        x2, y2 = tx + NODE_W / 2, ty - 2
        mid = (y1 + y2) / 2
        curves.append(
            f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
        )
    arrows = _arrows(graph, boxes, curves)
    width = MARGIN * 2 + width_cols * (NODE_W + H_GAP) - H_GAP
    height = MARGIN * 2 + (max(rows, default=0) + 1) * (NODE_H + V_GAP) - V_GAP
    return Picture(width, height, boxes, arrows)


@dataclass
class Bar:
    """One bar of the distribution chart."""

    x: float
    y: float
    width: float
    height: float
    questions: int
    share: float


def bars(distribution: dict[int, float], width: float = 560, height: float = 140) -> list[Bar]:
    """Bars of "share of runs by questions answered", scaled to the tallest."""
    if not distribution:
        return []
    lo, hi = min(distribution), max(distribution)
    top = max(distribution.values()) or 1.0
    step = width / (hi - lo + 1)
    out = []
    for k in range(lo, hi + 1):
        share = distribution.get(k, 0.0)
        h = height * share / top
        out.append(Bar(40 + (k - lo) * step, 10 + height - h, max(1.0, step - 1), h, k, share))
    return out


@dataclass
class FunnelBar:
    """One page of the funnel picture: citizens who reached it, and who sent it."""

    y: float
    label: str
    arrived: float
    sent: float
    text: str


def funnel(usage: UsageOut | None, width: float = 420) -> list[FunnelBar]:
    """The funnel picture's bars: pages reached by at least the threshold, widths relative
    to the starts (pages under the threshold are left out: they are not shown at all)."""
    if usage is None or not usage.starts:
        return []
    out: list[FunnelBar] = []
    for f in usage.funnel:
        if f.arrived is None:
            continue
        sent = f.sent or 0
        out.append(FunnelBar(
            y=10 + 26 * len(out), label=_wrap(f.title, 28, 1)[0],
            arrived=width * min(1.0, f.arrived / usage.starts),
            sent=width * min(1.0, sent / usage.starts),
            text=f"{f.arrived} arrivés, {sent if f.sent is not None else '–'} envoyé(s)",
        ))
    return out


def _env() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["num"] = _num
    env.filters["num2"] = _num2
    env.filters["pct"] = _pct
    env.filters["count"] = _count
    return env


def _pct(x: float | None) -> str:
    if x is None:
        return "–"
    if 0 < x < 0.001:
        return "< 0,1 %"
    text = f"{100 * x:.1f} %" if x < 0.1 else f"{100 * x:.0f} %"
    return text.replace(".", ",")


def _num(x: float | int | None) -> str:
    if x is None:
        return "–"
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", "\u202f")
    return f"{x:.1f}".replace(".", ",")


def _num2(x: float | None) -> str:
    """Two decimals (days of response: a few hours is a few hundredths)."""
    return "–" if x is None else f"{x:.2f}".replace(".", ",")


def _count(n: int | None) -> str:
    if n is None:
        return "–"
    if n < 10**12:
        return f"{n:,}".replace(",", "\u202f")
    digits = len(str(n)) - 1
    return f"environ 10^{digits} ({str(n)[0]},{str(n)[1:3]} × 10^{digits})"


def _template(name: str) -> str:
    return resources.files("designer.report").joinpath(f"templates/{name}").read_text("utf-8")


def render_html(report: object, graph_layout: str = "auto", journey_link: str | None = None) -> str:
    """The self-contained HTML page of a journey, portfolio or comparison report.

    ``graph_layout``: ``auto`` draws the step graph with graphviz's dot when it is
    installed, ``builtin`` always with the built-in layout."""
    env = _env()
    env.globals["css"] = _template("report.css")
    base = env.from_string(_template("base.html.j2"))
    env.globals["base"] = base
    if isinstance(report, JourneyReport):
        tpl = env.from_string(_template("journey.html.j2"))
        picture = picture_of(report.graph, graph_layout) if report.graph else None
        chart = bars({int(k): v for k, v in report.questions_distribution.items()})
        split = report.usage_by_version
        return tpl.render(r=report, picture=picture, chart=chart, standalone=True,
                          funnel=funnel(report.usage),
                          pages=side_by_side(split.versions[:2]) if split else [])
    if isinstance(report, PortfolioReport):
        tpl = env.from_string(_template("portfolio.html.j2"))
        return tpl.render(p=report, journey_link=journey_link)
    assert isinstance(report, ComparisonReport)
    tpl = env.from_string(_template("comparison.html.j2"))
    return tpl.render(c=report)
