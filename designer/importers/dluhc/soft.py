"""CORE's interruption screens ("are you sure?" soft validations) → confirmation questions.

A CORE interruption page holds one question (``*_value_check``, Yes/No) and is
shown when a method of CORE's Ruby model holds. Each page becomes a step whose
confirmation question is shown when the method's translation holds (the
translations are the project's table, :mod:`.soft_rules`):

* the question keeps CORE's options (``0`` Yes, ``1`` No). In CORE, *No* sends
  the user back to the page before, to change the answers the page lists
  (``interruption_screen_question_ids``); a journey never goes back, so a check
  refuses *No* with a message to go back and change those answers, which the
  step's intro lists by their check-answers labels;
* CORE repeats some checks after each answer they test (the pregnancy check
  follows every member's age and gender) so that a change made from the
  check-answers page is confirmed at once. A copy placed before an answer its
  condition tests (the pregnancy question comes later) is asked once instead,
  at the later page of the same question whose condition it implies: a
  journey recomputes the pages after a change, so the same answers trigger the
  same confirmation. The merge is noted and counted
  (``ImportStats.conditions_merged``);
* a page whose method cannot be translated (rent ranges held in CORE's
  database…) is not imported: asking "are you sure?" of everyone would be
  wrong. It is noted with the reason.
"""

from __future__ import annotations

from typing import Any, Protocol

from designer.expressions import BinOp, BoolOp, Call, Compare, Expr, ListLit, Literal, Name, Unary
from designer.expressions import parse as parse_expression

from ..common import (
    AskedLater,
    Collector,
    Ids,
    NeverHolds,
    Symbol,
    Untranslatable,
    finish,
    joined,
    not_,
)
from ..html_text import html_to_text
from .model import CORE_METHODS, SETUP_FIELDS, answer_options, humanise
from .soft_rules import HELPERS, RULES, fields_read

#: What a "No" leads to, as the check on the confirmation says it.
NO_MESSAGE = ("Go back and change the answers listed on this page, or answer Yes if they are "
              "right.")
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


class FormImport(Protocol):
    """What the soft validations use of the import of the rest of the form (the importer
    of .importer, which creates them: named here as a protocol, so that this module does
    not import that one)."""

    out: Collector
    ids: Ids
    #: Journey questions of each CORE field (a field asked on several variant pages).
    copies: dict[str, list[Symbol]]
    #: CORE's setup fields asked by the journey: field → {"symbol", "question"}.
    setup: dict[str, dict[str, Any]]
    #: The page each journey question was imported from, and each field's first question.
    page_of: dict[str, dict[str, Any]]
    source_questions: dict[str, dict[str, Any]]

    def atom(self, key: str, value: Any, before: int) -> Expr:
        """A test of one CORE field (or method) against a value, as asked before `before`."""
        ...

    def refs(self, key: str, before: int) -> list[Symbol]:
        """The journey questions of a CORE field asked before page order `before`."""
        ...

    def depends_on(self, alternatives: Any, before: int) -> Expr:
        """A CORE ``depends_on`` list (alternatives of conjunctions) as an expression."""
        ...

    def group(self, key: str, qid: str) -> None:
        """Record that question `qid` has the source key `key`, which the format cannot
        carry: one import note per key lists every such question."""
        ...


