"""A journey's runs as z3 constraints, linear in its size: one reach variable per step,
one "shown" and one value per question, the first-match rule of `next` lists and
three-valued logic; a model of them becomes typed answers (:meth:`Encoder.answers`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import z3

from designer.compiled import QuestionInfo
from designer.expressions.ast import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLit,
    Literal,
    Name,
    Unary,
)
from designer.presence import fewest_items, is_list
from designer.unsure import UNKNOWN_PREFIX
from designer.values import EARLIEST_DATE, LATEST_DATE
from designer.values.bounds import check_bounds

from .context import Context
from .samples import sample_for, sample_item


@dataclass
class Sym:
    """A symbolic value: `null` holds when it is null/unknown; `val` otherwise."""

    null: z3.BoolRef
    val: Any
    kind: str  # bool, num, str, date, multi, other


class Encoder:
    """The constraints of one journey's runs (acyclic graph)."""

    def __init__(self, ctx: Context, today: datetime.date):
        self.ctx = ctx
        self.journey = ctx.journey
        self.today = today
        self.strings: dict[str, int] = {}
        self.fresh = 0
        self.values: dict[str, Sym] = {}
        self.multi: dict[str, dict[str, z3.BoolRef]] = {}
        self.shown: dict[str, z3.BoolRef] = {}
        self.reach: dict[str, z3.BoolRef] = {}
        self.stuck: dict[str, z3.BoolRef] = {}
        self.taken: dict[tuple[str, int], z3.BoolRef] = {}
        self.constraints: list[z3.BoolRef] = []
        self._computed: dict[str, Sym] = {}
        self._active: set[str] = set()
        self._enforce: dict[str, z3.BoolRef] = {}
        self._valid: dict[str, z3.BoolRef] = {}
        self.today_var = z3.Int("today")
        #: Assumed by witness queries only: makes calendar approximations exact.
        self.hint = z3.Bool("witness_hint")
        self.fixed_today = z3.And(self.today_var == today.toordinal(), self.hint)
        self.counts: dict[str, z3.ArithRef] = {}
        self._build()

    # ------------------------------------------------------------- values
    def code(self, s: str) -> int:
        """The integer standing for a string (choices and literals)."""
        if s not in self.strings:
            self.strings[s] = len(self.strings)
        return self.strings[s]

    def _free(self, kind: str = "other") -> Sym:
        self.fresh += 1
        n = self.fresh
        null = z3.Bool(f"free_null_{n}")
        if kind == "bool":
            return Sym(null, z3.Bool(f"free_b_{n}"), kind)
        return Sym(null, z3.Real(f"free_r_{n}"), "num" if kind == "other" else kind)

    def _declare(self, q: QuestionInfo) -> None:
        null = z3.Bool(f"null_{q.id}")
        t = q.type
        if t == "yesno":
            self.values[q.id] = Sym(null, z3.Bool(f"v_{q.id}"), "bool")
        elif t == "integer":
            self.values[q.id] = Sym(null, z3.Int(f"v_{q.id}"), "num")
        elif t == "decimal":
            self.values[q.id] = Sym(null, z3.Real(f"v_{q.id}"), "num")
        elif t == "date":
            self.values[q.id] = Sym(null, z3.Int(f"v_{q.id}"), "date")
        elif t == "choice":
            self.values[q.id] = Sym(null, z3.Int(f"v_{q.id}"), "str")
        elif t == "multichoice":
            opts = {o: z3.Bool(f"m_{q.id}_{i}") for i, o in enumerate(q.options or {})}
            self.multi[q.id] = opts
            self.values[q.id] = Sym(null, None, "multi")
        elif t == "repeat":
            self.counts[q.id] = z3.Int(f"count_{q.id}")
            self.values[q.id] = Sym(null, self.counts[q.id], "other")
        else:
            self.values[q.id] = Sym(null, z3.Int(f"v_{q.id}"), "other")

    def name(self, ident: str) -> Sym:
        """The symbolic value of an answer or computed value."""
        if ident in self.values:
            return self.values[ident]
        tree = self.journey.computed.get(ident)
        if tree is not None and ident not in self._active:
            if ident not in self._computed:
                self._active.add(ident)
                try:
                    self._computed[ident] = self.expr(tree)
                finally:
                    self._active.discard(ident)
            return self._computed[ident]
        if ident.startswith(UNKNOWN_PREFIX):
            # An unsure expression (designer.unsure): any truth value, null included.
            if ident not in self._computed:
                self._computed[ident] = self._free("bool")
            return self._computed[ident]
        return Sym(z3.BoolVal(True), z3.BoolVal(False), "null")

    # ------------------------------------------------------------- expressions
    def expr(self, e: Expr) -> Sym:
        """Encode an expression with three-valued logic (unknown ⇔ null)."""
        if isinstance(e, Literal):
            v = e.value
            if v is None:
                return Sym(z3.BoolVal(True), z3.BoolVal(False), "null")
            if isinstance(v, bool):
                return Sym(z3.BoolVal(False), z3.BoolVal(v), "bool")
            if isinstance(v, int):
                return Sym(z3.BoolVal(False), z3.IntVal(v), "num")
            if isinstance(v, float):
                return Sym(z3.BoolVal(False), z3.RealVal(v), "num")
            return Sym(z3.BoolVal(False), z3.IntVal(self.code(v)), "str")
        if isinstance(e, Name):
            return self.name(e.id)
        if isinstance(e, Unary):
            a = self.expr(e.operand)
            if e.op == "not" and a.kind == "bool":
                return Sym(a.null, z3.Not(a.val), "bool")
            if e.op == "-" and a.kind == "num":
                return Sym(a.null, -a.val, "num")
            return self._free("bool" if e.op == "not" else "num")
        if isinstance(e, BoolOp):
            parts = [self.truth(x) for x in e.operands]
            if e.op == "and":
                all_t = z3.And([t for t, _ in parts])
                any_f = z3.Or([f for _, f in parts])
                return Sym(z3.And(z3.Not(all_t), z3.Not(any_f)), all_t, "bool")
            any_t = z3.Or([t for t, _ in parts])
            all_f = z3.And([f for _, f in parts])
            return Sym(z3.And(z3.Not(any_t), z3.Not(all_f)), any_t, "bool")
        if isinstance(e, Compare):
            parts = []
            left = e.left
            for op, right in zip(e.ops, e.comparators, strict=True):
                parts.append(self.truth_sym(self._compare(left, op, right)))
                left = right
            all_t = z3.And([t for t, _ in parts])
            any_f = z3.Or([f for _, f in parts])
            return Sym(z3.And(z3.Not(all_t), z3.Not(any_f)), all_t, "bool")
        if isinstance(e, BinOp):
            a, b = self.expr(e.left), self.expr(e.right)
            if a.kind != "num" or b.kind != "num":
                return self._free("num")
            if e.op == "+":
                return Sym(z3.Or(a.null, b.null), a.val + b.val, "num")
            if e.op == "-":
                return Sym(z3.Or(a.null, b.null), a.val - b.val, "num")
            if e.op == "*":
                return Sym(z3.Or(a.null, b.null), a.val * b.val, "num")
            return Sym(
                z3.Or(a.null, b.null, b.val == 0), _real(a.val) / _real(b.val), "num"
            )
        if isinstance(e, Call):
            if e.func == "date" and e.args and isinstance(e.args[0], Literal):
                try:
                    d = datetime.date.fromisoformat(str(e.args[0].value))
                except ValueError:
                    return self._free("date")
                return Sym(z3.BoolVal(False), z3.IntVal(d.toordinal()), "date")
            if e.func == "today":
                # Free: a proof must hold whatever the day; witnesses fix it (`fixed_today`).
                return Sym(z3.BoolVal(False), self.today_var, "date")
            if e.func == "days_between" and len(e.args) == 2:
                a, b = self.expr(e.args[0]), self.expr(e.args[1])
                if a.kind == "date" and b.kind == "date":
                    return Sym(z3.Or(a.null, b.null), b.val - a.val, "num")
                return self._free("num")
            if e.func in ("age", "years_between"):
                if e.func == "age" and len(e.args) == 1:
                    a, b = self.expr(e.args[0]), Sym(z3.BoolVal(False), self.today_var, "date")
                elif e.func == "years_between" and len(e.args) == 2:
                    a, b = self.expr(e.args[0]), self.expr(e.args[1])
                else:
                    return self._free("num")
                if a.kind != "date" or b.kind != "date":
                    return self._free("num")
                return Sym(z3.Or(a.null, b.null), self._years(b.val - a.val), "num")
            if e.func == "len" and len(e.args) == 1 and isinstance(e.args[0], Name):
                ident = e.args[0].id
                if ident in self.multi or ident in self.counts:
                    return Sym(self.values[ident].null, self.count(ident), "num")
                return self._free("num")
            if e.func == "answered" and e.args and isinstance(e.args[0], Name):
                # An empty list is an answer (designer.presence).
                a = self.name(e.args[0].id)
                return Sym(z3.BoolVal(False), z3.Not(a.null), "bool")
            return self._free("num")
        return self._free()

    def _years(self, days: Any) -> z3.ArithRef:
        """Full years in `days` days: bounds that hold for any calendar (sound for proofs),
        and, under the `hint` literal, a mid-year margin that makes witnesses exact."""
        self.fresh += 1
        years = z3.Int(f"years_{self.fresh}")
        c = self.constraints
        c.append(z3.Implies(days >= 0, z3.And(years >= 0, 365 * years <= days,
                                                days <= 366 * years + 365)))
        c.append(z3.Implies(days < 0, z3.And(years <= 0, 365 * -years <= -days,
                                               -days <= 366 * -years + 365)))
        quarter = z3.If(years >= 0, years / 4, -((-years) / 4))
        c.append(z3.Implies(self.hint, z3.And(
            z3.Implies(days >= 0, z3.And(days >= 365 * years + quarter + 30,
                                         days <= 365 * years + quarter + 330)),
            z3.Implies(days < 0, z3.And(-days >= 365 * -years - quarter + 30,
                                          -days <= 365 * -years - quarter + 330)),
        )))
        return years

    def _compare(self, left: Expr, op: str, right: Expr) -> Sym:
        a = self.expr(left)
        if op in ("in", "not in"):
            res = self._member(a, right)
            return Sym(res.null, z3.Not(res.val), "bool") if op == "not in" else res
        b = self.expr(right)
        null_lit = (isinstance(left, Literal) and left.value is None) or (
            isinstance(right, Literal) and right.value is None
        )
        if op in ("==", "!=") and null_lit:
            other = b if isinstance(left, Literal) and left.value is None else a
            same = other.null
            return Sym(z3.BoolVal(False), same if op == "==" else z3.Not(same), "bool")
        if a.kind != b.kind or a.kind in ("multi", "other", "null"):
            return self._free("bool")
        null = z3.Or(a.null, b.null)
        if op == "==":
            return Sym(null, a.val == b.val, "bool")
        if op == "!=":
            return Sym(null, a.val != b.val, "bool")
        if a.kind not in ("num", "date"):
            return self._free("bool")
        ops = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y,
               ">": lambda x, y: x > y, ">=": lambda x, y: x >= y}
        return Sym(null, ops[op](a.val, b.val), "bool")

    def _member(self, a: Sym, right: Expr) -> Sym:
        if isinstance(right, ListLit):
            items = [self.expr(i) for i in right.items]
            if any(i.kind != a.kind for i in items) or a.kind in ("multi", "other", "null"):
                return self._free("bool")
            found = z3.Or([z3.And(z3.Not(i.null), a.val == i.val) for i in items])
            some_null = z3.Or([i.null for i in items]) if items else z3.BoolVal(False)
            return Sym(z3.Or(a.null, z3.And(z3.Not(found), some_null)), found, "bool")
        if isinstance(right, Name) and right.id in self.multi:
            m = self.values[right.id]
            if a.kind != "str":
                return self._free("bool")
            options = self.multi[right.id]
            found = z3.Or([
                z3.And(a.val == self.code(o), var) for o, var in options.items()
            ]) if options else z3.BoolVal(False)
            return Sym(z3.Or(a.null, m.null), found, "bool")
        return self._free("bool")

    def truth_sym(self, s: Sym) -> tuple[z3.BoolRef, z3.BoolRef]:
        """(is true, is false) of a symbolic value used as a condition."""
        if s.kind != "bool":
            return z3.BoolVal(False), z3.Not(s.null)
        return z3.And(z3.Not(s.null), s.val), z3.And(z3.Not(s.null), z3.Not(s.val))

    def truth(self, e: Expr) -> tuple[z3.BoolRef, z3.BoolRef]:
        """(is true, is false) of a condition."""
        return self.truth_sym(self.expr(e))

    def holds(self, e: Expr | None) -> z3.BoolRef:
        """The condition holds (unknown counts as false; no condition holds)."""
        if e is None:
            return z3.BoolVal(True)
        return self.truth(e)[0]

    # ------------------------------------------------------------- the journey
    def _build(self) -> None:
        journey = self.journey
        for q in journey.questions.values():
            if q.repeat is None and q.answers:
                self._declare(q)
        for node in self.ctx.facts.order:
            self.reach[node] = z3.Bool(f"reach_{node}")
        incoming: dict[str, list[z3.BoolRef]] = {n: [] for n in self.ctx.facts.order}
        c = self.constraints
        for node in self.ctx.facts.order:
            r = self.reach[node]
            if node == journey.start:
                c.append(r)
            else:
                c.append(r == (z3.Or(incoming[node]) if incoming[node] else z3.BoolVal(False)))
            if node not in journey.steps:
                continue
            for q in self.ctx.interpreter.page.get(node, ()):
                self._question(q, r)
            failed: list[z3.BoolRef] = []
            has_default = False
            for b in journey.branches(node):
                cond = self.holds(b.when)
                taken = z3.And([r, *failed, cond])
                self.taken[(node, b.index)] = taken
                if b.target in incoming:
                    incoming[b.target].append(taken)
                if b.when is None:
                    has_default = True
                    break
                failed.append(z3.Not(cond))
            if not has_default:
                self.stuck[node] = z3.And([r, *failed])

    def enforce(self, step: str) -> z3.BoolRef:
        """The literal under which the answers of a page must be valid (page completed)."""
        if step not in self._enforce:
            self._enforce[step] = z3.Bool(f"valid_{step}")
        return self._enforce[step]

    def valid(self, qid: str) -> z3.BoolRef:
        """The literal under which one answer must be valid (implied by its page's)."""
        if qid not in self._valid:
            self._valid[qid] = z3.Bool(f"valid_q_{qid}")
        return self._valid[qid]

    def _question(self, q: QuestionInfo, reach: z3.BoolRef) -> None:
        shown = z3.Bool(f"shown_{q.id}")
        self.shown[q.id] = shown
        self.constraints.append(shown == z3.And(reach, self.holds(q.when)))
        if not q.answers or q.id not in self.values:
            return
        v = self.values[q.id]
        # What a run is: a hidden question's answer is null; a shown list's is a list,
        # possibly empty, never null (designer.presence).
        self.constraints.append(z3.Implies(z3.Not(shown), v.null))
        if is_list(q.type):
            self.constraints.append(z3.Implies(shown, z3.Not(v.null)))
        # What a completed page is: its answers are valid. Guarded, so that a proof about
        # the page itself does not depend on the citizen being able to complete it.
        c: list[z3.BoolRef] = []
        required = q.required if isinstance(q.required, bool) else None
        needed = (z3.And(shown, self.holds(q.required)) if required is None  # type: ignore[arg-type]
                  else shown if required else z3.BoolVal(False))
        if is_list(q.type):
            c.extend(self._counts(q, v, needed))
        else:
            c.append(z3.Implies(needed, z3.Not(v.null)))
        if q.type != "repeat":
            c.extend(self._domain(q, v, shown))
        if c:
            literal = self.valid(q.id)
            self.constraints.append(z3.Implies(literal, z3.And(c)))
            self.constraints.append(z3.Implies(self.enforce(q.step), literal))

    def count(self, qid: str) -> z3.ArithRef:
        """The number of items of a repeat, or of options ticked in a multichoice."""
        if qid in self.counts:
            return self.counts[qid]
        opts = list(self.multi[qid].values())
        return z3.Sum([z3.If(o, 1, 0) for o in opts]) if opts else z3.IntVal(0)

    def _counts(self, q: QuestionInfo, v: Sym, needed: z3.BoolRef) -> list[z3.BoolRef]:
        """The item counts a list answer may have: designer.presence.count_bounds."""
        count = self.count(q.id)
        self.constraints.append(z3.Implies(v.null, count == 0))
        self.constraints.append(count >= 0)
        out = [z3.Implies(z3.And(needed, z3.Not(v.null)),
                          count >= fewest_items(q.min, required=True))]
        if isinstance(q.min, int):
            out.append(z3.Implies(z3.And(z3.Not(v.null), count > 0), count >= q.min))
        if isinstance(q.max, int):
            out.append(count <= q.max)
        return out

    def _domain(self, q: QuestionInfo, v: Sym, shown: z3.BoolRef) -> list[z3.BoolRef]:
        c: list[z3.BoolRef] = []
        some = z3.Not(v.null)
        if q.type in ("integer", "decimal"):
            if isinstance(q.min, (int, float)):
                c.append(z3.Implies(some, v.val >= q.min))
            if isinstance(q.max, (int, float)):
                c.append(z3.Implies(some, v.val <= q.max))
        elif q.type == "choice":
            codes = [self.code(o) for o in (q.options or {})]
            c.append(z3.Implies(some, z3.Or([v.val == k for k in codes]) if codes else False))
        elif q.type == "date":
            for bound, low in ((q.min, True), (q.max, False)):
                if bound is None:
                    continue
                b = self.expr(bound)
                if b.kind == "date":
                    rel = v.val >= b.val if low else v.val <= b.val
                    c.append(z3.Implies(z3.And(some, z3.Not(b.null)), rel))
            # The dates the form accepts (a four-digit year), so a witness can be typed in.
            c.append(z3.Implies(some, z3.And(v.val >= EARLIEST_DATE.toordinal(),
                                             v.val <= LATEST_DATE.toordinal())))
        for rule, _message in q.checks:
            _t, f = self.truth(rule)
            c.append(z3.Implies(z3.And(shown, some), z3.Not(f)))
        return c

    # ------------------------------------------------------------- models
    def answers(self, model: z3.ModelRef) -> dict[str, Any]:
        """Typed answers (as Run takes them) from a model: only shown, non-null ones."""
        inv = {v: k for k, v in self.strings.items()}
        out: dict[str, Any] = {}
        for qid, sym in self.values.items():
            q = self.journey.questions[qid]
            if not z3.is_true(model.evaluate(self.shown[qid], model_completion=True)):
                continue
            if z3.is_true(model.evaluate(sym.null, model_completion=True)):
                continue
            out[qid] = self._value(q, sym, model, inv)
        return out

    def _value(self, q: QuestionInfo, sym: Sym, model: z3.ModelRef, inv: dict[int, str]) -> Any:
        t = q.type
        if t == "yesno":
            return z3.is_true(model.evaluate(sym.val, model_completion=True))
        if t == "integer":
            return model.evaluate(sym.val, model_completion=True).as_long()
        if t == "decimal":
            r = model.evaluate(sym.val, model_completion=True)
            return float(r.as_fraction())
        if t == "date":
            n = model.evaluate(sym.val, model_completion=True).as_long()
            low, high = EARLIEST_DATE.toordinal(), LATEST_DATE.toordinal()
            return datetime.date.fromordinal(max(low, min(n, high)))
        if t == "choice":
            n = model.evaluate(sym.val, model_completion=True).as_long()
            return inv.get(n, next(iter(q.options or {"": ""})))
        if t == "multichoice":
            return [
                o for o, var in self.multi[q.id].items()
                if z3.is_true(model.evaluate(var, model_completion=True))
            ]
        if t == "repeat":
            n = model.evaluate(self.counts[q.id], model_completion=True).as_long()
            return [sample_item(self.journey, q) for _ in range(max(0, min(n, 50)))]
        if t in ("text", "textarea") and model is not None:
            n = model.evaluate(sym.val, model_completion=True).as_long()
            question = q.question
            # A string the conditions compare with, if the question would accept it.
            if n in inv and check_bounds(
                t, inv[n], min_length=getattr(question, "min_length", None),
                max_length=getattr(question, "max_length", None),
                pattern=getattr(question, "pattern", None),
            ) is None:
                return inv[n]
        return sample_for(q)


def _real(x: Any) -> Any:
    return z3.ToReal(x) if z3.is_int(x) else x
