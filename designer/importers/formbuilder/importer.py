"""XGov digital form builder and DEFRA forms engine definitions → journey.

Components become questions in components.py, conditions expressions in conditions.py;
this module walks the pages.

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

from ..common import (
    Collector,
    Ids,
    ImportRefused,
    ImportResult,
    Symbol,
    prune_unreachable,
    slug_journey_id,
)
from ..html_text import html_to_text
from .components import CHOICE, CONTENT, SIMPLE, options, readable_name
from .components import question as component_question
from .conditions import ConditionTranslator, exhaustive

_PAGE_KEYS = {"path", "title", "components", "next", "section", "controller", "id", "condition"}


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
        self.pages = [p for p in data["pages"] if isinstance(p, dict) and p.get("path")]
        self.by_path = {p["path"]: p for p in self.pages}
        self.linear = all(not p.get("next") for p in self.pages)
        self.symbols_by_id: dict[str, Symbol] = {}
        self.translator = ConditionTranslator(self.conditions, self.lists, self.fields, self.out)

    # -- pages ---------------------------------------------------------------

    def declare(self) -> None:
        for page in self.pages:
            for component in page.get("components") or []:
                if not isinstance(component, dict):
                    continue
                kind = str(component.get("type"))
                name = component.get("name")
                if kind in CONTENT or not name:
                    continue
                qid = self.ids.allocate(readable_name(component))
                component["_qid"] = qid
                qtype = SIMPLE.get(kind) or CHOICE.get(kind) or (
                    "integer" if kind == "NumberField" else
                    "yesno" if kind == "DeclarationField" else "text")
                options = None
                if kind in CHOICE:
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
            return options(component, "", self.lists, self.out)
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
            question = component_question(component, f"{ref} component {component.get('name')}",
                                          self.lists, self.out)
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
        return self.translator.translated(str(options["condition"]),
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
            if isinstance(component, dict) and component.get("type") in CONTENT:
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
            if str(c.get("name") or c.get("id")) not in self.translator.used_conditions
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
                      if isinstance(c, dict) and c.get("type") not in CONTENT]
            links = [x for x in page.get("next") or [] if isinstance(x, dict)]
            if _is_terminal(page) or (not links and not inputs and path != start_path):
                exit_id = self.ids.allocate(path.strip("/") or "exit", "exit")
                outcomes[exit_id] = self.exit_outcome(page)
                node_of[path] = exit_id
                comments[("outcomes", exit_id)] = f"page {path}"
                continue
            step_id = self.ids.allocate(path.strip("/") or "start", "step")
            node_of[path] = step_id
            self.translator.allowed = self.asked_before(path, parents)
            steps[step_id] = self.build_step(page, None)
            self.translator.allowed = None
            comments[("steps", step_id)] = f"page {path}" + (
                f" (section {page['section']})" if page.get("section") else "")
        for path in order:
            page = self.by_path[path]
            if node_of.get(path) not in steps:
                continue
            step_id = node_of[path]
            self.translator.allowed = self.asked_before(path, parents)
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
                    text = self.translator.translated(str(condition),
                                                      f"page {path} link to {link['path']}")
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
        self.translator.allowed = None
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
                when = self.translator.translated(str(condition_key), self.page_ref(page))
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
            self.translator.allowed = set(asked)
            steps[step_id] = self.build_step(page, when)
            self.translator.allowed = None
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


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "…"


def _humanise(text: str) -> str:
    words = re.sub(r"[-_/]+", " ", text).strip()
    return words[:1].upper() + words[1:] if words else text


def import_formbuilder(path: Path, data: Any, fmt: str) -> ImportResult:
    """Import an XGov (`fmt` = "xgov") or DEFRA (`fmt` = "defra") form definition."""
    return FormBuilderImporter(path, data, fmt).run()
