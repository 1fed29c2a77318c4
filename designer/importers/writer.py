"""Writes an imported journey as YAML, with comments pointing back to the source.

ruamel.yaml's round-trip types carry the comments: each step, question and
outcome gets a comment line naming where it came from (sheet and row, page
path, component name), and the file starts with the schema line that editors
with a YAML language server follow.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .common import ImportResult

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "journey.schema.json"

# Keys whose value is a mapping of ids: their children are ids, not format keys.
_ID_MAPS = {"steps", "outcomes", "questions", "computed", "options"}


def _commented(value: Any, path: tuple[str, ...], comments: dict[tuple[str, ...], str]) -> Any:
    if isinstance(value, dict):
        node = CommentedMap()
        for key, child in value.items():
            node[key] = _commented(child, (*path, str(key)), comments)
        # Comments go on the line before the key, at the key's indentation.
        depth = len(path)
        for key in value:
            text = comments.get((*path, str(key)))
            if text:
                node.yaml_set_comment_before_after_key(key, before=text, indent=2 * depth)
        return node
    if isinstance(value, list):
        seq = CommentedSeq()
        for i, child in enumerate(value):
            seq.append(_commented(child, (*path, str(i)), comments))
        return seq
    return value


def schema_line(output: Path | None) -> str:
    """The `# yaml-language-server: $schema=...` line, relative to the output's folder."""
    base = output.resolve().parent if output is not None else Path.cwd()
    try:
        target = os.path.relpath(SCHEMA, base)
    except ValueError:  # another drive on Windows
        target = str(SCHEMA)
    return f"# yaml-language-server: $schema={target}"


def to_yaml(result: ImportResult, output: Path | None = None, source: str = "") -> str:
    """The journey of `result` as YAML text, with source comments and `x-import-notes`."""
    journey = dict(result.journey)
    if result.notes:
        journey["x-import-notes"] = [note.as_dict() for note in result.notes]
    tree = _commented(journey, (), result.comments)
    yaml = YAML()
    # Never fold lines: a folded long option value used as a key would not read back.
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    header = [schema_line(output)]
    if source:
        header.append(f"# Imported from {source} ({result.source_format}) by `parcours import`.")
    header.append(
        f"# {len(result.notes)} thing(s) not carried over or approximated: see x-import-notes."
    )
    return "\n".join(header) + "\n" + buffer.getvalue()
