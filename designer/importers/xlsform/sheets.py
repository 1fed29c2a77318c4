"""Reading an XLSForm: its sheets as tables of rows, and the survey's groups as a tree.

Reads ``.xlsx`` workbooks with openpyxl and the markdown tables used in pyxform's own
tests (``.md``), as pyxform's readers do. Nothing here interprets a row (what a type, a
``relevant`` or a language means is for symbols.py and converter.py); a form that cannot
be read as sheets (a broken workbook, a duplicate header, unmatched ``begin``/``end``
rows) is refused.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..common import ImportRefused

#: Columns whose text may be given per language (``label::French (fr)``).
TRANSLATABLE = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}
#: Sheets read but not imported: the converter notes their presence.
UNUSED_SHEETS = ("entities", "osm")

Sheet = list[tuple[int, list[Any]]]

@dataclass
class Row:
    """One survey row: its number in the sheet and its cells by normalised header."""

    number: int
    cells: dict[str, Any]
    texts: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, key: str) -> str:
        value = self.cells.get(key)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    @property
    def ref(self) -> str:
        return f"survey row {self.number}"

@dataclass
class Node:
    """A group or repeat of the survey, with its rows and sub-nodes in order."""

    kind: str  # group | repeat
    row: Row | None
    children: list[Any] = field(default_factory=list)

@dataclass
class Form:
    """The sheets of one XLSForm, read: survey rows, choice lists, settings, languages."""

    survey: list[Row]
    #: The rows of each choice list by list name, of ``choices`` and ``external_choices``.
    choices: dict[str, list[Row]]
    external: dict[str, list[Row]]
    settings: dict[str, Any]
    settings_texts: dict[str, dict[str, str]]
    #: The language names of the translated columns, in the order they first appear.
    languages: list[str]
    #: Sheets present with rows but not imported (of UNUSED_SHEETS).
    unused_sheets: list[str]

def read_form(path: Path) -> Form:
    """The sheets of an XLSForm workbook (.xlsx) or markdown table (.md)."""
    sheets = _read_markdown(path) if path.suffix == ".md" else _read_xlsx(path)
    if "survey" not in sheets:
        raise ImportRefused(f"{path.name} has no 'survey' sheet: not an XLSForm")
    _, survey = _table(sheets["survey"], "survey")
    _, choice_rows = _table(sheets.get("choices", []), "choices")
    _, settings = _table(sheets.get("settings", []), "settings")
    choices: dict[str, list[Row]] = {}
    for row in choice_rows:
        list_name = row.get("list_name")
        if list_name:
            choices.setdefault(list_name, []).append(row)
    _, external_rows = _table(sheets.get("external_choices", []), "external_choices")
    external: dict[str, list[Row]] = {}
    for row in external_rows:
        if row.get("list_name"):
            external.setdefault(row.get("list_name"), []).append(row)
    languages: list[str] = []
    for row in [*survey, *choice_rows]:
        for texts in row.texts.values():
            for language in texts:
                if language and language not in languages:
                    languages.append(language)
    return Form(
        survey=survey,
        choices=choices,
        external=external,
        settings=settings[0].cells if settings else {},
        settings_texts=settings[0].texts if settings else {},
        languages=languages,
        unused_sheets=[s for s in UNUSED_SHEETS if s in sheets and sheets[s]],
    )

def survey_tree(survey: list[Row]) -> tuple[Node, list[Row]]:
    """The survey's groups and repeats as a tree, and the rows without a type (skipped)."""
    root = Node("group", None)
    untyped: list[Row] = []
    stack = [root]
    for row in survey:
        kind = re.sub(r"\s+", " ", row.get("type").lower())
        if not kind:
            if row.cells.get("name") or row.texts:
                untyped.append(row)
            continue
        if kind in ("begin group", "begin_group"):
            node = Node("group", row)
            stack[-1].children.append(node)
            stack.append(node)
        elif kind in ("begin repeat", "begin_repeat") or kind.startswith("begin loop"):
            node = Node("repeat", row)
            stack[-1].children.append(node)
            stack.append(node)
        elif kind in ("end group", "end_group", "end repeat", "end_repeat", "end loop"):
            wanted = "group" if "group" in kind else "repeat"
            if len(stack) == 1 or stack[-1].kind != wanted:
                raise ImportRefused(
                    f"{row.ref}: '{kind}' does not close an open {wanted} "
                    f"(the survey's begin/end rows do not match)"
                )
            stack.pop()
        else:
            stack[-1].children.append(row)
    if len(stack) > 1:
        opened = stack[-1].row
        where = opened.ref if opened else "survey"
        raise ImportRefused(f"{where}: 'begin {stack[-1].kind}' is never closed")
    return root, untyped

