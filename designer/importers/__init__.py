"""`parcours import`: turn forms made with other tools into Parcours journeys.

Supported sources: XLSForm (ODK, ``.xlsx`` or pyxform's markdown tables), the
XGov digital form builder JSON, the DEFRA forms engine (JSON or YAML, V1 and
V2 conditions) and DLUHC CORE's form JSON. Each importer builds a plain dict in
journey format v1 plus notes on what it could not carry over; the writer emits
YAML with comments pointing back to the source and an ``x-import-notes`` list.
The command is designer/commands/import_.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .common import ImportNote, ImportRefused, ImportResult, ImportStats

__all__ = [
    "FORMATS",
    "ImportNote",
    "ImportRefused",
    "ImportResult",
    "ImportStats",
    "detect_format",
    "import_file",
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
        from .xlsform.converter import import_xlsform

        return import_xlsform(path)
    if fmt in ("xgov", "defra"):
        from .formbuilder.importer import import_formbuilder

        return import_formbuilder(path, data, fmt)
    if fmt == "dluhc":
        from .dluhc.importer import import_dluhc

        return import_dluhc(path, data)
    raise ImportRefused(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
