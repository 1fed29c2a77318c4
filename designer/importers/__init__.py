"""`parcours import`: turn forms made with other tools into Parcours journeys.

Supported sources: XLSForm (ODK, ``.xlsx`` or pyxform's markdown tables), the
XGov digital form builder JSON, the DEFRA forms engine (JSON or YAML, V1 and
V2 conditions) and DLUHC CORE's form JSON. Each importer builds a plain dict in
journey format v1 plus notes on what it could not carry over; the writer emits
YAML with comments pointing back to the source and an ``x-import-notes`` list.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .core import ImportNote, ImportRefused, ImportResult, ImportStats

__all__ = [
    "FORMATS",
    "ImportNote",
    "ImportRefused",
    "ImportResult",
    "ImportStats",
    "add_import_arguments",
    "detect_format",
    "import_file",
    "run_import",
]

FORMATS = ("xlsform", "xgov", "defra", "dluhc")


def _load_structured(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ImportRefused(f"{path.name} is not valid YAML: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"{path.name} is not valid JSON: {exc}") from None


def detect_format(path: Path, data: Any = None) -> str:
    """Which importer reads `path`: from its extension, then from its content's shape."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".md"):
        return "xlsform"
    if suffix == ".xls":
        raise ImportRefused(f"{path.name}: legacy .xls workbooks are not read; save it as .xlsx")
    if data is None:
        data = _load_structured(path)
    if isinstance(data, dict):
        if "sections" in data and isinstance(data["sections"], dict) and "form_type" in data:
            return "dluhc"
        if "pages" in data and isinstance(data["pages"], list):
            # DEFRA's engine marks its V2 definitions; V1 DEFRA and XGov share a shape, told
            # apart by the structured condition objects only DEFRA writes without 'coordinator'.
            if data.get("engine") == "V2" or data.get("schema") == 2:
                return "defra"
            if path.suffix.lower() in (".yaml", ".yml"):
                return "defra"
            return "xgov"
    raise ImportRefused(
        f"cannot tell the format of {path.name}: give --from "
        + "|".join(FORMATS)
    )


def import_file(path: Path, source_format: str | None = None) -> ImportResult:
    """Import `path` into a journey; raises ImportRefused with a clear message when it cannot."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    data = None
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".md", ".xls"):
        data = _load_structured(path)
    fmt = source_format or detect_format(path, data)
    if fmt == "xlsform":
        from .xlsform import import_xlsform

        return import_xlsform(path)
    if fmt in ("xgov", "defra"):
        from .formbuilder import import_formbuilder

        return import_formbuilder(path, data, fmt)
    if fmt == "dluhc":
        from .dluhc import import_dluhc

        return import_dluhc(path, data)
    raise ImportRefused(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the arguments of `parcours import` on `parser`."""
    parser.add_argument("file", type=Path, help="the form to import (.xlsx, .md, .json, .yaml)")
    parser.add_argument(
        "-o", "--output", type=Path, default=None,
        help="where to write the journey (default: print it)",
    )
    parser.add_argument(
        "--from", dest="source_format", choices=FORMATS, default=None,
        help="the source format (default: detected)",
    )


def run_import(namespace: argparse.Namespace) -> int:
    """Run `parcours import`: 0 when imported, 1 when refused, 2 on a usage error."""
    from .writer import to_yaml

    path: Path = namespace.file
    output: Path | None = getattr(namespace, "output", None)
    fmt: str | None = getattr(namespace, "source_format", None)
    if fmt is not None and fmt not in FORMATS:
        print(f"parcours import: unknown format {fmt!r} (use {', '.join(FORMATS)})",
              file=sys.stderr)
        return 2
    try:
        result = import_file(path, fmt)
    except ImportRefused as exc:
        print(f"parcours import: refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(f"parcours import: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - bad input is expected input: never a traceback
        print(
            f"parcours import: refused: {path.name} has a shape the importer does not expect "
            f"({type(exc).__name__}: {exc}); check --from, or report the file",
            file=sys.stderr,
        )
        return 1
    text = to_yaml(result, output, source=path.name)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"parcours import: cannot write {output}: {exc}", file=sys.stderr)
            return 1
    stats = result.stats
    print(
        f"{path.name} ({result.source_format}): {stats.questions} questions, "
        f"{stats.conditions_translated}/{stats.conditions} conditions translated, "
        f"{stats.computed_translated}/{stats.computed} calculations, "
        f"{len(result.notes)} import notes",
        file=sys.stderr,
    )
    for note in result.notes:
        print(f"  {note.source_ref}: {note.what} — {note.reason}", file=sys.stderr)
    return 0
