"""The picture of the step graph: laid out by graphviz's dot when it is there, by the
built-in layout otherwise, and the same drawing rules either way."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from designer.report import build
from designer.report import html as report_html
from designer.report.formats import render
from designer.report.html import Picture, layout, layout_dot, picture_of

from .conftest import JOURNEYS

DOT = shutil.which("dot")
# CI installs graphviz (.ci/run): there, a missing dot is a failure, not a skip.
needs_dot = pytest.mark.skipif(
    DOT is None and not os.environ.get("CI"), reason="graphviz's dot is not installed"
)


def _graph(path: Path):
    return build.report_file(path).graph


def _ends(d: str) -> tuple[tuple[float, float], tuple[float, float]]:
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def _assert_well_drawn(picture: Picture, graph) -> None:
    boxes = {b.id: b for b in picture.boxes}
    assert set(boxes) == {n.id for n in graph.nodes}
    assert len(picture.arrows) == len(graph.edges)
    w, h = report_html.NODE_W, report_html.NODE_H
    for b in picture.boxes:
        assert 0 <= b.x and b.x + w <= picture.width + 0.5
        assert 0 <= b.y and b.y + h <= picture.height + 0.5
    ordered = sorted(picture.boxes, key=lambda b: (b.y, b.x))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            apart = a.x + w <= b.x or b.x + w <= a.x or a.y + h <= b.y or b.y + h <= a.y
            assert apart, f"boxes {a.id} and {b.id} overlap"
    median_nodes = {n.id for n in graph.nodes if n.on_median_path}
    for arrow, edge in zip(picture.arrows, graph.edges, strict=True):
        assert (arrow.source, arrow.target) == (edge.source, edge.target)
        assert arrow.full_label == edge.words
        # Each branch leaves its source box and arrives at its target box.
        (x1, y1), (x2, y2) = _ends(arrow.d)
        src, dst = boxes[edge.source], boxes[edge.target]
        assert src.x - 1 <= x1 <= src.x + w + 1 and src.y - 1 <= y1 <= src.y + h + 1
        assert dst.x - 1 <= x2 <= dst.x + w + 1 and dst.y - 3 <= y2 <= dst.y + h + 1
        # Its label sits above its target, centred on it.
        if arrow.label:
            assert arrow.lx == pytest.approx(dst.x + w / 2) and arrow.ly < dst.y
        # The highlighted branches join highlighted steps (the median path).
        if arrow.highlighted:
            assert {edge.source, edge.target} <= median_nodes


@needs_dot
@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_dot_lays_out_every_example_journey(path):
    graph = _graph(path)
    picture = layout_dot(graph)
    assert picture is not None and picture.engine == "graphviz"
    _assert_well_drawn(picture, graph)


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_builtin_layout_of_every_example_journey(path):
    graph = _graph(path)
    picture = layout(graph)
    assert picture.engine == "builtin"
    _assert_well_drawn(picture, graph)


@needs_dot
def test_the_html_report_says_which_layout_drew_it(monkeypatch):
    report = build.report_file(JOURNEYS[0])
    assert "Mise en page : Graphviz (dot)." in render(report, "html")
    monkeypatch.setattr(report_html.shutil, "which", lambda name: None)
    page = render(report, "html")
    assert "Mise en page : disposition intégrée (Graphviz indisponible)." in page
    assert 'class="graph-box' in page


def _fake_dot(tmp_path: Path, body: str) -> str:
    exe = tmp_path / "dot"
    exe.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


@pytest.mark.parametrize(
    "body",
    [
        "echo 'Error: syntax error' >&2; exit 1",  # dot fails
        "echo 'not json'",  # dot answers nonsense
        'echo \'{"bb": "0,0,10,10", "objects": []}\'',  # dot forgets the nodes
        'cat >/dev/null; echo \'{"bb": "0,0,1,1", "objects": [{"_gvid": 0, "name": "n0",'
        ' "pos": "1,1"}], "edges": [{"tail": 0, "head": 0, "pos": "e,1,1 2"}]}\'',
    ],
    ids=["fails", "nonsense", "no-nodes", "bad-spline"],
)
def test_a_failing_dot_falls_back_to_the_builtin_layout(tmp_path, body):
    graph = _graph(JOURNEYS[0])
    assert layout_dot(graph, dot=_fake_dot(tmp_path, body)) is None
    # ... and the report is still drawn.
    fallback = picture_of(graph, "builtin")
    assert fallback.engine == "builtin" and fallback.boxes


def test_a_slow_dot_is_abandoned(tmp_path, monkeypatch):
    monkeypatch.setattr(report_html, "DOT_TIMEOUT", 0.2)
    graph = _graph(JOURNEYS[0])
    assert layout_dot(graph, dot=_fake_dot(tmp_path, "sleep 5")) is None


def test_dot_source_names_nodes_by_position_and_leaves_labels_to_us():
    graph = _graph(JOURNEYS[0])
    source = report_html.dot_source(graph)
    assert source.count(" -> ") == len(graph.edges)
    for n in graph.nodes:
        assert n.id not in source  # ids never reach dot: nothing to quote or inject
