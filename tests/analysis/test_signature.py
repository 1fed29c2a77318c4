"""`equivalent-branches` compares targets lazily (designer/analysis/signature.py): held here
to the plain computation, one content hash per node compared for equality.

The journeys are drawn so that equal content is common: pages from a tiny pool of
questions and conditions (labels that only normalise equal among them), pages that only
lead on (detours), branches to outcomes and to shared pages, and long chains of equal
pages (deeper than the lazy comparison goes before it hashes).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.analysis import AnalysisConfig, Context
from designer.analysis.hygiene import equivalent_branches
from designer.analysis.signature import _DEEPEST, Signatures, _Read, _Target, signatures
from designer.check_messages import msg
from designer.findings import Finding, Severity
from designer.loading import load_text

#: Questions a page may ask (type, label): "Votre âge ?" and "âge" normalise equal.
QUESTIONS = [("integer", "Votre âge ?"), ("integer", "âge"), ("yesno", "Âge"),
             ("yesno", "Marié ?")]
CONDITIONS = [None, "1 < 2", "2 < 1", "true"]


@st.composite
def journeys(draw: st.DrawFn) -> str:
    """A journey whose pages are drawn from a small pool, so that many are alike."""
    n = draw(st.integers(1, 9))
    outcomes = ["fin", "autre"]
    lines = ["parcours: 1", "id: pareil", "title: Pareil", "organisation: Test",
             "start: s0", "steps:"]
    counter = 0
    for i in range(n):
        lines += [f"  s{i}:", f"    title: Page {i}"]
        asked = draw(st.lists(st.sampled_from(range(len(QUESTIONS))), max_size=2))
        if asked:
            lines.append("    questions:")
        else:
            lines.append("    questions: {}")
        for k in asked:
            kind, label = QUESTIONS[k]
            counter += 1
            lines += [f"      q{counter}:", f"        type: {kind}",
                      f"        label: {label}", "        purpose: Tester."]
            when = draw(st.sampled_from(CONDITIONS))
            if when:
                lines.append(f"        when: '{when}'")
        later = [f"s{j}" for j in range(i + 1, n)] + outcomes
        # The next page is always among the targets: every page is reached.
        targets = [f"s{i + 1}"] if i + 1 < n else []
        targets += draw(st.lists(st.sampled_from(later), max_size=2))
        if not targets:
            targets = [draw(st.sampled_from(outcomes))]
        if len(targets) == 1 and draw(st.booleans()):
            lines.append(f"    next: {targets[0]}")
            continue
        lines.append("    next:")
        for t in targets[:-1]:
            lines += [f"      - goto: {t}",
                      f"        when: '{draw(st.sampled_from(CONDITIONS[1:]))}'"]
        lines.append(f"      - goto: {targets[-1]}")
    lines.append("outcomes:")
    lines += [f"  {o}: {{kind: submit, title: Fin}}" for o in outcomes]
    return "\n".join(lines) + "\n"


def _context(text: str) -> Context | None:
    loaded = load_text(text, "pareil.yaml", analyses=[])
    if loaded.journey is None or any(f.severity is Severity.ERROR for f in loaded.findings):
        return None
    return Context(loaded.journey, AnalysisConfig(strict=True))


def _plain_equivalent_branches(ctx: Context) -> list[Finding]:
    """The rule as it was written before the lazy comparison: one hash per node."""
    journey, facts = ctx.journey, ctx.facts
    sig: dict[str, str] | None = None
    out: list[Finding] = []
    for sid in journey.steps:
        branches = journey.branches(sid)
        if len(branches) < 2 or len({b.target for b in branches}) < 2:
            continue
        if sid in ctx.withheld:
            continue
        if sig is None:
            sig = signatures(ctx)
        taken = {b.index: b.taken for b in facts.branches.get(sid, [])}
        seen: dict[str, Any] = {}
        for b in branches:
            if not taken.get(b.index, True):
                continue
            key = sig.get(b.target, b.target)
            first = seen.get(key)
            if first is not None and first.target != b.target:
                where = b.path + ("goto",) if not (b.default and b.path[-1] == "next") else b.path
                out.append(ctx.finding(
                    "equivalent-branches",
                    msg("equivalent-branches", first=first.target, second=b.target),
                    where,
                ))
            else:
                seen.setdefault(key, b)
    return out


def _agree(ctx: Context) -> int:
    """Lazy and plain agree on every pair of nodes (and ids of no node); the number of
    equal pairs of distinct nodes."""
    sig = signatures(ctx)
    nodes = [*ctx.facts.order, "nowhere", sig[ctx.facts.order[-1]]]
    lazy = Signatures(ctx)
    equal = 0
    for a in nodes:
        for b in nodes:
            plain = sig.get(a, a) == sig.get(b, b)
            assert lazy.same(a, b) == plain, (a, b)
            equal += plain and a != b
    # A fresh comparer in the other order: the memo does not decide.
    again = Signatures(ctx)
    for a in reversed(nodes):
        for b in nodes:
            assert again.same(a, b) == (sig.get(a, a) == sig.get(b, b)), (a, b)
    return equal


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_lazy_comparison_says_what_the_hashes_say(text: str) -> None:
    ctx = _context(text)
    if ctx is None:
        return
    _agree(ctx)
    assert equivalent_branches(ctx) == _plain_equivalent_branches(ctx)


def test_the_drawn_journeys_have_equal_content() -> None:
    # The test above compares something: many drawn journeys have alike pages.
    found = 0

    @settings(max_examples=100, deadline=None, derandomize=True, database=None)
    @given(journeys())
    def count(text: str) -> None:
        nonlocal found
        ctx = _context(text)
        if ctx is not None and _agree(ctx):
            found += 1

    count()
    assert found >= 30


def _chains(length: int, last: str) -> str:
    """Two chains of `length` alike pages after a fork; the last page of the second asks
    `last`."""
    lines = ["parcours: 1", "id: chaines", "title: Chaînes", "organisation: Test",
             "start: fourche", "steps:", "  fourche:", "    title: Fourche",
             "    questions:", "      choix: {type: yesno, label: Choix, purpose: Tester.}",
             "    next:", "      - goto: a0", "        when: choix", "      - goto: b0"]
    for side in "ab":
        for i in range(length):
            label = last if side == "b" and i == length - 1 else "Question"
            nxt = f"{side}{i + 1}" if i + 1 < length else "fin"
            lines += [f"  {side}{i}:", f"    title: Page {i}", "    questions:",
                      f"      {side}q{i}: {{type: text, label: {label}, purpose: Tester.}}",
                      f"    next: {nxt}"]
    lines += ["outcomes:", "  fin: {kind: submit, title: Fin}"]
    return "\n".join(lines) + "\n"


def test_chains_longer_than_the_lazy_depth() -> None:
    for length in (3, _DEEPEST + 20):
        for last, equal in (("Question", True), ("Autre", False)):
            ctx = _context(_chains(length, last))
            assert ctx is not None
            assert Signatures(ctx).same("a0", "b0") is equal
            assert (signatures(ctx)["a0"] == signatures(ctx)["b0"]) is equal
            found = equivalent_branches(ctx)
            assert found == _plain_equivalent_branches(ctx)
            assert [f.rule for f in found] == (["equivalent-branches"] if equal else [])


def test_texts_compare_across_the_cuts_between_their_pieces() -> None:
    # Hashed texts are joined before hashing: "ab" + "c" is "a" + "bc". The pieces of
    # two pages never fall so, but the comparison must not depend on where they fall.
    ctx = _context(_chains(2, "Question"))
    assert ctx is not None
    lazy = Signatures(ctx)
    hashed = signatures(ctx)

    def read(*pieces: str | _Target) -> _Read:
        return _Read(iter(pieces))

    cases = [
        ((), (), True),
        (("ab", "c"), ("a", "bc"), True),
        (("ab", "c"), ("a", "bd"), False),
        (("ab", "c"), ("abc", ""), True),
        (("ab",), ("ab", "c"), False),
        (("abc",), ("ab",), False),
        (("x", _Target("a0")), ("x" + hashed["a0"][:5], hashed["a0"][5:]), True),
        (("x", _Target("a0"), "y"), ("x", _Target("b0"), "y"), True),
        (("x", _Target("a0")), ("x", _Target("fourche")), False),
        ((_Target("nowhere"),), ("now", "here"), True),
    ]
    for a, b, equal in cases:
        assert lazy._equal_texts(read(*a), read(*b), 0) is equal, (a, b)
        assert lazy._equal_texts(read(*b), read(*a), 0) is equal, (b, a)