def _read_xlsx(path: Path) -> dict[str, Sheet]:
    import openpyxl  # imported here: only XLSForm import needs it

    # openpyxl warns about Excel extensions it drops (data validation...): noise here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_sheets(openpyxl, path)

def _read_sheets(openpyxl: Any, path: Path) -> dict[str, Sheet]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportRefused(f"{path.name} is not a readable .xlsx workbook ({exc})") from None
    sheets: dict[str, Sheet] = {}
    for sheet in workbook.worksheets:
        rows: Sheet = []
        blank = 0
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                blank += 1
                # Some workbooks declare a million formatted rows: stop at a long gap.
                if blank > 200:
                    break
                continue
            blank = 0
            rows.append((number, list(values)))
        sheets[sheet.title.strip().lower()] = rows
    workbook.close()
    return sheets

def _read_markdown(path: Path) -> dict[str, Sheet]:
    """The markdown tables of pyxform's tests: `| survey |  |` starts a sheet."""
    sheets: dict[str, Sheet] = {}
    current: Sheet | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped.startswith("|"):
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if cells and cells[0]:
            current = sheets.setdefault(cells[0].lower(), [])
            rest = cells[1:]
            if any(rest):
                current.append((number, [v or None for v in rest]))
            continue
        if current is None:
            continue
        current.append((number, [v or None for v in cells[1:]]))
    return sheets

def _table(rows: Sheet, sheet: str) -> tuple[list[str], list[Row]]:
    if not rows:
        return [], []
    header_number, header = rows[0]
    names: list[str] = []
    seen: set[str] = set()
    for cell in header:
        name = "" if cell is None else str(cell).strip()
        key = _normalise_header(name)
        if key and key in seen:
            raise ImportRefused(
                f"Duplicate column header: {name} (sheet {sheet}, row {header_number})"
            )
        if key:
            seen.add(key)
        names.append(name)
    table: list[Row] = []
    for number, values in rows[1:]:
        cells: dict[str, Any] = {}
        texts: dict[str, dict[str, str]] = {}
        for name, value in zip(names, values, strict=False):
            if not name or value is None or (isinstance(value, str) and not value.strip()):
                continue
            kind, language = _split_header(name)
            if kind in TRANSLATABLE:
                text = value if isinstance(value, str) else cell_text(value)
                texts.setdefault(kind, {})[language or ""] = text.strip()
                if language is None:
                    cells[kind] = value
            else:
                cells[_normalise_header(name)] = value
        table.append(Row(number, cells, texts))
    return names, table

def cell_text(value: Any) -> str:
    """A cell as text: integral numbers without their `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

def _split_header(name: str) -> tuple[str, str | None]:
    """`label::English (en)` → (label, English (en)); old `label:english` too."""
    for separator in ("::", ":"):
        if separator in name:
            kind, _, language = name.partition(separator)
            kind = _normalise_header(kind)
            if kind in TRANSLATABLE:
                return kind, language.strip()
    return _normalise_header(name), None

def _normalise_header(name: str) -> str:
    key = name.strip().lower().replace(" ", "_")
    return {"list_name": "list_name", "requiredmsg": "required_message"}.get(key, key)

