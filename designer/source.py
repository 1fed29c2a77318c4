"""Positioned YAML loading: journey text to plain data plus the line and column of every node.

libyaml's C composer builds the node tree (30 times faster than a pure-Python
parser, and it keeps a mark on every node); we then turn it into plain Python
data ourselves, which lets us apply the YAML 1.2 core schema (``0472…`` stays a
string, ``yes`` is not a boolean), refuse duplicate keys, and bound the
expansion of aliases. Every problem becomes a ``yaml-syntax`` finding with a
position, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from designer.check_messages import Message, msg
from designer.findings import Finding

Path = tuple[str | int, ...]
Position = tuple[int, int]

#: Journeys are hand-written forms: a few hundred kilobytes at most. Anything
#: larger is refused before parsing so that a hostile upload cannot exhaust memory.
MAX_BYTES = 5 * 1024 * 1024
#: Nodes visited while expanding aliases; a "billion laughs" file hits it at once.
MAX_NODES = 200_000

# `key: "quoted" and more`: YAML ends the scalar at the closing quote.
_QUOTED_THEN_MORE = re.compile(r"""^\s*(?:-\s+)?[\w-]+:\s+(["'])[^"']*\1\s*[^\s#]""")
_COLON_IN_VALUE = re.compile(r"^\s*(?:-\s+)?[\w-]+:\s+[^\"'{\[].*:\s")

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
#: The characters that a plain scalar other than a string can start with (null, booleans,
#: numbers, infinities, not-a-number): any other first character is text, and the chain
#: of patterns above is skipped, as for most labels of a journey.
_NOT_TEXT_START = frozenset("~nNtTfF0123456789+-.")


@dataclass
class ScalarInfo:
    """How a scalar was written: needed to place a column inside an expression."""

    style: str | None
    single_line: bool


@dataclass
class Document:
    """A YAML file turned into plain data, with the source position of every node."""

    file: str
    data: Any = None
    positions: dict[Path, Position] = field(default_factory=dict)
    key_positions: dict[Path, Position] = field(default_factory=dict)
    scalars: dict[Path, ScalarInfo] = field(default_factory=dict)

    def position(self, path: Path) -> Position:
        """Where the value at ``path`` starts; the nearest known ancestor if it is absent."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))

    def key_position(self, path: Path) -> Position:
        """Where the key naming ``path`` stands (for a list item, where the item starts)."""
        p = tuple(path)
        if p in self.key_positions:
            return self.key_positions[p]
        return self.position(p)

    def expression_position(self, path: Path, offset: int = 0) -> Position:
        """Line and column of character ``offset`` inside the expression scalar at ``path``."""
        line, col = self.position(path)
        info = self.scalars.get(tuple(path))
        if info is None or not info.single_line:
            return line, col
        if info.style in ("'", '"'):
            return line, col + 1 + offset
        if not info.style:
            return line, col + offset
        return line, col


_PLAIN = "tag:parcours,2026:plain"


class _Composer(yaml.CSafeLoader):
    """libyaml's composer with a trivial tag resolver: plain scalars are marked and resolved
    by :func:`_scalar` (YAML 1.2 core schema); PyYAML's YAML 1.1 resolver would only cost
    time and get `yes`, `0472…` wrong."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else "tag:yaml.org,2002:str"
        if kind is yaml.SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"


class _TooBig(Exception):
    pass


def _mark(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar with the YAML 1.2 core schema (quoted scalars are strings)."""
    value = node.value
    if node.tag != _PLAIN:
        # Quoted, or tagged explicitly (`!!str 12`): text as written.
        return value
    if value and value[0] not in _NOT_TEXT_START:
        return value
    if _NULL.match(value):
        return None
    if _BOOL_TRUE.match(value):
        return True
    if _BOOL_FALSE.match(value):
        return False
    if _INT.match(value):
        return int(value)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.visited = 0
        self.findings: list[Finding] = []

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _TooBig
        self.doc.positions[path] = _mark(node)
        if isinstance(node, yaml.ScalarNode):
            self.doc.scalars[path] = ScalarInfo(
                node.style, node.start_mark.line == node.end_mark.line
            )
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, child in enumerate(node.value):
                self.doc.key_positions[path + (i,)] = _mark(child)
                items.append(self.build(child, path + (i,)))
            return items
        assert isinstance(node, yaml.MappingNode)
        result: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or (
                key_node.tag == _PLAIN and key_node.value == "<<"
            ):
                merges.append(value_node)  # merged keys yield to the mapping's own
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.findings.append(
                    Finding.of(
                        "yaml-syntax",
                        msg("yaml.key-not-plain"),
                        self.doc.file,
                        _mark(key_node),
                    )
                )
                continue
            key = key_node.value
            if key in result:
                first = self.doc.key_positions.get(path + (key,), (0, 0))
                self.findings.append(
                    Finding.of(
                        "yaml-syntax",
                        msg("yaml.duplicate-key", key=key, line=first[0]),
                        self.doc.file,
                        _mark(key_node),
                    )
                )
                continue
            self.doc.key_positions[path + (key,)] = _mark(key_node)
            result[key] = self.build(value_node, path + (key,))
        for merged in merges:
            self._merge(result, merged, path)
        return result

    def _merge(self, into: dict[str, Any], node: yaml.Node, path: Path) -> None:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self.findings.append(
                    Finding.of(
                        "yaml-syntax", msg("yaml.merge"), self.doc.file, _mark(source)
                    )
                )
                continue
            for key_node, value_node in source.value:
                key = key_node.value
                if isinstance(key_node, yaml.ScalarNode) and key not in into:
                    self.doc.key_positions[path + (key,)] = _mark(key_node)
                    into[key] = self.build(value_node, path + (key,))


def _syntax_message(error: yaml.YAMLError, text: str = "") -> Message:
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    mark = getattr(error, "problem_mark", None)
    if mark is not None and text:
        lines = text.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1]:
            return msg("yaml.tab")
        if _QUOTED_THEN_MORE.search(line):
            return msg("yaml.quote")
        if _COLON_IN_VALUE.search(line) and "mapping values" in problem:
            return msg("yaml.colon")
    # The parser's own words exist only in English; the frame around them is translated.
    context_mark = getattr(error, "context_mark", None)
    if context and context_mark is not None:
        return msg("yaml.invalid.context-line", problem=problem, context=context,
                   line=context_mark.line + 1)
    if context:
        return msg("yaml.invalid.context", problem=problem, context=context)
    return msg("yaml.invalid", problem=problem)


def load_document(raw: bytes | str, file: str) -> tuple[Document | None, list[Finding]]:
    """Parse journey text into a positioned :class:`Document`, or findings saying why not."""
    doc = Document(file=file)
    if isinstance(raw, bytes):
        if len(raw) > MAX_BYTES:
            return None, [
                Finding.of(
                    "yaml-syntax",
                    msg("yaml.too-big", size=len(raw) // 1024 // 1024,
                        limit=MAX_BYTES // 1024 // 1024),
                    file,
                    (1, 1),
                )
            ]
        if b"\x00" in raw:
            return None, [
                Finding.of(
                    "yaml-syntax", msg("yaml.binary"), file, (1, 1)
                )
            ]
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            return None, [
                Finding.of(
                    "yaml-syntax",
                    msg("yaml.not-utf8"),
                    file,
                    (line, 1),
                )
            ]
    else:
        text = raw
        if len(text) > MAX_BYTES:
            return None, [
                Finding.of("yaml-syntax", msg("yaml.text-too-big"), file, (1, 1))
            ]
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Finding.of("yaml-syntax", _syntax_message(exc, text), file, pos)]
    except yaml.YAMLError as exc:
        return None, [Finding.of("yaml-syntax", _syntax_message(exc), file, (1, 1))]
    except RecursionError:
        return None, [
            Finding.of("yaml-syntax", msg("yaml.too-deep"), file, (1, 1))
        ]
    if node is None:
        return None, [
            Finding.of("schema", msg("schema.empty"), file, (1, 1))
        ]
    builder = _Builder(doc)
    try:
        doc.data = builder.build(node, ())
    except _TooBig:
        return None, [
            Finding.of(
                "yaml-syntax",
                msg("yaml.aliases", limit=MAX_NODES),
                file,
                _mark(node),
            )
        ]
    except RecursionError:
        return None, [Finding.of("yaml-syntax", msg("yaml.too-deep"), file, (1, 1))]
    if builder.findings:
        return None, builder.findings
    if not isinstance(doc.data, dict):
        kind = msg("type.list" if isinstance(doc.data, list) else "type.single-value")
        return None, [
            Finding.of(
                "schema",
                msg("schema.not-a-mapping", kind=kind),
                file,
                _mark(node),
            )
        ]
    return doc, []
