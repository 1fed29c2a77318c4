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
class Document:
    """A YAML file turned into plain data, with the source position of every node.

    Positions are read from libyaml's node tree, kept as ``root``, when a finding asks for
    one: most nodes of a journey never need theirs, and recording the position of each of
    them while building the data cost a check as much as composing the tree did
    (docs/benchmarks.md, "Issue 12, section 3, third round"). A mapping's keys are indexed
    the first time a path goes through it.
    """

    file: str
    data: Any = None
    root: yaml.Node | None = None
    #: Every key of every mapping of the file (merged keys included).
    keys: frozenset[str] = frozenset()
    #: A mapping's keys, each with its key node and value node, by the mapping node's
    #: identity: filled by the builder for the mappings that merge others in (`<<`, whose
    #: merged keys it resolves), and here for a large mapping when a path first goes
    #: through it.
    _index: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False)

    def _entries(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping's keys, each with its key node and value node, as the data holds them."""
        found = self._index.get(id(node))
        if found is None:
            # Not a merging mapping (the builder indexed those), and the builder refused a
            # file with two equal keys or a key that is not text: each key has one entry.
            found = {key_node.value: (key_node, value_node)
                     for key_node, value_node in node.value}
            self._index[id(node)] = found
        return found

    def _walk(self, path: Path) -> tuple[yaml.Node | None, yaml.Node | None, int]:
        """The value node at the end of the longest prefix of ``path`` the file holds, the
        node naming its last step (a key, or the item itself), and that prefix's length."""
        node = self.root
        named: yaml.Node | None = None
        depth = 0
        index = self._index
        for step in path:
            kind = type(node)
            if kind is _MAPPING and type(step) is str:
                pairs = node.value  # type: ignore[union-attr]
                if len(pairs) > _SCANNED or id(node) in index:
                    entry = self._entries(node).get(step)
                    if entry is None:
                        break
                    named, node = entry
                    depth += 1
                    continue
                # A small mapping (a question's keys) is read in order: cheaper than
                # indexing it for one look-up. Its keys are unique (the builder refused a
                # file with two equal ones), so the first match is the only one.
                for pair in pairs:
                    if pair[0].value == step:
                        named, node = pair
                        break
                else:
                    break
            elif (kind is _SEQUENCE and isinstance(step, int)
                  and 0 <= step < len(node.value)):  # type: ignore[union-attr]
                named = node = node.value[step]  # type: ignore[union-attr]
            else:
                break
            depth += 1
        return node, named, depth

    def position(self, path: Path) -> Position:
        """Where the value at ``path`` starts; the nearest known ancestor if it is absent."""
        node, _, _ = self._walk(path)
        return _mark(node) if node is not None else (1, 1)

    def key_position(self, path: Path) -> Position:
        """Where the key naming ``path`` stands (for a list item, where the item starts)."""
        node, named, depth = self._walk(path)
        if named is not None and depth == len(path):
            return _mark(named)
        return _mark(node) if node is not None else (1, 1)

    def scalar(self, path: Path) -> yaml.ScalarNode | None:
        """The scalar node at exactly ``path``, to read how it was written."""
        node, _, depth = self._walk(path)
        if depth == len(path) and type(node) is yaml.ScalarNode:
            return node
        return None

    def expression_position(self, path: Path, offset: int = 0) -> Position:
        """Line and column of character ``offset`` inside the expression scalar at ``path``."""
        line, col = self.position(path)
        node = self.scalar(path)
        if node is None or node.start_mark.line != node.end_mark.line:
            return line, col
        if node.style in ("'", '"'):
            return line, col + 1 + offset
        if not node.style:
            return line, col + offset
        return line, col


_PLAIN = "tag:parcours,2026:plain"
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SCALAR, _SEQUENCE, _MAPPING = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode


class _Composer(yaml.CSafeLoader):
    """libyaml's composer with a trivial tag resolver: plain scalars are marked and resolved
    by :func:`_scalar` (YAML 1.2 core schema); PyYAML's YAML 1.1 resolver would only cost
    time and get `yes`, `0472…` wrong."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        # Called by libyaml's composer for every node: the kinds are compared as globals.
        if kind is _SCALAR:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is _SEQUENCE else _MAP


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


_MERGE = "tag:yaml.org,2002:merge"
#: Mappings of at most this many keys are scanned rather than indexed (Document._walk).
_SCANNED = 16


class _Builder:
    """libyaml's node tree to plain data (the positions stay in the tree: :class:`Document`),
    with every node visit counted (aliases expand) and the mistakes YAML allows refused."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.visited = 0
        self.findings: list[Finding] = []
        self.keys: set[str] = set()
        #: The entries of each mapping that merges others in, by its identity, for the
        #: document's positions (Document._index): the merge is resolved once, here.
        self.merged_entries: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def build(self, node: yaml.Node) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _TooBig
        kind = type(node)
        if kind is _SCALAR:
            value = node.value
            # Most scalars of a journey are plain text: returned without _scalar's call.
            if node.tag == _PLAIN and value and value[0] not in _NOT_TEXT_START:
                return value
            return _scalar(node)
        if kind is yaml.SequenceNode:
            return [self.build(child) for child in node.value]
        result: dict[str, Any] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                self.findings.append(Finding.of(
                    "yaml-syntax", msg("yaml.key-not-plain"), self.file, _mark(key_node)))
                continue
            key = key_node.value
            tag = key_node.tag
            if (tag == _PLAIN and key == "<<") or tag == _MERGE:
                merges.append(value_node)  # merged keys yield to the mapping's own
                continue
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                self.findings.append(Finding.of(
                    "yaml-syntax", msg("yaml.duplicate-key", key=key, line=_mark(first)[0]),
                    self.file, _mark(key_node)))
                continue
            result[key] = self.build(value_node)
        self.keys.update(result)
        if merges:  # rare: the mapping's own entries are gathered only then
            entries = {k.value: (k, v) for k, v in node.value
                       if type(k) is _SCALAR and k.value in result}
            for merged in merges:
                self._merge(result, merged, entries)
            self.merged_entries[id(node)] = entries
        return result

    def _merge(self, into: dict[str, Any], node: yaml.Node,
               entries: dict[str, tuple[yaml.Node, yaml.Node]]) -> None:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self.findings.append(
                    Finding.of(
                        "yaml-syntax", msg("yaml.merge"), self.file, _mark(source)
                    )
                )
                continue
            for key_node, value_node in source.value:
                key = key_node.value
                if isinstance(key_node, yaml.ScalarNode) and key not in into:
                    self.keys.add(key)
                    entries[key] = (key_node, value_node)
                    into[key] = self.build(value_node)


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
    builder = _Builder(file)
    doc.root = node
    try:
        doc.data = builder.build(node)
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
    doc.keys = frozenset(builder.keys)
    doc._index.update(builder.merged_entries)
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
