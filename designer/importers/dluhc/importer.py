"""DLUHC CORE form JSON (social housing lettings) → journey.

CORE nests ``sections → subsections → pages → questions``, each keyed by id.
The mapping:

* every page becomes a step, in reading order; its questions keep their ids
  (a question asked on several variant pages gets ``_2``, ``_3``… suffixes);
* ``depends_on`` (a list of alternatives joined by OR, each a dict of tests
  joined by AND) on a page or a subsection becomes the ``when`` of each of the
  page's questions: the page shows exactly when one alternative holds. A page
  whose condition fails thus shows no question;
* a test names a question (``{"renewal": 0}``), an option of a checkbox
  question (CORE stores each box as a field: ``"rp_homeless" in
  reasonable_preference_reason``), or a model method (``is_carehome?``) that
  lives in CORE's Ruby code and cannot be translated;
* fields of CORE's setup section (``renewal``, ``needstype``…) are not in this
  file but are tested by many pages: they are added as questions of a first
  "setup" step with the values the conditions use, and noted;
* ``conditional_for`` (an inline follow-up question) becomes the follow-up's
  ``when``; read-only computed totals are not carried over, and noted;
* interruption screens ("are you sure?" soft validations shown when a Ruby
  method holds) become conditional confirmation questions, their methods
  translated by the project's table (``soft_rules``, built into
  steps by ``soft``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..common import (
    Collector,
    Ids,
    ImportRefused,
    ImportResult,
    Symbol,
    Untranslatable,
    compare,
    finish,
    joined,
    option_value,
    or_,
    slug_journey_id,
)
from ..html_text import html_to_text
from .conditions import DependsOnTranslator, short_json
from .model import (
    CORE_METHODS,
    OPTIONAL_FIELDS,
    SETUP_COMPLETED,
    SETUP_FIELDS,
    answer_options,
    humanise,
)
from .soft import SoftValidations


class DLUHCImporter(DependsOnTranslator):
    """The CORE lettings form → journey (see the module docstring); its conditions are
    translated by the methods of conditions.DependsOnTranslator."""

    def __init__(self, path: Path, data: Any) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("sections"), dict):
            raise ImportRefused(f"{path.name} has no 'sections' mapping: not a CORE form")
        self.path = path
        self.data = data
        self.out = Collector()
        self.ids = Ids()
        self.copies: dict[str, list[Symbol]] = {}
        self.checkbox_option: dict[str, list[Symbol]] = {}
        self.setup: dict[str, dict[str, Any]] = {}
        self.order = 0
        self.grouped: dict[str, list[str]] = {}
        self.method_notes: set[str] = set()
        #: The page each question was imported from (by journey id), and the first source
        #: question of each CORE field (its labels).
        self.page_of: dict[str, dict[str, Any]] = {}
        self.source_questions: dict[str, dict[str, Any]] = {}
        self.optional: list[str] = []
        self.soft = SoftValidations(self)
        #: Build two-valued tests (under a negation): each guarded by answered().
        self.strict = False

    # -- reading ---------------------------------------------------------------

    def pages(self) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        """(section id, subsection id, subsection, page) for every page, in reading order."""
        found = []
        for section_id, section in self.data["sections"].items():
            if not isinstance(section, dict):
                continue
            for sub_id, sub in (section.get("subsections") or {}).items():
                if not isinstance(sub, dict):
                    continue
                for page_id, page in (sub.get("pages") or {}).items():
                    if isinstance(page, dict):
                        page["_id"] = page_id
                        found.append((section_id, sub_id, sub, page))
        return found

    @staticmethod
    def is_interruption(page: dict[str, Any]) -> bool:
        questions = page.get("questions") or {}
        return "interruption_screen_question_ids" in page or any(
            isinstance(q, dict) and q.get("type") == "interruption_screen"
            for q in questions.values()
        )

    def question_type(self, question: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
        kind = question.get("type")
        if kind in ("radio", "select"):
            options = answer_options(question)
            return ("choice", {"options": options}) if options else ("text", {})
        if kind == "checkbox":
            options = answer_options(question)
            return ("multichoice", {"options": options}) if options else (None, {})
        if kind == "numeric":
            step = question.get("step", 1)
            integral = isinstance(step, int) or (isinstance(step, float) and step.is_integer())
            extra: dict[str, Any] = {}
            for bound in ("min", "max"):
                value = question.get(bound)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    extra[bound] = int(value) if integral else float(value)
            return ("integer" if integral else "decimal"), extra
        if kind == "text":
            return "text", {}
        if kind == "date":
            return "date", {}
        return None, {}

    def group(self, key: str, qid: str) -> None:
        """Record that question `qid` has the source key `key`, which the format cannot
        carry: one import note per key lists every such question."""
        self.grouped.setdefault(key, []).append(qid)

    # -- import --------------------------------------------------------------------

    def declare_setup(self, pages: list[tuple[str, str, dict[str, Any], dict[str, Any]]]) -> None:
        """Fields tested by depends_on that this file never asks (CORE's setup section)."""
        values: dict[str, list[Any]] = {}
        all_keys: set[str] = set()
        for _, _, sub, page in pages:
            for alternatives in (sub.get("depends_on"), page.get("depends_on")):
                for alternative in alternatives or []:
                    if isinstance(alternative, dict):
                        for key, value in alternative.items():
                            expanded = [(key, value)]
                            if key in CORE_METHODS:
                                expanded = [(k, v) for alt in CORE_METHODS[key]
                                            for k, v in alt.items()]
                            for k, v in expanded:
                                all_keys.add(k)
                                values.setdefault(k, []).append(v)
        for key in sorted(all_keys, key=list(values).index):
            if key in self.copies or key in self.checkbox_option or key.endswith("?"):
                continue
            seen = values[key]
            if any(isinstance(v, dict) for v in seen):
                continue
            if all(isinstance(v, bool) for v in seen if v is not None):
                continue  # flags inferred by CORE (is_la_inferred): not something to ask
            present = [v for v in seen if v is not None]
            if all(isinstance(v, int) for v in present):
                options = sorted({str(v) for v in present}, key=int)
            elif all(isinstance(v, str | int) for v in present):
                options = sorted({str(v) for v in present})
            else:
                continue
            qid = self.ids.allocate(key)
            symbol = Symbol(qid, "choice", options, -1)
            known = SETUP_FIELDS.get(key, {})
            self.setup[key] = {
                "symbol": symbol,
                "question": {
                    "type": "choice",
                    "label": str(known.get("label") or f"{humanise(key)} (set in CORE's setup "
                                                          "section)"),
                    "options": {o: known.get("options", {}).get(o, o) for o in options},
                },
            }
            self.out.note(f"depends_on {key}", f"setup field {key}", "not defined in this file "
                          "(CORE's setup section is in code): added to a first 'setup' step with "
                          f"the values the conditions test ({', '.join(options)})")
        for key in self.soft.fields_read(pages):
            if key in self.setup or key in self.copies or key not in SETUP_FIELDS:
                continue
            known = SETUP_FIELDS[key]
            kind = "choice" if "options" in known else str(known["type"])
            question: dict[str, Any] = {"type": kind, "label": known["label"]}
            if "options" in known:
                question["options"] = dict(known["options"])
            symbol = Symbol(self.ids.allocate(key), kind,
                            list(known["options"]) if "options" in known else None, -1)
            self.setup[key] = {"symbol": symbol, "question": question}
            self.out.note(f"soft validations: {key}", f"setup field {key}", "not defined in this "
                          "file (CORE's setup section is in code): added to the first 'setup' "
                          "step, since the translated soft validations read it")

    def run(self) -> ImportResult:
        pages = self.pages()
        if not pages:
            raise ImportRefused(f"{self.path.name}: the form has no page")
        # Pass 1: ids for every question, in reading order (pages before their variants).
        for _, _, _, page in pages:
            if self.is_interruption(page):
                # Its place: the questions asked before it are those it may test.
                page["_order"] = self.order
                continue
            for qid, question in (page.get("questions") or {}).items():
                if not isinstance(question, dict):
                    continue
                qtype, extra = self.question_type(question)
                if qtype is None:
                    continue
                symbol = Symbol(self.ids.allocate(qid), qtype,
                                list(extra["options"]) if "options" in extra else None, self.order)
                self.order += 1
                question["_symbol"] = symbol
                question["_extra"] = extra
                self.page_of[symbol.id] = page
                self.source_questions.setdefault(qid, question)
                self.copies.setdefault(qid, []).append(symbol)
                if qtype == "multichoice":
                    for option in extra["options"]:
                        self.checkbox_option.setdefault(option, []).append(symbol)
        self.declare_setup(pages)
        steps: dict[str, dict[str, Any]] = {}
        comments: dict[tuple[str, ...], str] = {}
        if self.setup:
            setup_id = self.ids.allocate("setup", "step")
            steps[setup_id] = {
                "title": "Setup (from CORE's setup section)",
                "intro": "These answers are collected by CORE's setup section, which is not part "
                         "of the imported file; the form's conditions test them.",
                "questions": {v["symbol"].id: v["question"] for v in self.setup.values()},
            }
            comments[("steps", setup_id)] = ("not in the file: setup fields tested by depends_on "
                                             "and by the soft validations")
        subsection_conditions: dict[str, str | None] = {}
        for section_id, sub_id, sub, page in pages:
            page_id = page["_id"]
            ref = f"sections.{section_id}.subsections.{sub_id}.pages.{page_id}"
            symbols = [q["_symbol"] for q in (page.get("questions") or {}).values()
                       if isinstance(q, dict) and "_symbol" in q]
            first = page["_order"] if "_order" in page else min(
                (s.order for s in symbols), default=self.order)
            if sub_id not in subsection_conditions:
                subsection_conditions[sub_id] = None
                if sub.get("depends_on") == [{SETUP_COMPLETED: True}] and self.setup:
                    # The setup step comes first and its questions are required: past it,
                    # the setup section is complete on every path, so no condition is needed.
                    self.out.condition(True)
                    self.method_notes.add(SETUP_COMPLETED)
                elif sub.get("depends_on"):
                    subsection_conditions[sub_id] = self.translate(
                        sub["depends_on"], first, f"sections.{section_id}.subsections.{sub_id}")
                    if subsection_conditions[sub_id] is None:
                        self.out.note(f"sections.{section_id}.subsections.{sub_id}",
                                      "subsection condition", "not translated: its pages are "
                                      "shown whenever their own condition holds")
            if self.is_interruption(page):
                confirmation = self.soft.page(ref, page, subsection_conditions[sub_id])
                if confirmation is not None:
                    step_id, soft_step, qid, question_ref = confirmation
                    steps[step_id] = soft_step
                    where = f"{ref} ({sub['label']})" if sub.get("label") else ref
                    comments[("steps", step_id)] = f"{where}: soft validation"
                    comments[("__q__", qid)] = question_ref
                continue
            page_when: str | None = None
            if page.get("depends_on"):
                page_when = self.translate(page["depends_on"], first, ref)
                if page_when is None:
                    self.out.note(ref, f"page {page_id}", "its condition was not translated: "
                                  "its questions are always shown, and optional")
            failed = bool(page.get("depends_on")) and page_when is None
            questions: dict[str, Any] = {}
            for qid, source in (page.get("questions") or {}).items():
                if not isinstance(source, dict):
                    continue
                built = self.question(qid, source, page, ref)
                if built is None:
                    continue
                symbol = source["_symbol"]
                reveal = self.revealed_by(qid, page, symbol, ref)
                when = joined(subsection_conditions[sub_id], page_when, reveal)
                if when:
                    built["when"] = when
                if failed:
                    built["required"] = False
                questions[symbol.id] = built
                comments[("__q__", symbol.id)] = f"{ref}.questions.{qid}"
            if not questions:
                self.out.note(ref, f"page {page_id}", "no question to import")
                continue
            step_id = self.ids.allocate(page_id, "page")
            title = page.get("header") or next(
                (q.get("label") for q in questions.values() if q.get("label")), None
            ) or humanise(page_id)
            step: dict[str, Any] = {"title": html_to_text(str(title)), "questions": questions}
            if page.get("description"):
                step["intro"] = html_to_text(str(page["description"]))
            steps[step_id] = step
            comments[("steps", step_id)] = f"{ref} ({sub.get('label')})" if sub.get("label") \
                else ref
        self.soft.merge_repeated()
        self.out.note("questions.*.check_answer_label", "check_answer_label",
                      "the short labels of CORE's check-answers page: used only as the label of "
                      "a question without header (the review page shows the labels)")
        labels = [f"{sub_id}: {sub.get('label')}" for sub_id, sub in
                  {sub_id: sub for _, sub_id, sub, _ in pages}.items() if sub.get("label")]
        if labels:
            self.out.note("sections, subsections", "; ".join(labels),
                          "a journey has no sections: the steps follow each other, the "
                          "subsection is named in the comment above each step")
        for key in sorted(self.method_notes):
            if key == SETUP_COMPLETED:
                reason = ("CORE's method checks that the setup section is complete; the setup "
                          "step comes first and its questions are required, so it holds on every "
                          "step after it (elsewhere: every setup field answered)")
            else:
                reason = ("translated from its Ruby definition in CORE's lettings_log.rb: "
                          + short_json(CORE_METHODS[key]))
            self.out.note(f"model method {key}", key, reason)
        self.soft.notes()
        if self.optional:
            self.out.note(", ".join(self.optional), "optional questions", "CORE never requires "
                          "them (OPTIONAL_FIELDS of its lettings_log.rb): required: false")
        for key, qids in self.grouped.items():
            self.out.note(", ".join(sorted(set(qids))), key, _GROUP_REASONS.get(
                key, "no equivalent in the format"))
        outcome = self.ids.allocate("submit", "outcome")
        ordered = list(steps)
        for i, step_id in enumerate(ordered):
            steps[step_id]["next"] = ordered[i + 1] if i + 1 < len(ordered) else outcome
        for step_id, step in steps.items():
            for qid in step["questions"]:
                text = comments.pop(("__q__", qid), None)
                if text:
                    comments[("steps", step_id, "questions", qid)] = text
        start = str(self.data.get("start_date") or "")[:4]
        end = str(self.data.get("end_date") or "")[:4]
        kind = str(self.data.get("form_type") or "form")
        title = f"CORE {kind} log {start}/{end}" if start and end else f"CORE {kind} log"
        for key in ("unresolved_log_redirect_page_id",):
            if self.data.get(key):
                self.out.note(key, f"{key}: {self.data[key]}", "no equivalent in the format")
        journey: dict[str, Any] = {
            "parcours": 1,
            "id": slug_journey_id(f"core-{kind}-{self.path.stem}"),
            "title": title,
            "organisation": "Ministry of Housing, Communities and Local Government (CORE)",
            "languages": ["en"],
            "start": ordered[0],
            **({"computed": self.soft.computed} if self.soft.computed else {}),
            "steps": steps,
            "outcomes": {outcome: {"kind": "submit", "title": "Check your answers and submit"}},
        }
        comments.update(self.soft.comments)
        return ImportResult(journey, comments, self.out.notes, self.out.stats, "dluhc")

    def revealed_by(self, qid: str, page: dict[str, Any], symbol: Symbol, ref: str) -> str | None:
        """The condition under which another question of the page reveals `qid` inline."""
        for other_id, other in (page.get("questions") or {}).items():
            if not isinstance(other, dict) or not isinstance(other.get("conditional_for"), dict):
                continue
            values = other["conditional_for"].get(qid)
            if values is None or "_symbol" not in other:
                continue
            owner: Symbol = other["_symbol"]
            try:
                if owner.order >= symbol.order:
                    raise Untranslatable(f"{other_id} comes after {qid} on the page")
                if not isinstance(values, list) or not values:
                    raise Untranslatable(f"conditional_for {values!r} is not a list of values")
                text = finish(or_(*[compare(owner, "==", v) for v in values]))
            except Untranslatable as exc:
                self.out.condition(False)
                self.out.note(f"{ref}.questions.{other_id}", f"conditional_for {qid}", str(exc))
                return None
            self.out.condition(True)
            return text
        return None

    def question(self, qid: str, source: dict[str, Any], page: dict[str, Any],
                 ref: str) -> dict[str, Any] | None:
        kind = source.get("type")
        if "_symbol" not in source:
            if kind == "numeric_output":
                self.out.note(f"{ref}.questions.{qid}", f"numeric_output {qid}", "a read-only "
                              "total computed in the page by script: not a question")
            else:
                self.out.note(f"{ref}.questions.{qid}", f"{kind} {qid}", "no equivalent "
                              "question type")
            return None
        symbol: Symbol = source["_symbol"]
        self.out.stats.questions += 1
        label = source.get("header") or source.get("check_answer_label") or humanise(qid)
        question: dict[str, Any] = {"type": symbol.type, "label": html_to_text(str(label))}
        hint = source.get("hint_text")
        if hint:
            question["help"] = html_to_text(str(hint))
        question.update(source.get("_extra") or {})
        if qid in OPTIONAL_FIELDS:
            question["required"] = False
            self.optional.append(symbol.id)
        prefix, suffix = source.get("prefix"), source.get("suffix")
        if symbol.type in ("integer", "decimal"):
            unit = " ".join(str(x).strip() for x in (prefix, suffix) if isinstance(x, str) and x)
            if unit:
                question["unit"] = unit
            if isinstance(suffix, list):
                self.group("suffix chosen by another answer", symbol.id)
        if any(isinstance(v, dict) and v.get("hint") for v in
               (source.get("answer_options") or {}).values()):
            self.group("hints on options", symbol.id)
        for key, value in source.items():
            if key not in _READ_KEYS and not key.startswith("_") and value not in (
                    None, "", False, [], {}):
                self.group(key, symbol.id)
        return question


# Question keys the import reads; any other key is noted, grouped, with the question ids.
_READ_KEYS = {"header", "type", "check_answer_label", "hint_text", "answer_options", "min", "max",
              "step", "prefix", "suffix", "conditional_for"}

_GROUP_REASONS = {
    "width": "input widths are the renderer's business",
    "check_answers_card_number": "the check-answers page of a journey has no cards",
    "hidden_in_check_answers": "the check-answers page of a journey shows every shown answer: "
                               "hiding some answers there has no equivalent",
    "inferred_answers": "answers CORE infers from others have no equivalent",
    "inferred_check_answers_value": "no equivalent",
    "readonly": "read-only questions have no equivalent",
    "requires_js": "no equivalent (pages work without scripts)",
    "top_guidance_partial": "guidance partials are Rails templates, not in the file",
    "bottom_guidance_partial": "guidance partials are Rails templates, not in the file",
    "disable_clearing_if_not_routed_or_dynamic_answer_options": "a journey keeps only the answers "
                                                                "of shown questions",
    "hints on options": "option hints have no equivalent: the option labels are kept",
    "title_text and informative_text": "the title and text of CORE's interruption screens are "
                                       "translation keys of its locale files, not in the form: "
                                       "the step is titled by the question's check-answers "
                                       "label and lists the answers to check",
    "suffix chosen by another answer": "a unit that depends on another answer: the fixed prefix "
                                       "is kept",
}


def import_dluhc(path: Path, data: Any) -> ImportResult:
    """Import a DLUHC CORE form definition (JSON)."""
    return DLUHCImporter(path, data).run()


__all__ = ["import_dluhc", "option_value"]
