"""XLSForm (ODK) → journey: survey rows become questions, groups become steps.

The sheets are read by sheets.py and every row declared by symbols.py; this module
interprets them, as pyxform's converter does after its readers. The mapping, in short:

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
from pathlib import Path
from typing import Any

from ..common import (
    Collector,
    ImportRefused,
    ImportResult,
    SourceSyntaxError,
    Symbol,
    Untranslatable,
    slug_journey_id,
)
from .sheets import Form, Node, Row, read_form, survey_tree
from .symbols import FALSE, SymbolTable
from .texts import Languages

# Survey columns read by the import (others are listed in the notes, by column).
HANDLED_COLUMNS = {
    "type", "name", "label", "hint", "relevant", "constraint", "constraint_message", "required",
    "calculation", "default", "read_only", "choice_filter", "repeat_count", "parameters",
    "trigger",
}
USED_SETTINGS = {"form_title", "form_id", "default_language"}
METADATA = {
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
LOCATION = {"geopoint", "geotrace", "geoshape", "osm"}


class XLSFormConverter(SymbolTable):
    """One XLSForm, read, → journey (see the module docstring for the mapping)."""

    def __init__(self, path: Path, form: Form) -> None:
        out = Collector()
        for sheet in form.unused_sheets:
            out.note(f"sheet {sheet}", f"the '{sheet}' sheet", "not used by a journey")
        languages = Languages(form)
        if not languages.declared:
            out.note("settings", "the form's language", "not declared: assumed to be English")
        super().__init__(form, languages, out)
        self.path = path
        #: Survey columns with no equivalent → the rows that use them (one note per column).
        self.unused_columns: dict[str, list[int]] = {}

    def build_question(self, row: Row, inherited: list[str], repeat: str | None
                       ) -> tuple[str, dict[str, Any]] | None:
        symbol: Symbol | None = row.cells.get("_symbol")
        kind = row.get("type").lower()
        if symbol is None:
            if kind in METADATA or kind.startswith("uri:"):
                self.out.note(row.ref, f"{kind} {row.get('name')}", "device metadata collected "
                              "automatically by ODK: no question")
            elif kind in LOCATION:
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
        label = self.languages.text(row, "label")
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
        hint = self.languages.text(row, "hint")
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
                elif column == "read_only" and value.lower() in FALSE:
                    continue
                else:
                    self.out.note(row.ref, f"{column}: {value}", "no equivalent in the format")
        for column, value in row.cells.items():
            if column not in HANDLED_COLUMNS and not column.startswith("_") and value not in (
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
        message = self.languages.text(row, "constraint_message") or "This answer is not valid."
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
            "label": self.languages.text(row, "label") or row.get("name"),
            "questions": items,
        }
        if inherited:
            question["when"] = " and ".join(f"({p})" if " or " in p else p for p in inherited) \
                if len(inherited) > 1 else inherited[0]
        kind = row.get("type").lower()
        count = row.get("repeat_count")
        if kind.startswith("begin loop"):
            list_name = kind.split()[-1]
            size = len(self.form.choices.get(list_name, []))
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
        root, untyped = survey_tree(self.form.survey)
        for row in untyped:
            self.out.note(row.ref, "a row without a type", "ignored")
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
            title = self.languages.text(row, "label") or _humanise(row.get("name") or "Questions")
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
        title = self.languages.text(Row(0, {}, self.form.settings_texts), "form_title") \
            or self.form.settings.get("form_title") or _humanise(self.path.stem)
        outcome = self.ids.allocate("submit", "outcome")
        ordered = list(steps)
        for i, step_id in enumerate(ordered):
            steps[step_id]["next"] = ordered[i + 1] if i + 1 < len(ordered) else outcome
        journey: dict[str, Any] = {
            "parcours": 1,
            "id": slug_journey_id(str(self.form.settings.get("form_id") or self.path.stem)),
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
        for key, value in sorted(self.form.settings.items()):
            if key not in USED_SETTINGS and value not in (None, "", False):
                self.out.note("settings", f"{key}: {_short(str(value))}", "no equivalent in the "
                              "format")
        journey["languages"] = self.languages.codes
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
    return XLSFormConverter(path, read_form(path)).run()
