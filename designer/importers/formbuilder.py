"""XGov digital form builder and DEFRA forms engine definitions → journey.

Both tools share a model: ``pages[]`` (a ``path``, ``components[]`` and
``next: [{path, condition}]``), ``lists[]`` of options and ``conditions[]``
named once and referred to by name. The mapping:

* a page becomes a step, its input components its questions, its content
  components (Para, Html, Markdown, Details, InsetText, List…) ``info`` blocks;
* a summary page becomes the ``submit`` outcome; a terminal page (or a page
  without inputs and without a way out) an ``exit`` outcome;
* ``next`` links become branches: conditional links first, in source order,
  the unconditional one last (the XGov runner takes a matching condition
  before the default link);
* DEFRA's V2 definitions have no links: pages are walked in order and a page
  whose ``condition`` does not hold is skipped. A conditional question page
  becomes a step whose questions carry the condition as ``when``; a
  conditional terminal page becomes a branch to an ``exit`` outcome from the
  step before it;
* conditions, as strings (``section.field == true``) or structured objects
  (V1 ``{field, operator, value}`` with coordinators, V2 ``{items,
  coordinator}`` with nested ``conditionId``), are translated into one
  expression each, inlined where they are used.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from designer.expressions import Expr

from .common import (
    Collector,
    Ids,
    ImportRefused,
    ImportResult,
    Symbol,
    Untranslatable,
    and_,
    answered,
    compare,
    contains,
    finish,
    not_,
    option_value,
    or_,
    prune_unreachable,
    slug_journey_id,
)
from .html_text import html_to_text
from .sourceexpr import Translator, parse_source

_CONTENT = {"Para", "Html", "Markdown", "Details", "InsetText", "NotificationBanner", "List",
            "FlashCard", "WarningText"}
_SIMPLE = {
    "TextField": "text",
    "MultilineTextField": "textarea",
    "EmailAddressField": "email",
    "DatePartsField": "date",
    "DateField": "date",
    "YesNoField": "yesno",
    "FileUploadField": "file",
}
_CHOICE = {"RadiosField": "choice", "SelectField": "choice", "AutocompleteField": "choice",
           "CheckboxesField": "multichoice"}
# Types kept as text because the format's own type checks French data, or has no such kind.
_AS_TEXT = {
    "TelephoneNumberField": "the format's phone type checks French numbers: imported as text",
    "UkAddressField": "the format's address type is French (postcode, commune): imported as a "
                      "multi-line text",
    "TimeField": "no time type in the format: imported as text",
    "DateTimeField": "no date-and-time type in the format: imported as text",
    "DateTimePartsField": "no date-and-time type in the format: imported as text",
    "EastingNorthingField": "no grid reference type: imported as text",
    "OsGridRefField": "no grid reference type: imported as text",
    "NationalGridFieldNumberField": "no grid reference type: imported as text",
    "LatLongField": "no location type: imported as text",
    "MonthYearField": "no month-and-year type: imported as text",
}
_PAGE_KEYS = {"path", "title", "components", "next", "section", "controller", "id", "condition"}
_OPERATORS = {
    "is": "==",
    "is not": "!=",
    "is more than": ">",
    "is less than": "<",
    "is at least": ">=",
    "is at most": "<=",
    "is after": ">",
    "is before": "<",
}


def _is_summary(page: dict[str, Any]) -> bool:
    controller = str(page.get("controller") or "")
    return "summary" in controller.lower() and "minisummary" not in controller.lower()


def _is_terminal(page: dict[str, Any]) -> bool:
    return "terminal" in str(page.get("controller") or "").lower()


class FormBuilderImporter:
    """One XGov or DEFRA definition → journey (see the module docstring)."""

    def __init__(self, path: Path, data: Any, fmt: str) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
            raise ImportRefused(f"{path.name} has no 'pages' list: not a form-builder definition")
        self.path = path
        self.data = data
        self.fmt = fmt
        self.out = Collector()
        self.ids = Ids()
        self.lists: dict[str, dict[str, Any]] = {}
        for item in data.get("lists") or []:
            if isinstance(item, dict):
                for key in ("name", "id"):
                    if item.get(key):
                        self.lists[str(item[key])] = item
        self.conditions: dict[str, dict[str, Any]] = {}
        for item in data.get("conditions") or []:
            if isinstance(item, dict):
                for key in ("name", "id"):
                    if item.get(key):
                        self.conditions[str(item[key])] = item
        self.fields: dict[str, Symbol] = {}
        self.order = 0
        self.used_conditions: set[str] = set()
        self.pages = [p for p in data["pages"] if isinstance(p, dict) and p.get("path")]
        self.by_path = {p["path"]: p for p in self.pages}
        self.linear = all(not p.get("next") for p in self.pages)
        # Question ids a condition may use where it is evaluated (None: no restriction).
        self.allowed: set[str] | None = None
        self.symbols_by_id: dict[str, Symbol] = {}

    # -- components --------------------------------------------------------

    def options(self, component: dict[str, Any], ref: str) -> dict[str, str] | None:
        name = component.get("list")
        items: list[Any] = []
        if name and str(name) in self.lists:
            items = self.lists[str(name)].get("items") or []
        elif isinstance(component.get("values"), dict):
            items = component["values"].get("items") or []
        options: dict[str, str] = {}
        for item in items:
            if not isinstance(item, dict) or "value" not in item:
                continue
            options.setdefault(option_value(item["value"]), str(item.get("text") or item["value"]))
            if item.get("condition"):
                self.out.note(ref, f"option {item.get('text')!r} shown when {item['condition']}",
                              "options shown conditionally have no equivalent: always offered")
        return options or None

    def question(self, component: dict[str, Any], ref: str) -> dict[str, Any] | None:
        kind = str(component.get("type"))
        title = component.get("title") or component.get("name") or kind
        raw_options, raw_schema = component.get("options"), component.get("schema")
        opts: dict[str, Any] = raw_options if isinstance(raw_options, dict) else {}
        schema: dict[str, Any] = raw_schema if isinstance(raw_schema, dict) else {}
        question: dict[str, Any]
        if kind in _CONTENT:
            content = component.get("content")
            if kind == "List":
                items = (self.lists.get(str(component.get("list"))) or {}).get("items") or []
                content = "\n".join(f"- {i.get('text')}" for i in items if isinstance(i, dict))
            text = html_to_text(str(content or "")) if content else ""
            if not text:
                text = str(component.get("title") or "—")
            question = {"type": "info", "content": text}
            if kind == "Details" and component.get("title"):
                question["label"] = str(component["title"])
            return question
        if kind in _SIMPLE:
            question = {"type": _SIMPLE[kind], "label": str(title)}
        elif kind in _CHOICE:
            options = self.options(component, ref)
            if not options:
                self.out.note(ref, f"{kind} {component.get('name')}", "its list of options is "
                              "missing: imported as a text question")
                question = {"type": "text", "label": str(title)}
            else:
                question = {"type": _CHOICE[kind], "label": str(title), "options": options}
        elif kind == "NumberField":
            precision = schema.get("precision")
            question = {"type": "integer" if precision in (None, 0) else "decimal",
                        "label": str(title)}
            for bound in ("min", "max"):
                if isinstance(schema.get(bound), int | float) and not isinstance(
                        schema.get(bound), bool):
                    question[bound] = schema[bound]
        elif kind in _AS_TEXT:
            self.out.note(ref, f"{kind} {component.get('name')}", _AS_TEXT[kind])
            question = {"type": "textarea" if kind == "UkAddressField" else "text",
                        "label": str(title)}
        elif kind == "DeclarationField":
            question = {"type": "yesno", "label": str(title),
                        "checks": [{"rule": "__self__", "message": "You must confirm to continue"}]}
            self.out.note(ref, f"{kind} {component.get('name')}", "a declaration becomes a yes/no "
                          "question that must be answered yes")
        else:
            self.out.note(ref, f"{kind} {component.get('name')}", "no equivalent question type: "
                          "not imported")
            return None
        hint = component.get("hint")
        if hint:
            question["help"] = html_to_text(str(hint))
        if opts.get("required") is False:
            question["required"] = False
        if question["type"] in ("text", "textarea"):
            for source_key, key in (("max", "max_length"), ("min", "min_length")):
                value = schema.get(source_key)
                if isinstance(value, int) and not isinstance(value, bool) and value >= (
                        1 if key == "max_length" else 0):
                    question[key] = value
            if schema.get("regex"):
                question["pattern"] = str(schema["regex"])
        return question

    # -- conditions -------------------------------------------------------------

    def resolve(self, name: str) -> Symbol:
        symbol = self.fields.get(name) or self.fields.get(name.split(".")[-1])
        if symbol is None:
            raise Untranslatable(f"{name!r} names no component of the form")
        if self.allowed is not None and symbol.id not in self.allowed:
            raise Untranslatable(f"{name!r} is asked on no page before this point")
        return symbol

    def condition(self, key: str, seen: tuple[str, ...] = ()) -> Expr:
        """The expression of the named (V1) or identified (V2) condition `key`."""
        if key in seen:
            raise Untranslatable(f"condition {key!r} refers to itself")
        definition = self.conditions.get(key)
        if definition is None:
            raise Untranslatable(f"no condition named {key!r}")
        self.used_conditions.add(str(definition.get("name") or definition.get("id")))
        seen = (*seen, key)
        value = definition.get("value")
        if "items" in definition:  # V2
            return self.v2_group(definition, seen)
        if isinstance(value, str):
            return Translator(self.resolve).condition(parse_source(value, "js"))
        if isinstance(value, dict):
            return self.v1_group(value.get("conditions") or [], seen)
        raise Untranslatable(f"condition {key!r} has no value")

    def v1_group(self, items: list[Any], seen: tuple[str, ...]) -> Expr:
        # Coordinators join each item to the previous one; 'and' binds tighter than 'or'.
        disjuncts: list[list[Expr]] = [[]]
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise Untranslatable("a condition item that is not an object")
            if i and str(item.get("coordinator") or "and").lower() == "or":
                disjuncts.append([])
            if "conditionName" in item:
                expr = self.condition(str(item["conditionName"]), seen)
            elif "conditions" in item:
                expr = self.v1_group(item["conditions"], seen)
            else:
                field = item.get("field")
                if not isinstance(field, dict):
                    raise Untranslatable("a condition item without a field")
                symbol = self.resolve(str(field.get("name")))
                value = item.get("value")
                if isinstance(value, dict):
                    if value.get("type") not in (None, "Value"):
                        raise Untranslatable(f"{value.get('type')} values have no equivalent")
                    value = value.get("value")
                expr = self.operator(symbol, str(item.get("operator")), value)
            disjuncts[-1].append(expr)
        parts = [and_(*terms) for terms in disjuncts if terms]
        if not parts:
            raise Untranslatable("an empty condition")
        return or_(*[p for p in parts if p is not None])

    def v2_group(self, definition: dict[str, Any], seen: tuple[str, ...]) -> Expr:
        terms: list[Expr] = []
        for item in definition.get("items") or []:
            if not isinstance(item, dict):
                raise Untranslatable("a condition item that is not an object")
            if "conditionId" in item:
                terms.append(self.condition(str(item["conditionId"]), seen))
                continue
            if "items" in item:
                terms.append(self.v2_group(item, seen))
                continue
            symbol = self.resolve(str(item.get("componentId")))
            value = item.get("value")
            kind = item.get("type")
            if kind == "ListItemRef" and isinstance(value, dict):
                value = self.list_item_value(value)
            elif kind not in ("BooleanValue", "StringValue", "NumberValue", "DateValue", None):
                raise Untranslatable(f"{kind} values have no equivalent")
            terms.append(self.operator(symbol, str(item.get("operator")), value))
        if not terms:
            raise Untranslatable("an empty condition")
        if str(definition.get("coordinator") or "and").lower() == "or":
            return or_(*terms)
        result = and_(*terms)
        assert result is not None
        return result

    def list_item_value(self, ref: dict[str, Any]) -> Any:
        list_ = self.lists.get(str(ref.get("listId")))
        for item in (list_ or {}).get("items") or []:
            if isinstance(item, dict) and item.get("id") == ref.get("itemId"):
                return item.get("value")
        raise Untranslatable(f"list item {ref.get('itemId')} not found")

    def operator(self, symbol: Symbol, operator: str, value: Any) -> Expr:
        op = operator.strip().lower()
        if op == "contains":
            return contains(symbol, value)
        if op == "does not contain":
            # An unanswered field contains nothing, for the source engines.
            return or_(not_(answered(symbol)), contains(symbol, value, negate=True))
        if op in _OPERATORS:
            result = compare(symbol, _OPERATORS[op], value)
            # The XGov and DEFRA engines read an unanswered field as "not the value";
            # the journey language says unknown, so say it explicitly.
            if _OPERATORS[op] == "!=" or (symbol.type == "yesno" and op == "is not"):
                return or_(not_(answered(symbol)), result)
            return result
        raise Untranslatable(f"the operator {operator!r} has no equivalent")

    def translated(self, key: str, ref: str) -> str | None:
        """The condition `key` as expression text, or None (with a note) when it cannot be."""
        try:
            expr = self.condition(key)
            if expr is None:
                raise Untranslatable("an empty condition")
            text = finish(expr)
        except Untranslatable as exc:
            self.out.condition(False)
            label = self.conditions.get(key, {}).get("displayName") or key
            self.out.note(ref, f"condition {label!r}", str(exc))
            return None
        self.out.condition(True)
        return text

    # -- pages ---------------------------------------------------------------

    def declare(self) -> None:
        for page in self.pages:
            for component in page.get("components") or []:
                if not isinstance(component, dict):
                    continue
                kind = str(component.get("type"))
                name = component.get("name")
                if kind in _CONTENT or not name:
                    continue
                qid = self.ids.allocate(_readable_name(component))
                component["_qid"] = qid
                qtype = _SIMPLE.get(kind) or _CHOICE.get(kind) or (
                    "integer" if kind == "NumberField" else
                    "yesno" if kind == "DeclarationField" else "text")
                options = None
                if kind in _CHOICE:
                    found = self.options_quiet(component)
                    if found:
                        options = list(found)
                    else:
                        qtype = "text"
                if kind == "NumberField" and (component.get("schema") or {}).get("precision"):
                    qtype = "decimal"
                symbol = Symbol(qid, qtype, options, self.order)
                self.symbols_by_id[qid] = symbol
                component["_page"] = page["path"]
                self.order += 1
                section = page.get("section")
                self.fields[str(name)] = symbol
                if section:
                    self.fields[f"{section}.{name}"] = symbol
                if component.get("id"):
                    self.fields[str(component["id"])] = symbol

    def options_quiet(self, component: dict[str, Any]) -> dict[str, str] | None:
        saved = self.out.notes
        self.out.notes = []
        try:
            return self.options(component, "")
        finally:
            self.out.notes = saved

    def page_ref(self, page: dict[str, Any]) -> str:
        return f"page {page['path']}"

    def build_step(self, page: dict[str, Any], when: str | None) -> dict[str, Any]:
        ref = self.page_ref(page)
        questions: dict[str, Any] = {}
        comments: dict[str, str] = {}
        for index, component in enumerate(page.get("components") or []):
            if not isinstance(component, dict):
                continue
            question = self.question(component, f"{ref} component {component.get('name')}")
            if question is None:
                continue
            qid = component.get("_qid") or self.ids.allocate(
                str(component.get("name") or f"{page['path']}_{index}"), "info", fallback="info")
            if question["type"] != "info":
                self.out.stats.questions += 1
            for check in question.get("checks", []):
                if check["rule"] == "__self__":
                    check["rule"] = qid
            own = self.component_condition(component, ref)
            combined = [c for c in (when, own) if c]
            if combined:
                question["when"] = " and ".join(f"({c})" if " or " in c else c
                                                for c in combined) if len(combined) > 1 \
                    else combined[0]
            questions[qid] = question
            comments[qid] = f"{ref}, component {component.get('type')}" + (
                f" {component['name']}" if component.get("name") else "")
        title = page.get("title") or next(
            (q.get("label") for q in questions.values() if q.get("label")), None
        ) or _humanise(page["path"])
        nested: dict[tuple[str, ...], str] = {(qid,): text for qid, text in comments.items()}
        controller = str(page.get("controller") or "")
        if "repeating" in controller.lower() and questions:
            # The page is asked again for each item the citizen adds: a repeat.
            rid = self.ids.allocate(f"{page['path']}_items", "repeat")
            nested = {(rid, "questions", qid): text for qid, text in comments.items()}
            nested[(rid,)] = f"{ref}, {controller}"
            questions = {rid: {"type": "repeat", "label": str(title), "questions": questions,
                               "min": 1}}
            self.out.note(ref, f"controller {controller}", "the page is asked for each item: a "
                          "repeat whose items answer its questions")
        step: dict[str, Any] = {"title": str(title), "questions": questions}
        step["_comments"] = nested
        if controller and not _is_summary(page) and "repeating" not in controller.lower():
            if "start" not in controller.lower():
                self.out.note(ref, f"controller {controller}", "page behaviour of the form builder "
                              "(repeating, upload, multi-start…) is not carried: a plain page")
        for key in sorted(set(page) - _PAGE_KEYS):
            if page.get(key) not in (None, "", [], {}) and not key.startswith("_"):
                self.out.note(ref, f"page {key}: {_short(page[key])}", "no equivalent in the "
                              "format")
        return step

    def component_condition(self, component: dict[str, Any], ref: str) -> str | None:
        """The condition of a component shown conditionally (``options.condition``)."""
        options = component.get("options")
        if not isinstance(options, dict):
            return None
        for key, value in options.items():
            if key not in ("required", "condition") and value not in (None, "", False, [], {}):
                self.out.note(f"{ref}, component {component.get('name')}",
                              f"option {key}: {_short(value)}", "no equivalent in the format")
        if not options.get("condition"):
            return None
        return self.translated(str(options["condition"]),
                               f"{ref}, component {component.get('name')}")

    def exit_outcome(self, page: dict[str, Any]) -> dict[str, Any]:
        """An end page as an exit outcome: its title, and its content as the body."""
        outcome: dict[str, Any] = {"kind": "exit", "title": str(page.get("title") or "End")}
        body = self.outcome_body(page)
        if body:
            outcome["body"] = body
        return outcome

    def outcome_body(self, page: dict[str, Any]) -> str | None:
        parts: list[str] = []
        for component in page.get("components") or []:
            if isinstance(component, dict) and component.get("type") in _CONTENT:
                content = component.get("content")
                if content:
                    parts.append(html_to_text(str(content)))
            elif isinstance(component, dict):
                self.out.note(self.page_ref(page), f"{component.get('type')} "
                              f"{component.get('name')}", "a field on an end page: not imported")
        return "\n\n".join(parts) or None

    def run(self) -> ImportResult:
        self.declare()
        steps: dict[str, dict[str, Any]] = {}
        outcomes: dict[str, dict[str, Any]] = {}
        node_of: dict[str, str] = {}
        comments: dict[tuple[str, ...], str] = {}
        summary = next((p for p in self.pages if _is_summary(p)), None)
        submit_id: str | None = None

        def submit() -> str:
            nonlocal submit_id
            if submit_id is None:
                page = summary
                submit_id = self.ids.allocate("submit" if page is None else
                                              page["path"].strip("/") or "submit", "outcome")
                outcomes[submit_id] = {
                    "kind": "submit",
                    "title": str((page or {}).get("title") or "Check your answers and send"),
                }
                if page is not None:
                    comments[("outcomes", submit_id)] = (
                        f"page {page['path']} ({page.get('controller')})"
                    )
                    node_of[page["path"]] = submit_id
            return submit_id

        if summary is not None:
            submit()
        if self.linear:
            start = self.linear_pages(steps, outcomes, node_of, comments, submit)
        else:
            start = self.linked_pages(steps, outcomes, node_of, comments, submit)
        for step_id, step in steps.items():
            for suffix, text in step.pop("_comments", {}).items():
                comments[("steps", step_id, "questions", *suffix)] = text
        unused = sorted(
            str(c.get("displayName") or c.get("name") or c.get("id"))
            for key, c in {id(c): c for c in self.conditions.values()}.items()
            if str(c.get("name") or c.get("id")) not in self.used_conditions
        )
        if unused:
            self.out.note("conditions", ", ".join(unused),
                          "defined but used by no page or link (e.g. payment amounts): not "
                          "carried over")
        for key in ("fees", "feeOptions", "outputs", "declaration", "payApiKey", "specialPages",
                    "exitOptions", "metadata"):
            if self.data.get(key):
                self.out.note(key, f"form {key}", "no equivalent in the format")
        title = self.data.get("name") or (summary or {}).get("title") or _humanise(self.path.stem)
        journey: dict[str, Any] = {
            "parcours": 1,
            "id": slug_journey_id(self.path.stem),
            "title": str(title) if self.data.get("name") else _humanise(self.path.stem),
            "organisation": "Unknown (not in the form definition)",
            "languages": ["en"],
            "start": start,
            "steps": steps,
            "outcomes": outcomes,
        }
        self.out.note("form", "organisation", "the definition does not say who runs the form: "
                      "set 'organisation'")
        prune_unreachable(journey, self.out, comments)
        return ImportResult(journey, comments, self.out.notes, self.out.stats, self.fmt)

    # -- V1: linked pages -----------------------------------------------------

    def linked_pages(self, steps: dict[str, Any], outcomes: dict[str, Any],
                     node_of: dict[str, str], comments: dict[tuple[str, ...], str],
                     submit: Any) -> str:
        start_path = str(self.data.get("startPage"))
        if start_path not in self.by_path:
            start_path = str(self.pages[0]["path"])
        # Depth-first from the start: reachable pages in discovery order, back links noted.
        order: list[str] = []
        state: dict[str, int] = {}
        dropped: set[tuple[str, str]] = set()

        def visit(path: str) -> None:
            state[path] = 1
            order.append(path)
            for link in self.by_path[path].get("next") or []:
                target = link.get("path") if isinstance(link, dict) else None
                if not isinstance(target, str) or target not in self.by_path:
                    continue
                if state.get(target) == 1:
                    dropped.add((path, target))
                    self.out.note(f"page {path}", f"link to {target}", "it loops back: journeys "
                                  "are acyclic, the link is dropped")
                elif target not in state:
                    visit(target)
            state[path] = 2

        visit(start_path)
        parents: dict[str, set[str]] = {path: set() for path in order}
        for path in order:
            for link in self.by_path[path].get("next") or []:
                target = link.get("path") if isinstance(link, dict) else None
                if isinstance(target, str) and target in parents and (path, target) not in dropped:
                    parents[target].add(path)
        for page in self.pages:
            if page["path"] not in state and not _is_summary(page):
                self.out.note(self.page_ref(page), page.get("title") or page["path"],
                              "no link leads to this page from the start page: not imported")
        for path in order:
            page = self.by_path[path]
            if _is_summary(page):
                continue
            inputs = [c for c in page.get("components") or []
                      if isinstance(c, dict) and c.get("type") not in _CONTENT]
            links = [x for x in page.get("next") or [] if isinstance(x, dict)]
            if _is_terminal(page) or (not links and not inputs and path != start_path):
                exit_id = self.ids.allocate(path.strip("/") or "exit", "exit")
                outcomes[exit_id] = self.exit_outcome(page)
                node_of[path] = exit_id
                comments[("outcomes", exit_id)] = f"page {path}"
                continue
            step_id = self.ids.allocate(path.strip("/") or "start", "step")
            node_of[path] = step_id
            self.allowed = self.asked_before(path, parents)
            steps[step_id] = self.build_step(page, None)
            self.allowed = None
            comments[("steps", step_id)] = f"page {path}" + (
                f" (section {page['section']})" if page.get("section") else "")
        for path in order:
            page = self.by_path[path]
            if node_of.get(path) not in steps:
                continue
            step_id = node_of[path]
            self.allowed = self.asked_before(path, parents)
            branches: list[dict[str, Any]] = []
            default: str | None = None
            for link in page.get("next") or []:
                if not isinstance(link, dict) or (path, link.get("path")) in dropped:
                    continue
                target = node_of.get(str(link.get("path")))
                if target is None:
                    if link.get("path") not in self.by_path:
                        self.out.note(f"page {path}", f"link to {link.get('path')}", "no such page")
                    continue
                condition = link.get("condition")
                if condition:
                    text = self.translated(str(condition), f"page {path} link to {link['path']}")
                    if text is None:
                        self.out.note(f"page {path}", f"link to {link['path']}",
                                      "its condition was not translated: link dropped")
                        continue
                    branches.append({"goto": target, "when": text})
                elif default is None:
                    default = target
            if default is None and branches and exhaustive([b["when"] for b in branches],
                                                            self.symbols_by_id):
                # The conditions cover every possible answer: the last one is the default.
                default = branches.pop()["goto"]
            elif default is None:
                default = submit()
                if branches:
                    self.out.note(f"page {path}", "links", "no unconditional link and the "
                                  "conditions may all fail: then the journey goes to the summary")
            if branches:
                branches.append({"goto": default})
                steps[step_id]["next"] = branches
            else:
                steps[step_id]["next"] = default
        self.allowed = None
        start = node_of[start_path]
        if start not in steps:
            raise ImportRefused(f"{self.path.name}: the start page {start_path} asks nothing")
        return start

    # -- V2: pages in order with page conditions ---------------------------------

    def linear_pages(self, steps: dict[str, Any], outcomes: dict[str, Any],
                     node_of: dict[str, str], comments: dict[tuple[str, ...], str],
                     submit: Any) -> str:
        previous: str | None = None
        pending: list[dict[str, Any]] = []  # branches waiting for the next step (exits)
        order: list[str] = []
        asked: set[str] = set()
        ended = False
        for page in self.pages:
            path = page["path"]
            if _is_summary(page):
                continue
            if ended:
                self.out.note(self.page_ref(page), page.get("title") or path, "after an "
                              "unconditional end page: never reached, not imported")
                continue
            condition_key = page.get("condition")
            when = None
            if condition_key:
                when = self.translated(str(condition_key), self.page_ref(page))
                if when is None:
                    self.out.note(self.page_ref(page), "page condition", "not translated: the "
                                  "page is always shown")
            if _is_terminal(page):
                exit_id = self.ids.allocate(path.strip("/") or "exit", "exit")
                outcomes[exit_id] = self.exit_outcome(page)
                comments[("outcomes", exit_id)] = f"page {path} ({page.get('controller')})"
                if previous is None:
                    self.out.note(self.page_ref(page), "end page before any question",
                                  "not imported")
                    continue
                if when:
                    pending.append({"goto": exit_id, "when": when})
                else:
                    pending.append({"goto": exit_id})
                    ended = True
                continue
            step_id = self.ids.allocate(path.strip("/") or "page", "step")
            asked.update(str(c["_qid"]) for c in page.get("components") or []
                         if isinstance(c, dict) and c.get("_qid"))
            self.allowed = set(asked)
            steps[step_id] = self.build_step(page, when)
            self.allowed = None
            label = (self.conditions.get(str(condition_key)) or {}).get("displayName")
            comments[("steps", step_id)] = f"page {path}" + (
                f" (shown when condition {label or condition_key!r})" if condition_key else "")
            if previous is not None:
                self.link(steps[previous], pending, step_id)
            pending = []
            previous = step_id
            order.append(step_id)
        if previous is None:
            raise ImportRefused(f"{self.path.name}: no page asks anything")
        if ended:
            # The last pending entry is the unconditional end page: it is the default.
            self.link(steps[previous], pending[:-1], pending[-1]["goto"])
        else:
            self.link(steps[previous], pending, submit())
        return order[0]

    def asked_before(self, path: str, parents: dict[str, set[str]]) -> set[str]:
        """Question ids of the page at `path` and of every page that can come before it."""
        seen = {path}
        todo = [path]
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return {
            str(c["_qid"])
            for p in seen
            for c in self.by_path[p].get("components") or []
            if isinstance(c, dict) and c.get("_qid")
        }

    @staticmethod
    def link(step: dict[str, Any], branches: list[dict[str, Any]], default: str) -> None:
        if branches:
            step["next"] = [*branches, {"goto": default}]
        else:
            step["next"] = default


def _readable_name(component: dict[str, Any]) -> str:
    """The id source of a component: its name, unless the builder generated it (``YgJRFo``).

    Form-builder editors name components with six random letters; an id made of
    those tells a designer nothing, so the short description or title is used
    instead (the source name stays in the comment above the question).
    """
    name = str(component.get("name") or "")
    generated = (
        len(name) == 6 and name.isalpha() and any(c.isupper() for c in name[1:])
        and not re.fullmatch(r"[a-z]+[A-Z][a-z]+", name)
    )
    if not generated:
        return name
    text = str(component.get("shortDescription") or component.get("title") or name)
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    kept: list[str] = []
    for word in words:
        if len("_".join([*kept, word])) > 40:
            break
        kept.append(word)
    return "_".join(kept) or name


def exhaustive(conditions: list[str], symbols: dict[str, Symbol], limit: int = 512) -> bool:
    """Whether some condition holds for every possible answer (small finite domains only).

    Conditions over yes/no, choice and small multiple-choice answers are checked by
    trying every combination of values (null included); anything else is not
    decided (False).
    """
    import datetime
    import itertools

    from designer.expressions import names, parse
    from designer.run import holds

    trees = [parse(text) for text in conditions]
    used = sorted({n for tree in trees for n in names(tree)})
    domains: list[list[Any]] = []
    size = 1
    for name in used:
        symbol = symbols.get(name)
        if symbol is None:
            return False
        if symbol.type == "yesno":
            domain: list[Any] = [True, False, None]
        elif symbol.type == "choice" and symbol.options:
            domain = [*symbol.options, None]
        elif symbol.type == "multichoice" and symbol.options and len(symbol.options) <= 6:
            domain = [None] + [
                [o for i, o in enumerate(symbol.options) if mask >> i & 1]
                for mask in range(1, 2 ** len(symbol.options))
            ]
        else:
            return False
        size *= len(domain)
        if size > limit:
            return False
        domains.append(domain)
    today = datetime.date(2000, 1, 1)
    for values in itertools.product(*domains):
        env = dict(zip(used, values, strict=True))
        if not any(holds(tree, env, today) for tree in trees):
            return False
    return True


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def _humanise(text: str) -> str:
    words = re.sub(r"[-_/]+", " ", text).strip()
    return words[:1].upper() + words[1:] if words else text


def import_formbuilder(path: Path, data: Any, fmt: str) -> ImportResult:
    """Import an XGov (`fmt` = "xgov") or DEFRA (`fmt` = "defra") form definition."""
    return FormBuilderImporter(path, data, fmt).run()
