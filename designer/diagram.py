"""The step graph as a diagram for documentation: Mermaid or Graphviz DOT.

Branches are labelled with their conditions as written (canonical form); a branch
taken because the earlier ones did not hold is labelled "otherwise".
"""

from __future__ import annotations

import re

from designer.compiled import CompiledJourney
from designer.expressions import unparse

MAX_LABEL = 60


def _label(journey: CompiledJourney, node: str, lang: str | None) -> str:
    if journey.is_outcome(node):
        outcome = journey.outcomes[node]
        return f"{journey.text(outcome.title, lang)} ({outcome.kind})"
    return journey.text(journey.steps[node].title, lang)


def _edges(journey: CompiledJourney) -> list[tuple[str, str, str]]:
    edges = []
    for sid in journey.steps:
        branches = journey.branches(sid)
        for b in branches:
            if b.target not in journey.graph:
                continue
            if b.when is not None:
                text = unparse(b.when)
            elif len(branches) > 1:
                text = "otherwise"
            else:
                text = ""
            if len(text) > MAX_LABEL:
                text = text[: MAX_LABEL - 1] + "…"
            edges.append((sid, b.target, text))
    return edges


def _mermaid_text(text: str) -> str:
    # Mermaid labels are quoted; quotes and angle brackets are written as entities.
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
    )


def to_mermaid(journey: CompiledJourney, lang: str | None = None) -> str:
    """A Mermaid flowchart: steps as boxes, outcomes as rounded boxes."""
    lines = ["flowchart TD"]
    for node in journey.graph.nodes:
        label = _mermaid_text(_label(journey, node, lang))
        if journey.is_outcome(node):
            lines.append(f'    {node}(["{label}"])')
        else:
            lines.append(f'    {node}["{label}"]')
    for source, target, text in _edges(journey):
        if text:
            lines.append(f'    {source} -->|"{_mermaid_text(text)}"| {target}')
        else:
            lines.append(f"    {source} --> {target}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", text).replace("\n", "\\n") + '"'


def to_dot(journey: CompiledJourney, lang: str | None = None) -> str:
    """A Graphviz digraph: steps as boxes, outcomes as rounded, filled boxes."""
    lines = [
        f"digraph {_dot_string(journey.id)} {{",
        "    rankdir=TB;",
        '    node [shape=box, fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in journey.graph.nodes:
        label = _dot_string(_label(journey, node, lang))
        if journey.is_outcome(node):
            style = 'style="rounded,filled", fillcolor="#e8f0fe"'
            lines.append(f"    {node} [label={label}, {style}];")
        else:
            lines.append(f"    {node} [label={label}];")
    for source, target, text in _edges(journey):
        attrs = f" [label={_dot_string(text)}]" if text else ""
        lines.append(f"    {source} -> {target}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"
