"""Positions read lazily from the node tree are the positions an eager walk records.

designer.source used to record the position of every node while building the data; it now
reads them from libyaml's tree when a finding asks. The eager walk it replaced is kept here
as the reference, and every path of every file below must get the same answer from both,
as must paths that stop short of the tree or go past it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.source import _PLAIN, Document, load_document

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "journeys").rglob("*.yaml")) + sorted(
    (ROOT / "tests").rglob("*.yaml"))


class Eager:
    """The eager walk: every node's position, key position and scalar style, by path."""

    def __init__(self, root: yaml.Node) -> None:
        self.positions: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.key_positions: dict[tuple[Any, ...], tuple[int, int]] = {}
        self.scalars: dict[tuple[Any, ...], tuple[str | None, bool]] = {}
        self.walk(root, ())

    @staticmethod
    def mark(node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self.positions[path] = self.mark(node)
        if isinstance(node, yaml.ScalarNode):
            self.scalars[path] = (node.style, node.start_mark.line == node.end_mark.line)
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                self.key_positions[path + (i,)] = self.mark(child)
                self.walk(child, path + (i,))
        else:
            seen: set[str] = set()
            merges = []
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or (
                        key_node.tag == _PLAIN and key_node.value == "<<"):
                    merges.append(value_node)
                    continue
                if key_node.value in seen:
                    continue
                seen.add(key_node.value)
                self.key_positions[path + (key_node.value,)] = self.mark(key_node)
                self.walk(value_node, path + (key_node.value,))
            for merged in merges:
                for source in (merged.value if isinstance(merged, yaml.SequenceNode)
                               else [merged]):
                    for key_node, value_node in source.value:
                        if key_node.value not in seen:
                            seen.add(key_node.value)
                            self.key_positions[path + (key_node.value,)] = self.mark(key_node)
                            self.walk(value_node, path + (key_node.value,))

    def position(self, path: tuple[Any, ...]) -> tuple[int, int]:
        p = path
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def key_position(self, path: tuple[Any, ...]) -> tuple[int, int]:
        return self.key_positions.get(path) or self.position(path)


def _expression_column(eager: Eager, path: tuple[Any, ...], offset: int) -> tuple[int, int]:
    line, col = eager.position(path)
    info = eager.scalars.get(path)
    if info is None or not info[1]:
        return line, col
    if info[0] in ("'", '"'):
        return line, col + 1 + offset
    return (line, col + offset) if not info[0] else (line, col)


def _agree(doc: Document, eager: Eager) -> None:
    paths = set(eager.positions) | set(eager.key_positions)
    # Paths the file does not hold: past a scalar, an unknown key, an index out of range.
    paths |= {p + ("absent",) for p in list(paths)[:200]}
    paths |= {p + (10_000,) for p in list(paths)[:200]} | {("nothing", 0, "x")}
    for path in paths:
        assert doc.position(path) == eager.position(path), path
        assert doc.key_position(path) == eager.key_position(path), path
        assert doc.expression_position(path, 3) == _expression_column(eager, path, 3), path


@pytest.mark.parametrize("file", FILES, ids=lambda f: str(f.relative_to(ROOT)))
def test_every_path_of_a_real_file_has_the_eager_position(file: Path) -> None:
    text = file.read_text("utf-8")
    doc, findings = load_document(text, file.name)
    if doc is None:  # a file of the tests that is meant to be refused
        return
    _agree(doc, Eager(doc.root))
    keys: set[str] = {p[-1] for p in Eager(doc.root).key_positions if isinstance(p[-1], str)}
    assert doc.keys == keys


_WORDS = st.sampled_from(["a", "b", "label", "when", "<<", "0472", "yes", "x-note"])
_SCALARS = st.sampled_from(["texte", "'quoted'", '"double"', "12", "", "|\n  bloc\n  texte"])


@st.composite
def _yaml_text(draw: st.DrawFn) -> str:
    """A YAML file with nested mappings and lists, anchors, aliases and merges."""
    lines = ["base: &base", "  a: 1", "  label: 'de base'", "other: &other", "  b: [1, 2]"]

    def block(indent: int, depth: int) -> list[str]:
        out: list[str] = []
        used: set[str] = set()
        for _ in range(draw(st.integers(1, 4))):
            key = draw(_WORDS)
            if key in used:
                continue
            used.add(key)
            pad = " " * indent
            if key == "<<":
                out.append(pad + "<<: " + draw(st.sampled_from(
                    ["*base", "[*base, *other]", "*other"])))
            elif depth < 3 and draw(st.booleans()):
                out.append(f"{pad}{key}:")
                out += block(indent + 2, depth + 1)
            elif depth < 3 and draw(st.booleans()):
                out.append(f"{pad}{key}:")
                for _ in range(draw(st.integers(1, 3))):
                    item = (draw(_SCALARS).splitlines() or ["~"])[0].replace("|", "bloc")
                    out.append(f"{pad}  - {item}")
            else:
                value = draw(_SCALARS)
                if value.startswith("|"):
                    out.append(f"{pad}{key}: |")
                    out += [pad + "  bloc", pad + "  texte"]
                else:
                    out.append(f"{pad}{key}: {value}")
        return out

    lines.append("top:")
    lines += block(2, 0)
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(_yaml_text())
def test_random_files_with_aliases_and_merges_agree(text: str) -> None:
    doc, findings = load_document(text, "random.yaml")
    assert findings == [] and doc is not None, text
    _agree(doc, Eager(doc.root))
