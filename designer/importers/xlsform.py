"""XLSForm (ODK) → journey: survey rows become questions, groups become steps.

Reads ``.xlsx`` workbooks with openpyxl and the markdown tables used in
pyxform's own tests (``.md``). The mapping, in short:

* a top-level ``begin group``/``end group`` becomes one step (nested groups are
  flattened into it, their ``relevant`` joined to each question's ``when``);
  consecutive questions outside any group become one step per run;
  a top-level repeat gets a step of its own;
* ``relevant`` → ``when``, ``constraint`` + ``constraint_message`` → ``checks``
  (``.`` is the question itself; a lone ``regex(., '…')`` becomes ``pattern``),
  ``required`` → ``required`` (XLSForm questions are optional by default),
  ``calculate`` → ``computed``, ``begin repeat`` → ``repeat``;
* ``label::Language`` columns → multilingual texts.

Everything else is reported in the import notes, with the survey row.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import (
    Collector,
    Ids,
    ImportRefused,
    ImportResult,
    SourceSyntaxError,
    Symbol,
    Untranslatable,
    finish,
    slug_journey_id,
)
from .sourceexpr import Translator, parse_source

# Language names seen in XLSForms, to ISO 639-1 codes (the format's languages are codes).
_LANGUAGE_CODES = {
    "english": "en",
    "french": "fr",
    "francais": "fr",
    "français": "fr",
    "spanish": "es",
    "espanol": "es",
    "español": "es",
    "portuguese": "pt",
    "swahili": "sw",
    "chinese": "zh",
    "arabic": "ar",
    "german": "de",
    "italian": "it",
    "hindi": "hi",
    "russian": "ru",
    "default": "en",
}

_TRANSLATABLE = {"label", "hint", "constraint_message", "required_message", "guidance_hint"}
# Survey columns read by the import (others are listed in the notes, by column).
_HANDLED_COLUMNS = {
    "type", "name", "label", "hint", "relevant", "constraint", "constraint_message", "required",
    "calculation", "default", "read_only", "choice_filter", "repeat_count", "parameters",
    "trigger",
}
_USED_SETTINGS = {"form_title", "form_id", "default_language"}
_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
}
_LOCATION = {"geopoint", "geotrace", "geoshape", "osm"}
_MEDIA = {"image": ["jpg", "png"], "audio": ["mp3", "wav", "m4a"], "video": ["mp4", "mov"],
          "file": ["pdf", "jpg", "png"]}
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"no", "false", "false()", "0", ""}


def language_code(name: str) -> str:
    """`English (en)` → en, `english` → en, `EN` → en: the format wants a code."""
    match = re.search(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?\)\s*$", name)
    if match:
        return match.group(1).lower()
    plain = name.strip().lower()
    if re.fullmatch(r"[a-z]{2,3}", plain):
        return plain
    if plain in _LANGUAGE_CODES:
        return _LANGUAGE_CODES[plain]
    letters = re.sub(r"[^a-z]", "", plain)
    return (letters[:3] or "xx").ljust(2, "x")


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


# ---------------------------------------------------------------------------
# Reading


def _read_xlsx(path: Path) -> dict[str, list[tuple[int, list[Any]]]]:
    import openpyxl  # imported here: only XLSForm import needs it

    # openpyxl warns about Excel extensions it drops (data validation...): noise here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_sheets(openpyxl, path)


def _read_sheets(openpyxl: Any, path: Path) -> dict[str, list[tuple[int, list[Any]]]]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportRefused(f"{path.name} is not a readable .xlsx workbook ({exc})") from None
    sheets: dict[str, list[tuple[int, list[Any]]]] = {}
    for sheet in workbook.worksheets:
        rows: list[tuple[int, list[Any]]] = []
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


def _read_markdown(path: Path) -> dict[str, list[tuple[int, list[Any]]]]:
    """The markdown tables of pyxform's tests: `| survey |  |` starts a sheet."""
    sheets: dict[str, list[tuple[int, list[Any]]]] = {}
    current: list[tuple[int, list[Any]]] | None = None
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


def _table(rows: list[tuple[int, list[Any]]], sheet: str) -> tuple[list[str], list[Row]]:
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
            if kind in _TRANSLATABLE:
                text = value if isinstance(value, str) else _cell_text(value)
                texts.setdefault(kind, {})[language or ""] = text.strip()
                if language is None:
                    cells[kind] = value
            else:
                cells[_normalise_header(name)] = value
        table.append(Row(number, cells, texts))
    return names, table


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_header(name: str) -> tuple[str, str | None]:
    """`label::English (en)` → (label, English (en)); old `label:english` too."""
    for separator in ("::", ":"):
        if separator in name:
            kind, _, language = name.partition(separator)
            kind = _normalise_header(kind)
            if kind in _TRANSLATABLE:
                return kind, language.strip()
    return _normalise_header(name), None


