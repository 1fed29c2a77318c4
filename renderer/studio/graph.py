"""The step graph of the unsaved journey, drawn for the editor.

The picture is the report's (:func:`designer.report.graph.graph_out` for the nodes and
branches, :func:`designer.report.html.picture_of` for the layout: Graphviz's ``dot`` when
it is installed, the built-in layout otherwise); the studio draws it with each node
linked to the line of its step, the nodes with findings marked.
"""

from __future__ import annotations

from typing import Any

from designer.loading import Loaded
from designer.report.graph import graph_out
from designer.report.html import picture_of


def graph_picture(loaded: Loaded, lang: str = "fr") -> dict[str, Any] | None:
    """The laid-out graph with each box's source line; None when it cannot be drawn (the
    journey does not load, has a cycle, or is too large to draw)."""
    journey = loaded.journey
    if journey is None:
        return None
    try:
        graph = graph_out(journey, loaded.findings, None, lang)
    except Exception:  # a journey half-written: no picture rather than an error page
        return None
    if graph is None:
        return None
    picture = picture_of(graph)
    lines = {}
    for box in picture.boxes:
        where = ("steps", box.id) if box.kind == "step" else ("outcomes", box.id)
        lines[box.id] = journey.document.key_position(where)[0]
    return {"picture": picture, "lines": lines}