class SoftValidations:
    """The interruption pages of one CORE form, imported by the DLUHC importer."""

    def __init__(self, importer: FormImport) -> None:
        self.importer = importer
        #: Computed values the translated rules use (journey id → expression) and comments.
        self.computed: dict[str, str] = {}
        self.comments: dict[tuple[str, ...], str] = {}
        self.helper_ids: dict[str, str] = {}
        self.used: set[str] = set()
        #: Imported pages: (page, CORE question id, journey question id, step id).
        self.imported: list[tuple[dict[str, Any], str, str, str]] = []
        #: Pages whose condition tests a later answer: (source ref, page, reason).
        self.pending: list[tuple[str, dict[str, Any], str]] = []

    # -- the table ------------------------------------------------------------------------

    @staticmethod
    def knows(method: str) -> bool:
        """Whether `method` is a soft-validation method of the table (translated or not)."""
        return method in RULES

    @staticmethod
    def fields_read(pages: list[tuple[str, str, dict[str, Any], dict[str, Any]]]) -> list[str]:
        """CORE fields the translated rules of these pages read, in first-use order."""
        found: dict[str, None] = {}
        for _, _, _, page in pages:
            for alternative in page.get("depends_on") or []:
                if not isinstance(alternative, dict):
                    continue
                for key in alternative:
                    rule = RULES.get(str(key))
                    if rule is not None and rule.when is not None:
                        found.update(dict.fromkeys(sorted(fields_read(rule.when))))
        return list(found)

    def rule(self, method: str, before: int) -> Expr:
        """The translation of `method` for a page placed after `before` questions."""
        rule = RULES[method]
        if rule.when is None:
            raise Untranslatable(f"{method}: {rule.reason}")
        expr = self.expression(parse_expression(rule.when), before, {})
        self.used.add(method)
        return expr

    def helper(self, name: str, before: int) -> str:
        """The journey id of a helper of the table, added as a computed value on first use."""
        if name in self.helper_ids:
            return self.helper_ids[name]
        helper = HELPERS[name]
        text = finish(self.expression(parse_expression(helper.expression), before, {}))
        ident = self.importer.ids.allocate(name, "value")
        self.helper_ids[name] = ident
        self.computed[ident] = text
        self.comments[("computed", ident)] = f"CORE's {helper.source}: {helper.meaning}"
        return ident

    # -- expressions over CORE's field names ------------------------------------------------

    def expression(self, node: Expr, before: int, fixed: dict[str, Any]) -> Expr:
        """A table expression over CORE fields → the same test over the journey's ids.

        A test of a field against a value goes through the importer's `atom`, as a
        `depends_on` test does (every copy of a field asked on variant pages, option
        values, setup fields). `fixed` holds the equalities of the enclosing `and`,
        which tell which variant page's copy an arithmetic test means.
        """
        importer = self.importer
        if isinstance(node, BoolOp):
            inner = dict(fixed)
            if node.op == "and":
                inner.update(self._equalities(node.operands))
            parts: list[Expr] = []
            never: list[str] = []
            for operand in node.operands:
                try:
                    parts.append(self.expression(operand, before, inner))
                except NeverHolds as exc:
                    if node.op == "and":
                        raise
                    never.append(str(exc))  # an alternative that cannot hold: dropped
            if not parts:
                raise NeverHolds("; ".join(never))
            return BoolOp(node.op, tuple(parts)) if len(parts) > 1 else parts[0]
        if isinstance(node, Unary) and node.op == "not":
            return not_(self.expression(node.operand, before, fixed))
        if isinstance(node, Call) and node.func == "answered" and self._field(node.args[0]):
            assert isinstance(node.args[0], Name)
            return not_(importer.atom(node.args[0].id, None, before))
        if (isinstance(node, Compare) and len(node.ops) == 1 and node.ops[0] in _COMPARISONS
                and self._field(node.left) and isinstance(node.comparators[0], Literal)):
            assert isinstance(node.left, Name)
            field, op, value = node.left.id, node.ops[0], node.comparators[0].value
            if value is None:
                absent = importer.atom(field, None, before)
                return absent if op == "==" else not_(absent)
            if op == "==":
                return importer.atom(field, value, before)
            return importer.atom(field, {"operator": op, "operand": value}, before)
        if isinstance(node, Name) and node.id in HELPERS:
            return Name(self.helper(node.id, before))
        return self._renamed(node, before, fixed)

    def _field(self, node: Expr) -> bool:
        return isinstance(node, Name) and node.id not in HELPERS

    def _equalities(self, operands: tuple[Expr, ...]) -> dict[str, Any]:
        """`field == value` tests among `operands`, on fields asked once (or set up)."""
        found: dict[str, Any] = {}
        for operand in operands:
            if (isinstance(operand, Compare) and operand.ops == ("==",)
                    and isinstance(operand.left, Name)
                    and isinstance(operand.comparators[0], Literal)
                    and len(self.importer.copies.get(operand.left.id, [])) == 1):
                found[operand.left.id] = operand.comparators[0].value
        return found

    def _renamed(self, node: Expr, before: int, fixed: dict[str, Any]) -> Expr:
        """Arithmetic, dates and chained comparisons: each field named by its journey id."""
        if isinstance(node, Name):
            if node.id in HELPERS:
                return Name(self.helper(node.id, before))
            return Name(self._journey_id(node.id, before, fixed))
        if isinstance(node, Literal):
            return node
        if isinstance(node, ListLit):
            return ListLit(tuple(self._renamed(item, before, fixed) for item in node.items))
        if isinstance(node, Unary):
            return Unary(node.op, self._renamed(node.operand, before, fixed))
        if isinstance(node, BinOp):
            return BinOp(node.op, self._renamed(node.left, before, fixed),
                         self._renamed(node.right, before, fixed))
        if isinstance(node, Compare):
            return Compare(self._renamed(node.left, before, fixed), node.ops,
                           tuple(self._renamed(c, before, fixed) for c in node.comparators))
        if isinstance(node, Call):
            return Call(node.func, tuple(self._renamed(a, before, fixed) for a in node.args))
        return self.expression(node, before, fixed)

    def _journey_id(self, field: str, before: int, fixed: dict[str, Any]) -> str:
        importer = self.importer
        if field in importer.copies:
            copies = importer.refs(field, before)
            if len(copies) > 1:
                copies = [s for s in copies if self._admits(importer.page_of[s.id], fixed)]
            if not copies:
                raise NeverHolds(f"no page asks {field} when {fixed}")
            if len(copies) > 1:
                raise Untranslatable(f"{field} is asked on several pages and the test does not "
                                     "say which")
            return copies[0].id
        if field in importer.setup:
            return str(importer.setup[field]["symbol"].id)
        raise Untranslatable(f"{field} is neither a question of the form nor a setup field")

    @staticmethod
    def _admits(page: dict[str, Any], fixed: dict[str, Any]) -> bool:
        """Whether the page's `depends_on` can hold together with the equalities `fixed`."""
        alternatives = page.get("depends_on")
        if not alternatives:
            return True

        def allows(alternative: dict[str, Any], field: str, value: Any) -> bool:
            values: set[Any] | None = None
            if field in alternative and not isinstance(alternative[field], dict):
                values = {alternative[field]}
            for key, truth in alternative.items():
                if key in CORE_METHODS and truth is True:
                    implied = {a[field] for a in CORE_METHODS[key] if field in a}
                    if implied:
                        values = implied if values is None else values & implied
            return values is None or value in values

        return any(isinstance(alt, dict) and all(allows(alt, f, v) for f, v in fixed.items())
                   for alt in alternatives)

    # -- pages ----------------------------------------------------------------------------

    def page(self, ref: str, page: dict[str, Any],
             subsection_when: str | None) -> tuple[str, dict[str, Any], str, str] | None:
        """The step of an interruption page: (step id, step, question id, question's source).

        None when the page is not imported (its condition is not translated, or waits for
        the merge with a later page: see :meth:`merge_repeated`).
        """
        importer = self.importer
        page_id = page["_id"]
        found = [(k, q) for k, q in (page.get("questions") or {}).items()
                 if isinstance(q, dict) and q.get("type") == "interruption_screen"]
        if len(found) != 1:
            if page.get("depends_on"):
                importer.out.condition(False)
            importer.out.note(ref, f"interruption screen {page_id}", "not one confirmation "
                              "question: not imported")
            return None
        source_id, source = found[0]
        when: str | None = None
        if page.get("depends_on"):
            try:
                when = finish(importer.depends_on(page["depends_on"], page["_order"]))
            except AskedLater as exc:
                self.pending.append((ref, page, str(exc)))  # counted by merge_repeated()
                return None
            except Untranslatable as exc:
                importer.out.condition(False)
                importer.out.note(ref, f"soft validation {page_id}", "not imported: its "
                                  f"condition is not translated ({exc}); asking 'are you "
                                  "sure?' of everyone would be wrong")
                return None
            importer.out.condition(True)
        qid = importer.ids.allocate(source_id)
        options = answer_options(source)
        header = source.get("header") or source.get("check_answer_label") or humanise(source_id)
        question: dict[str, Any] = {"type": "choice", "label": html_to_text(str(header)),
                                    "options": options}
        if source.get("hint_text"):
            question["help"] = html_to_text(str(source["hint_text"]))
        condition = joined(subsection_when, when)
        if condition:
            question["when"] = condition
        yes = [key for key, label in options.items() if label.strip().lower() == "yes"]
        if len(options) == 2 and len(yes) == 1:
            question["checks"] = [{"rule": f'{qid} == "{yes[0]}"', "message": NO_MESSAGE}]
        else:
            importer.out.note(f"{ref}.questions.{source_id}", "answer No", "not a Yes/No "
                              "question: a No is kept as an answer")
        importer.out.stats.questions += 1
        for key, value in source.items():
            if key in ("hidden_in_check_answers", "check_answers_card_number") and value:
                importer.group(key, qid)
        if page.get("title_text") or page.get("informative_text"):
            importer.group("title_text and informative_text", qid)
        step_id = importer.ids.allocate(page_id, "page")
        title = source.get("check_answer_label") or header
        step: dict[str, Any] = {"title": html_to_text(str(title))}
        listed = page.get("interruption_screen_question_ids") or []
        labels = [self._label(str(field)) for field in listed]
        if labels:
            step["intro"] = "Answers to check:\n\n" + "\n".join(f"- {label}" for label in labels)
        step["questions"] = {qid: question}
        self.imported.append((page, source_id, qid, step_id))
        return step_id, step, qid, f"{ref}.questions.{source_id}"

    def _label(self, field: str) -> str:
        """How the check-answers page names a field of CORE (its short label)."""
        source = self.importer.source_questions.get(field)
        if source is not None:
            return html_to_text(str(source.get("check_answer_label") or source.get("header")
                                    or humanise(field)))
        known = SETUP_FIELDS.get(field, {})
        return str(known.get("short") or known.get("label") or humanise(field))

    def merge_repeated(self) -> None:
        """Count the pages that test a later answer: merged into a later page, or not imported.

        The merged pages are noted together, one note per page they are merged into.
        """
        out = self.importer.out
        merged: dict[tuple[str, str, str], list[str]] = {}
        for ref, page, reason in self.pending:
            target = self._implied_by_later(page)
            if target is None:
                out.condition(False)
                out.note(ref, f"soft validation {page['_id']}", f"not imported: {reason}")
                continue
            out.condition(True)
            out.stats.conditions_merged += 1
            later, qid = target
            where = ref.rsplit(".pages.", 1)[0] + ".pages"
            merged.setdefault((where, f"{qid} (page {later['_id']})", reason), []).append(
                page["_id"])
        for (where, target_text, reason), page_ids in merged.items():
            out.note(f"{where}: {', '.join(page_ids)}", f"{len(page_ids)} soft validation pages",
                     f"asked once, as {target_text}, where every answer they test is known "
                     f"({reason}); the condition of each implies the one there. CORE repeats the "
                     "check after each answer it tests so that a change is confirmed at once; a "
                     "journey recomputes the pages after a change, so the same answers lead to "
                     "the same confirmation")

    def _implied_by_later(self, page: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
        """A later imported page with the same question whose condition `page`'s implies."""
        questions = list((page.get("questions") or {}).keys())
        for other, source_id, qid, _ in self.imported:
            if other["_order"] >= page["_order"] and source_id in questions and _implies(
                    page.get("depends_on") or [], other.get("depends_on") or []):
                return other, qid
        return None

    def notes(self) -> None:
        """One note per translated method: what it means and where it was read."""
        for method in sorted(self.used):
            rule = RULES[method]
            reason = f"translated from CORE's {rule.source}: {rule.meaning}"
            if rule.approximation:
                reason += f". Approximate: {rule.approximation}"
            self.importer.out.note(f"model method {method}", method, reason)


def _implies(narrow: list[Any], wide: list[Any]) -> bool:
    """Whether `depends_on` `narrow` implies `wide`: each alternative extends one of wide's."""
    def extends(alternative: Any, base: Any) -> bool:
        return isinstance(alternative, dict) and isinstance(base, dict) and all(
            key in alternative and alternative[key] == value for key, value in base.items())

    return bool(wide) and all(any(extends(a, b) for b in wide) for a in narrow)