def _normalise_header(name: str) -> str:
    key = name.strip().lower().replace(" ", "_")
    return {"list_name": "list_name", "requiredmsg": "required_message"}.get(key, key)


# ---------------------------------------------------------------------------
# Import


class XLSFormImporter:
    """One XLSForm → journey import (see the module docstring for the mapping)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.out = Collector()
        self.ids = Ids()
        self.symbols: dict[str, Symbol] = {}
        self.failed_calcs: dict[str, str] = {}
        self.order = 0
        self.languages: list[str] = []
        self.default_language = "en"
        #: Selects split by a cascading choice filter (one question per parent value).
        self.split_names: set[str] = set()
        #: Survey columns with no equivalent → the rows that use them (one note per column).
        self.unused_columns: dict[str, list[int]] = {}

    # -- reading ---------------------------------------------------------

    def read(self) -> None:
        sheets = _read_markdown(self.path) if self.path.suffix == ".md" else _read_xlsx(self.path)
        if "survey" not in sheets:
            raise ImportRefused(f"{self.path.name} has no 'survey' sheet: not an XLSForm")
        _, self.survey = _table(sheets["survey"], "survey")
        _, choices = _table(sheets.get("choices", []), "choices")
        _, settings = _table(sheets.get("settings", []), "settings")
        self.settings = settings[0].cells if settings else {}
        self.settings_texts = settings[0].texts if settings else {}
        self.choices: dict[str, list[Row]] = {}
        for row in choices:
            list_name = row.get("list_name")
            if list_name:
                self.choices.setdefault(list_name, []).append(row)
        _, external = _table(sheets.get("external_choices", []), "external_choices")
        self.external: dict[str, list[Row]] = {}
        for row in external:
            if row.get("list_name"):
                self.external.setdefault(row.get("list_name"), []).append(row)
        for extra in ("entities", "osm"):
            if extra in sheets and sheets[extra]:
                self.out.note(f"sheet {extra}", f"the '{extra}' sheet", "not used by a journey")
        languages: list[str] = []
        for row in [*self.survey, *choices]:
            for texts in row.texts.values():
                for language in texts:
                    if language and language not in languages:
                        languages.append(language)
        default = str(self.settings.get("default_language") or "").strip()
        codes = [language_code(language) for language in languages]
        if default:
            self.default_language = language_code(default)
        elif codes:
            self.default_language = codes[0]
        else:
            self.default_language = "en"
            self.out.note("settings", "the form's language", "not declared: assumed to be English")
        self.languages = [self.default_language] + [c for c in codes if c != self.default_language]
        self.languages = list(dict.fromkeys(self.languages))

    def text(self, row: Row, kind: str) -> str | dict[str, str] | None:
        """A translatable cell of `row` as a journey text (string or language mapping)."""
        texts = row.texts.get(kind, {})
        if not texts:
            return None
        by_code: dict[str, str] = {}
        for language, value in texts.items():
            code = language_code(language) if language else self.default_language
            if value and code not in by_code:
                by_code[code] = value
            elif value and language == "":
                continue
        if not by_code:
            return None
        if len(self.languages) == 1 or set(by_code) == {self.default_language}:
            return by_code.get(self.default_language) or next(iter(by_code.values()))
        return {code: by_code[code] for code in self.languages if code in by_code}

    # -- structure -------------------------------------------------------

    def tree(self) -> Node:
        root = Node("group", None)
        stack = [root]
        for row in self.survey:
            kind = re.sub(r"\s+", " ", row.get("type").lower())
            if not kind:
                if row.cells.get("name") or row.texts:
                    self.out.note(row.ref, "a row without a type", "ignored")
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
        return root

    # -- questions --------------------------------------------------------

    def question_type(self, row: Row) -> tuple[str | None, dict[str, Any]]:
        """The journey type of a row and extra keys (options...), or None when not a question."""
        raw = re.sub(r"\s+", " ", row.get("type").strip())
        kind = raw.lower()
        appearance = row.get("appearance").lower()
        match = re.match(
            r"^(select_one|select_multiple|select one|select all that apply|select_one_from_file|"
            r"select_multiple_from_file|select_one_external|rank)(?: from)? (\S+)(.*)$",
            raw,
            re.IGNORECASE,
        )
        if match:
            select = match.group(1).lower().replace(" ", "_")
            list_name, rest = match.group(2), match.group(3).strip().lower()
            if select == "select_one_external" and list_name in self.external:
                # Its choices are the form's external_choices sheet (ODK's itemsets.csv).
                select, rows_of_list = "select_one", self.external[list_name]
            else:
                rows_of_list = self.choices.get(list_name) or []
            if select in ("select_one_from_file", "select_multiple_from_file",
                          "select_one_external"):
                self.out.note(
                    row.ref,
                    f"{select} {list_name} ({row.get('name')})",
                    "its choices live in a file or sheet outside the form: imported as a text "
                    "question",
                )
                return "text", {}
            if select == "rank":
                self.out.note(row.ref, f"rank {list_name}", "ranking has no equivalent: imported "
                              "as a multiple choice")
            choices = rows_of_list
            if not choices:
                self.out.note(row.ref, f"{raw}", f"the choice list {list_name!r} is missing: "
                              "imported as a text question")
                return "text", {}
            options: dict[str, Any] = {}
            for choice in choices:
                value = choice.get("name")
                if not value:
                    continue
                label = self.text(choice, "label") or value
                if value in options:
                    self.out.note(f"choices row {choice.number}", f"duplicate choice {value!r}",
                                  "kept once")
                    continue
                options[value] = label
            single = select in ("select_one", "select_one_")
            keys: dict[str, Any] = {"options": options, "_rows": [
                c for c in choices if c.get("name")]}
            if "or_other" in rest or "or specify other" in rest:
                options.setdefault("other", "Other")
                keys["_or_other"] = True
            return ("choice" if single else "multichoice"), keys
        if kind in ("integer", "int"):
            return "integer", {}
        if kind in ("decimal",):
            return "decimal", {}
        if kind == "range":
            params = row.get("parameters")
            extra: dict[str, Any] = {}
            for key in ("start", "end"):
                found = re.search(rf"{key}\s*=\s*(-?[0-9.]+)", params)
                if found:
                    extra["min" if key == "start" else "max"] = float(found.group(1))
            return "decimal", extra
        if kind == "text":
            return ("textarea" if "multiline" in appearance else "text"), {}
        if kind == "date":
            return "date", {}
        if kind in ("note",):
            return "info", {}
        if kind in ("acknowledge", "trigger"):
            self.out.note(row.ref, f"{kind} {row.get('name')}", "imported as a yes/no question")
            return "yesno", {}
        if kind in _MEDIA:
            return "file", {"accept": _MEDIA[kind]}
        if kind in ("time", "datetime", "barcode"):
            self.out.note(row.ref, f"{kind} {row.get('name')}", f"no {kind} type in the format: "
                          "imported as a text question")
            return "text", {}
        return None, {}

    def declare(self, row: Row, repeat: str | None) -> Symbol | None:
        """First pass: give the row an id and a type in the symbol table."""
        name = row.get("name")
        kind = row.get("type").lower().strip()
        if kind in ("calculate",):
            symbol = Symbol(self.ids.allocate(name or "calc", "calc"), "computed",
                            order=self.order, repeat=repeat)
        else:
            qtype, extra = self.question_type(row)
            if qtype is None:
                return None
            options = list(extra["options"]) if "options" in extra else None
            rows = extra.pop("_rows", None)
            split = self.split_plan(row, qtype, rows) if rows else None
            if split and len(split) == 1 and not split[0][0]:
                # A fixed filter: one question, with the options the filter keeps.
                extra["options"] = split[0][1]
                options = list(split[0][1])
                row.cells["_filtered"] = True
                split = None
            if not split:
                symbol = Symbol(self.ids.allocate(name or f"row_{row.number}"), qtype, options,
                                self.order, repeat)
            else:
                self.order += 1
                if name:
                    self.split_names.add(name)
                row.cells["_split"] = [
                    (Symbol(self.ids.allocate("_".join([name, *values.values()])), qtype,
                            list(opts), self.order, repeat), values, opts)
                    for values, opts in split
                ]
                row.cells["_extra"] = extra
                row.cells["_symbol"] = row.cells["_split"][0][0]
                return row.cells["_symbol"]
            if extra.pop("_or_other", False):
                # pyxform adds a free-text question NAME_other after the select.
                self.order += 1
                other = Symbol(self.ids.allocate(f"{name}_other"), "text", None, self.order,
                               repeat)
                self.symbols[f"{name}_other"] = other
                row.cells["_other"] = other
            row.cells["_extra"] = extra
        self.order += 1
        if name:
            self.symbols[name] = symbol
        row.cells["_symbol"] = symbol
        return symbol

    def split_plan(self, row: Row, qtype: str, rows: list[Row]
                   ) -> list[tuple[dict[str, str], dict[str, Any]]] | None:
        """A cascading choice filter (``col = ${parent}`` joined by ``and``) as one question
        per combination of parent values: [({parent: value}, options)], or None."""
        text = row.get("choice_filter")
        if not text or row.get("constraint"):
            return None
        try:
            tree = parse_source(text, "xpath")
        except Untranslatable:
            return None
        pairs: list[tuple[str, str]] = []

        def walk(node: Any) -> bool:
            if node[0] == "bin" and node[1] == "and":
                return walk(node[2]) and walk(node[3])
            if node[0] == "bin" and node[1] == "==":
                sides = {node[2][0]: node[2], node[3][0]: node[3]}
                if set(sides) == {"path", "ref"}:
                    pairs.append((sides["path"][1], sides["ref"][1]))
                    return True
                if set(sides) == {"path", "lit"}:
                    fixed.append((sides["path"][1], str(sides["lit"][1])))
                    return True
            return False

        fixed: list[tuple[str, str]] = []
        if not walk(tree) or not (pairs or fixed):
            return None
        rows = [c for c in rows if all(c.get(col.lower()) == v for col, v in fixed)]
        found = [self.parent_values(parent) for _, parent in pairs]
        parents = [values for values in found if values is not None]
        if len(parents) != len(found):
            return None
        groups: dict[tuple[str, ...], dict[str, Any]] = {}
        for choice in rows:
            key = tuple(choice.get(column.lower()) for column, _ in pairs)
            if not all(key) or any(v not in allowed for v, allowed in
                                   zip(key, parents, strict=True)):
                continue  # never offered: its filter value is no answer of the parent
            groups.setdefault(key, {})[choice.get("name")] = self.text(choice, "label") \
                or choice.get("name")
        if not groups:
            return None
        if pairs:
            self.out.note(row.ref, f"choice_filter: {text}", "one question per value of "
                          f"{', '.join(p for _, p in pairs)}, each with the options that value "
                          "allows, shown when the parent has that value")
        else:
            self.out.note(row.ref, f"choice_filter: {text}", "a fixed filter: only the "
                          "options it keeps are offered")
        return [({parent: v for (_, parent), v in zip(pairs, key, strict=True)}, options)
                for key, options in groups.items()]

    def parent_values(self, name: str) -> set[str] | None:
        """The values a choice-filter parent can have (None: not a usable parent)."""
        for row in self.survey:
            if row.get("name") == name:
                if row.cells.get("_split"):
                    return {o for symbol, _, _ in row.cells["_split"] for o in symbol.options}
                symbol = row.cells.get("_symbol")
                if symbol is not None and symbol.type == "choice" and symbol.repeat is None:
                    return set(symbol.options or [])
                return None
        return None

    def parent_test(self, parent: str, value: str) -> str:
        """`parent == value`, over the parent's copies when it is itself split."""
        from designer.expressions import Compare, Literal, Name

        from .common import or_

        for row in self.survey:
            if row.get("name") == parent:
                copies = [s for s, _, _ in row.cells.get("_split") or []]
                if not copies:
                    copies = [row.cells["_symbol"]]
                tests = [Compare(Name(s.id), ("==",), (Literal(value),)) for s in copies
                         if value in (s.options or [])]
                return finish(or_(*tests))
        raise Untranslatable(f"no parent {parent}")

    def resolver(self, at: Symbol | None, repeat: str | None) -> Any:
        def resolve(name: str) -> Symbol:
            symbol = self.symbols.get(name)
            if name in self.split_names:
                raise Untranslatable(f"${{{name}}} is split by its choice filter into one "
                                     "question per value of its parent")
            if symbol is None:
                raise Untranslatable(f"${{{name}}} names no question")
            if name in self.failed_calcs:
                raise Untranslatable(f"uses the calculation {name}, not translated "
                                     f"({self.failed_calcs[name]})")
            if at is not None and symbol.order >= at.order and symbol is not at:
                raise Untranslatable(f"refers to ${{{name}}}, which comes later in the form")
            if symbol.repeat is not None and symbol.repeat != repeat:
                raise Untranslatable(f"refers to ${{{name}}} inside a repeat from outside it")
            return symbol

        return resolve

    def translate(self, text: str, at: Symbol | None, repeat: str | None,
                  as_value: bool = False) -> str:
        tree = parse_source(text, "xpath")
        translator = Translator(self.resolver(at, repeat), at)
        expr = translator.value(tree) if as_value else translator.condition(tree)
        return finish(expr)

    def condition_cell(self, row: Row, column: str, at: Symbol | None,
                       repeat: str | None) -> tuple[str | bool | None, bool]:
        """Translate a relevant/required-like cell: (expression or bool or None, translated)."""
        raw = row.cells.get(column)
        if raw is None:
            return None, True
        if isinstance(raw, bool):
            return raw, True
        text = _cell_text(raw).strip()
        if text.lower() in _TRUE:
            return True, True
        if text.lower() in _FALSE:
            return False, True
        try:
            return self.translate(text, at, repeat), True
        except SourceSyntaxError as exc:
            raise ImportRefused(
                f"{row.ref}: {column} {text!r} is not valid XPath ({exc})"
            ) from None
        except Untranslatable as exc:
            self.out.note(row.ref, f"{column}: {text}", str(exc))
            return None, False

    def build_question(self, row: Row, inherited: list[str], repeat: str | None
                       ) -> tuple[str, dict[str, Any]] | None:
        symbol: Symbol | None = row.cells.get("_symbol")
        kind = row.get("type").lower()
        if symbol is None:
            if kind in _METADATA or kind.startswith("uri:"):
                self.out.note(row.ref, f"{kind} {row.get('name')}", "device metadata collected "
                              "automatically by ODK: no question")
            elif kind in _LOCATION:
                self.out.note(row.ref, f"{kind} {row.get('name')}", "no location type in the "
                              "format")
            elif kind == "hidden":
                self.out.note(row.ref, f"hidden {row.get('name')}", "hidden fields have no "
                              "equivalent")
            else:
                self.out.note(row.ref, f"{kind} {row.get('name')}", "unknown question type")
            for column in ("relevant", "constraint"):
                if row.cells.get(column) is not None:
                    self.out.condition(False)
            return None
        if symbol.type == "computed":
            return None  # handled by computed()
        self.out.stats.questions += 1
        question: dict[str, Any] = {"type": symbol.type}
        label = self.text(row, "label")
        if symbol.type == "info":
            content = label
            if content is None:
                media = row.get("image") or row.get("media::image")
                content = f"(image {media})" if media else row.get("name") or "—"
                self.out.note(row.ref, f"note {row.get('name')}", "no text: media is not carried"
                              if media else "no text")
            question["content"] = content
        else:
            if label is None:
                label = row.get("name") or f"Question {row.number}"
                self.out.note(row.ref, f"{row.get('type')} {row.get('name')}",
                              "no label: the name is used as the label")
            question["label"] = label
        hint = self.text(row, "hint")
        if hint:
            question["help"] = hint
        extra = dict(row.cells.get("_extra") or {})
        question.update(extra)
        # relevant (own + inherited from groups)
        own: str | bool | None = None
        if row.cells.get("relevant") is not None:
            own, ok = self.condition_cell(row, "relevant", symbol, repeat)
            self.out.condition(ok)
            if not ok and symbol.type != "info":
                question["required"] = False
        parts = [*inherited]
        if own is False:
            self.out.note(row.ref, f"{row.get('name')}", "relevant is always false: the question "
                          "is never shown, so it is not imported")
            self.out.stats.questions -= 1
            return None
        if isinstance(own, str):
            parts.append(own)
        if parts:
            question["when"] = " and ".join(f"({p})" if " or " in p else p for p in parts) \
                if len(parts) > 1 else parts[0]
        if symbol.type != "info":
            required, ok = (None, True)
            if row.cells.get("required") is not None:
                required, ok = self.condition_cell(row, "required", symbol, repeat)
                if isinstance(required, str) or not ok:
                    self.out.condition(ok)
            if "required" not in question:
                # XLSForm questions are optional unless marked required.
                question["required"] = required if required not in (None,) else False
            self.constraint(row, symbol, repeat, question)
        for column in ("default", "read_only", "choice_filter", "repeat_count", "parameters",
                       "trigger", "calculation"):
            value = row.get(column)
            if value and not (column == "parameters" and symbol.type == "decimal"):
                if column == "choice_filter" and (row.cells.get("_split")
                                                  or row.cells.get("_filtered")):
                    continue
                if column == "choice_filter":
                    self.out.note(row.ref, f"choice_filter: {value}", "options filtered by other "
                                  "answers have no equivalent: all options are offered")
                elif column == "read_only" and value.lower() in _FALSE:
                    continue
                else:
                    self.out.note(row.ref, f"{column}: {value}", "no equivalent in the format")
        for column, value in row.cells.items():
            if column not in _HANDLED_COLUMNS and not column.startswith("_") and value not in (
                    None, "", False):
                self.unused_columns.setdefault(column, []).append(row.number)
        for kind in row.texts:
            if kind not in ("label", "hint", "constraint_message"):
                self.unused_columns.setdefault(kind, []).append(row.number)
        label_text = str(label or "")
        if "${" in label_text or "${" in str(hint or ""):
            self.out.note(row.ref, f"text of {row.get('name')}", "answers inserted in texts "
                          "(${...}) are shown literally")
        self.out.comments[("__q__", symbol.id)] = f"{row.ref}: {row.get('type')} {row.get('name')}"
        return symbol.id, question

    def other_question(self, row: Row, qid: str, select: dict[str, Any]) -> dict[str, Any]:
        """The free text pyxform asks when 'other' is chosen (``select_one list or_other``)."""
        chosen = f'{qid} == "other"' if select["type"] == "choice" else f'"other" in {qid}'
        when = select.get("when")
        self.out.stats.questions += 1
        self.out.note(row.ref, f"or_other ({row.get('name')})", "an 'other' option and a "
                      f"free-text question {qid}_other shown when it is chosen, as pyxform does")
        other: Symbol = row.cells["_other"]
        self.out.comments[("__q__", other.id)] = f"{row.ref}: or_other of {row.get('name')}"
        return {
            "type": "text",
            "label": "Specify other.",
            "when": f"({when}) and {chosen}" if when else chosen,
            "required": False,
        }

    def constraint(self, row: Row, symbol: Symbol, repeat: str | None,
                   question: dict[str, Any]) -> None:
        text = row.get("constraint")
        if not text:
            return
        regex = re.fullmatch(r"\s*regex\s*\(\s*\.\s*,\s*(['\"])(.*)\1\s*\)\s*", text, re.DOTALL)
        if regex and symbol.type in ("text", "textarea"):
            pattern = regex.group(2)
            if not pattern.startswith("^"):
                pattern = ".*" + pattern
            if not pattern.endswith("$"):
                pattern += ".*"
            question["pattern"] = pattern
            self.out.condition(True)
            return
        try:
            rule = self.translate(text, symbol, repeat)
        except SourceSyntaxError as exc:
            raise ImportRefused(f"{row.ref}: constraint {text!r} is not valid XPath ({exc})") \
                from None
        except Untranslatable as exc:
            self.out.condition(False)
            self.out.note(row.ref, f"constraint: {text}", str(exc))
            return
        self.out.condition(True)
        message = self.text(row, "constraint_message") or "This answer is not valid."
        if "${" in str(message):
            self.out.note(row.ref, "constraint_message", "answers inserted in texts (${...}) are "
                          "shown literally")
        question.setdefault("checks", []).append({"rule": rule, "message": message})

    def computed(self, row: Row, repeat: str | None, computed: dict[str, str]) -> None:
        symbol: Symbol = row.cells["_symbol"]
        text = row.get("calculation")
        self.out.stats.computed += 1
        name = row.get("name")
        if repeat is not None:
            self.failed_calcs[name] = "a calculation inside a repeat"
            self.out.note(row.ref, f"calculate {name}: {text}", "computed values are journey-wide:"
                          " a calculation per repeat item has no equivalent")
            return
        if not text:
            self.failed_calcs[name] = "no calculation"
            self.out.note(row.ref, f"calculate {name}", "no calculation")
            return
        try:
            computed[symbol.id] = self.translate(text, symbol, repeat, as_value=True)
            self.out.stats.computed_translated += 1
            self.out.comments[("computed", symbol.id)] = f"{row.ref}: calculate {name}"
        except SourceSyntaxError as exc:
            raise ImportRefused(f"{row.ref}: calculation {text!r} is not valid XPath ({exc})") \
                from None
        except Untranslatable as exc:
            self.failed_calcs[name] = str(exc)
            self.out.note(row.ref, f"calculate {name}: {text}", str(exc))

    # -- walking --------------------------------------------------------

    def declare_all(self, node: Node, repeat: str | None) -> None:
        for child in node.children:
            if isinstance(child, Row):
                self.declare(child, repeat)
            elif child.kind == "repeat":
                row = child.row
                assert row is not None
                inner = Symbol(self.ids.allocate(row.get("name") or f"repeat_{row.number}"),
                               "repeat", order=self.order, repeat=repeat)
                self.order += 1
                if row.get("name"):
                    self.symbols[row.get("name")] = inner
                row.cells["_symbol"] = inner
                self.declare_all(child, inner.id if repeat is None else repeat)
            else:
                self.declare_all(child, repeat)

    def group_relevant(self, node: Node, repeat: str | None) -> str | None | bool:
        row = node.row
        if row is None or row.cells.get("relevant") is None:
            return None
        # A group condition is evaluated before its first question.
        first = self.first_symbol(node)
        value, ok = self.condition_cell(row, "relevant", first, repeat)
        self.out.condition(ok)
        if not ok:
            self.out.note(row.ref, f"group {row.get('name')}", "its relevant was not translated: "
                          "its questions are shown unconditionally (and made optional)")
            return "__failed__"
        return value

    def first_symbol(self, node: Node) -> Symbol | None:
        for child in node.children:
            if isinstance(child, Row):
                if child.cells.get("_symbol") is not None:
                    return child.cells["_symbol"]
            else:
                if child.kind == "repeat" and child.row is not None:
                    return child.row.cells.get("_symbol")
                found = self.first_symbol(child)
                if found is not None:
                    return found
        return None

    def collect(self, node: Node, inherited: list[str], repeat: str | None,
                out: dict[str, Any], computed: dict[str, str], relaxed: bool) -> None:
        """Flatten `node`'s questions into `out` (a step's or a repeat's question mapping)."""
        for child in node.children:
            if isinstance(child, Row):
                if child.get("type").lower() == "calculate":
                    self.computed(child, repeat, computed)
                    continue
                built = self.build_question(child, inherited, repeat)
                if built and child.cells.get("_split"):
                    for symbol, values, options in child.cells["_split"]:
                        copy = dict(built[1], options=options)
                        tests = [self.parent_test(p, v) for p, v in values.items()]
                        when = copy.get("when")
                        parts = [*([when] if when else []), *tests]
                        if parts:
                            copy["when"] = " and ".join(
                                f"({t})" if " or " in t else t for t in parts)
                        out[symbol.id] = copy
                        self.out.comments[("__q__", symbol.id)] = (
                            f"{child.ref}: {child.get('type')} {child.get('name')} "
                            f"(when {', '.join(f'{p} = {v}' for p, v in values.items())})")
                    continue
                if built:
                    qid, question = built
                    if relaxed and question.get("type") != "info":
                        question["required"] = False
                    out[qid] = question
                    other = child.cells.get("_other")
                    if other is not None:
                        out[other.id] = self.other_question(child, qid, question)
                continue
            condition = self.group_relevant(child, repeat)
            if condition is False:
                self.skip(child)
                continue
            failed = condition == "__failed__"
            more = [*inherited] + ([condition] if isinstance(condition, str) and not failed else [])
            if child.kind == "group":
                self.collect(child, more, repeat, out, computed, relaxed or failed)
                continue
            self.repeat(child, more, repeat, out, computed, relaxed or failed)

    def skip(self, node: Node) -> None:
        row = node.row
        assert row is not None
        self.out.note(row.ref, f"{node.kind} {row.get('name')}", "relevant is always false: never "
                      "shown, not imported")

    def repeat(self, node: Node, inherited: list[str], repeat: str | None,
               out: dict[str, Any], computed: dict[str, str], relaxed: bool) -> None:
        row = node.row
        assert row is not None
        symbol: Symbol = row.cells["_symbol"]
        if repeat is not None:
            self.out.note(row.ref, f"repeat {row.get('name')} inside a repeat", "repeats do not "
                          "nest in the format: its questions are asked once per outer item")
            self.collect(node, inherited, repeat, out, computed, relaxed)
            return
        self.out.stats.questions += 1
        items: dict[str, Any] = {}
        self.collect(node, [], symbol.id, items, computed, relaxed)
        if not items:
            self.out.note(row.ref, f"repeat {row.get('name')}", "no question inside: not imported")
            self.out.stats.questions -= 1
            return
        question: dict[str, Any] = {
            "type": "repeat",
            "label": self.text(row, "label") or row.get("name"),
            "questions": items,
        }
        if inherited:
            question["when"] = " and ".join(f"({p})" if " or " in p else p for p in inherited) \
                if len(inherited) > 1 else inherited[0]
        kind = row.get("type").lower()
        count = row.get("repeat_count")
        if kind.startswith("begin loop"):
            list_name = kind.split()[-1]
            size = len(self.choices.get(list_name, []))
            if size:
                question["min"] = question["max"] = size
            self.out.note(row.ref, row.get("type"), "a loop over choices becomes a repeat with one "
                          "item per choice; the choice labels are not shown in the items")
        elif count:
            if re.fullmatch(r"\d+", count):
                question["min"] = question["max"] = int(count)
            else:
                self.out.note(row.ref, f"repeat_count: {count}", "a computed number of items has "
                              "no equivalent: the citizen adds items freely")
        if relaxed or "min" not in question:
            # An ODK repeat may have no item unless its count is fixed.
            question["required"] = False
        self.out.comments[("__q__", symbol.id)] = f"{row.ref}: {row.get('type')} {row.get('name')}"
        out[symbol.id] = question

    def run(self) -> ImportResult:
        self.read()
        root = self.tree()
        self.declare_all(root, None)
        computed: dict[str, str] = {}
        steps: dict[str, dict[str, Any]] = {}
        step_refs: dict[str, str] = {}
        run: list[Row] = []

        def flush() -> None:
            if not run:
                return
            questions: dict[str, Any] = {}
            self.collect(Node("group", None, list(run)), [], None, questions, computed, False)
            first = run[0]
            run.clear()
            if questions:
                title = next((q.get("label") for q in questions.values() if q.get("label")), None)
                step_id = self.ids.allocate(f"page_{next(iter(questions))}", "step")
                steps[step_id] = {"title": _short(title) if title else "Questions",
                                  "questions": questions}
                step_refs[step_id] = f"survey row {first.number}: questions outside any group"

        for child in root.children:
            if isinstance(child, Row):
                run.append(child)
                continue
            flush()
            row = child.row
            assert row is not None
            questions: dict[str, Any] = {}
            condition = self.group_relevant(child, None)
            if condition is False:
                self.skip(child)
                continue
            failed = condition == "__failed__"
            inherited = [condition] if isinstance(condition, str) and not failed else []
            if child.kind == "group":
                self.collect(child, inherited, None, questions, computed, failed)
            else:
                self.repeat(child, inherited, None, questions, computed, failed)
            if not questions:
                self.out.note(row.ref, f"{child.kind} {row.get('name')}", "nothing to ask inside: "
                              "no step")
                continue
            step_id = self.ids.allocate(row.get("name") or f"group_{row.number}", "step")
            title = self.text(row, "label") or _humanise(row.get("name") or "Questions")
            steps[step_id] = {"title": title, "questions": questions}
            step_refs[step_id] = f"{row.ref}: {row.get('type')} {row.get('name')}"
        flush()
        if not steps:
            # Still a journey: an information page saying that nothing could be carried.
            steps[self.ids.allocate("form", "step")] = {
                "title": "Nothing to ask",
                "intro": "No question of this form could be imported: see x-import-notes.",
                "questions": {},
            }
            step_refs[next(iter(steps))] = "survey: no importable question"
        title = self.text(Row(0, {}, self.settings_texts), "form_title") \
            or self.settings.get("form_title") or _humanise(self.path.stem)
        outcome = self.ids.allocate("submit", "outcome")
        ordered = list(steps)
        for i, step_id in enumerate(ordered):
            steps[step_id]["next"] = ordered[i + 1] if i + 1 < len(ordered) else outcome
        journey: dict[str, Any] = {
            "parcours": 1,
            "id": slug_journey_id(str(self.settings.get("form_id") or self.path.stem)),
            "title": str(title),
            "organisation": "Unknown (not in the XLSForm)",
        }
        self.out.note("settings", "organisation", "an XLSForm does not say who runs it: set "
                      "'organisation'")
        for column, numbers in sorted(self.unused_columns.items()):
            rows = list(dict.fromkeys(numbers))
            shown = ", ".join(str(n) for n in rows[:12]) + (" …" if len(rows) > 12 else "")
            reason = ("presentation for ODK Collect (the renderer has its own)"
                      if column in ("appearance", "rows", "autoplay", "buttontext",
                                    "noapperrorstring") or column.startswith(("image", "audio",
                                                                                "media", "video",
                                                                                "body::"))
                      else "no equivalent in the format")
            self.out.note(f"survey rows {shown}", f"column {column}", reason)
        for key, value in sorted(self.settings.items()):
            if key not in _USED_SETTINGS and value not in (None, "", False):
                self.out.note("settings", f"{key}: {_short(str(value))}", "no equivalent in the "
                              "format")
        if len(self.languages) > 1:
            journey["languages"] = self.languages
        else:
            journey["languages"] = self.languages[:1]
        journey["start"] = ordered[0]
        if computed:
            journey["computed"] = computed
        journey["steps"] = steps
        journey["outcomes"] = {outcome: {"kind": "submit", "title": "Send your answers"}}
        comments: dict[tuple[str, ...], str] = {}
        for step_id, question_map in steps.items():
            comments[("steps", step_id)] = step_refs[step_id]
            for qid, question in question_map["questions"].items():
                text = self.out.comments.get(("__q__", qid))
                if text:
                    comments[("steps", step_id, "questions", qid)] = text
                for iid in question.get("questions", {}):
                    text = self.out.comments.get(("__q__", iid))
                    if text:
                        comments[("steps", step_id, "questions", qid, "questions", iid)] = text
        for path, remark in self.out.comments.items():
            if path[0] == "computed":
                comments[path] = remark
        return ImportResult(journey, comments, self.out.notes, self.out.stats, "xlsform")


def _short(text: Any) -> Any:
    if isinstance(text, dict):
        return {k: _short(v) for k, v in text.items()}
    text = str(text)
    return text if len(text) <= 80 else text[:77].rstrip() + "…"


def _humanise(name: str) -> str:
    words = re.sub(r"[_\-]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name


def import_xlsform(path: Path) -> ImportResult:
    """Import an XLSForm workbook (.xlsx) or markdown table (.md)."""
    return XLSFormImporter(path).run()
