"""The self-contained HTML report: one file, styles and the graph picture inline.

The step graph is laid out here, without graphviz: nodes in rows by their longest
distance from the start (topological depth), ordered in each row by the mean position
of their predecessors (one barycentre pass), branches drawn as curves labelled with
their condition in words. The picture has a text alternative: the same graph as a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from jinja2 import Environment, select_autoescape

from designer.report.model import (
    ComparisonReport,
    GraphOut,
    JourneyReport,
    PortfolioReport,
)

NODE_W, NODE_H, H_GAP, V_GAP, MARGIN = 210, 56, 28, 96, 16


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


@dataclass
class Picture:
    """The laid-out graph."""

    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]


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


def layout(graph: GraphOut) -> Picture:
    """Place nodes in rows by depth and draw branches between them."""
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
            n = nodes[v]
            boxes.append(
                Box(
                    v,
                    n.kind,
                    n.label,
                    _wrap(n.label),
                    x,
                    y,
                    n.questions,
                    n.findings,
                    n.on_median_path,
                )
            )
    arrows = []
    into: dict[str, int] = {}
    for e in graph.edges:
        (sx, sy), (tx, ty) = place[e.source], place[e.target]
        x1, y1 = sx + NODE_W / 2, sy + NODE_H
        x2, y2 = tx + NODE_W / 2, ty - 2
        mid = (y1 + y2) / 2
        d = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{mid:.0f} {x2:.0f},{mid:.0f} {x2:.0f},{y2:.0f}"
        label = e.words if len(e.words) <= 32 else e.words[:31] + "…"
        # Labels sit just above their target: targets of one row are a box apart, so the
        # labels of a fan-out do not overlap; several labelled branches into one target
        # are stacked.
        k = into.get(e.target, 0)
        if label:
            into[e.target] = k + 1
        lx, ly = x2, ty - 14 - 13 * k
        arrows.append(Arrow(d, label, e.words, lx, ly, e.on_median_path))
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


def _env() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["num"] = _num
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


def _count(n: int | None) -> str:
    if n is None:
        return "–"
    if n < 10**12:
        return f"{n:,}".replace(",", "\u202f")
    digits = len(str(n)) - 1
    return f"environ 10^{digits} ({str(n)[0]},{str(n)[1:3]} × 10^{digits})"


def _template(name: str) -> str:
    return resources.files("designer.report").joinpath(f"templates/{name}").read_text("utf-8")


def render_html(report: object) -> str:
    """The self-contained HTML page of a journey, portfolio or comparison report."""
    env = _env()
    env.globals["css"] = _template("report.css")
    base = env.from_string(_template("base.html.j2"))
    env.globals["base"] = base
    if isinstance(report, JourneyReport):
        tpl = env.from_string(_template("journey.html.j2"))
        picture = layout(report.graph) if report.graph else None
        chart = bars({int(k): v for k, v in report.questions_distribution.items()})
        return tpl.render(r=report, picture=picture, chart=chart, standalone=True)
    if isinstance(report, PortfolioReport):
        tpl = env.from_string(_template("portfolio.html.j2"))
        return tpl.render(p=report)
    assert isinstance(report, ComparisonReport)
    tpl = env.from_string(_template("comparison.html.j2"))
    return tpl.render(c=report)
