"""Findings: what the engine says about a journey, and the catalogue of rule slugs.

A finding always points at a place in the YAML source (1-based line and column),
so that terminals and editors can link to it. Rule slugs are part of the public
interface: CI pipelines filter on them, so they never change meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from designer.check_messages import SOURCE_LANGUAGE, Message


class Severity(str, Enum):
    """How serious a finding is: an error stops a journey from being served."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    """A check rule: its stable slug, its severity and a one-line summary."""

    slug: str
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    r.slug: r
    for r in [
        Rule("yaml-syntax", Severity.ERROR, "the file is not valid YAML"),
        Rule("schema", Severity.ERROR, "a key, type or value the format does not allow"),
        Rule("duplicate-id", Severity.ERROR, "an id defined twice"),
        Rule("unknown-target", Severity.ERROR, "`start` or a `goto` that names nothing"),
        Rule("expression-syntax", Severity.ERROR, "an expression that does not parse"),
        Rule("unknown-name", Severity.ERROR, "an expression naming no question or computed value"),
        Rule("forward-reference", Severity.ERROR, "an expression using an answer not yet given"),
        Rule("type-mismatch", Severity.ERROR, "operands of incompatible types"),
        Rule("unknown-option", Severity.ERROR, "a string that is not an option of the choice"),
        Rule("cycle", Severity.ERROR, "the step graph has a cycle"),
        Rule("unreachable", Severity.ERROR, "a step or outcome that no path reaches"),
        Rule("dead-end", Severity.ERROR, "a step from which no outcome can be reached"),
        Rule("impossible-condition", Severity.ERROR, "a condition that can never hold"),
        Rule("unknown-service", Severity.ERROR, "a routing entry naming no declared service"),
        Rule("unrouted-submission", Severity.ERROR,
             "a submission some answers send to no service"),
        Rule("impossible-route", Severity.ERROR, "a routing entry no submission takes"),
        Rule("always-true-condition", Severity.WARNING, "a condition that always holds"),
        Rule("duplicate-question", Severity.WARNING, "the same thing asked twice in one run"),
        Rule("unused-answer", Severity.WARNING, "an answer used by nothing, with no purpose"),
        Rule("obtainable-data", Severity.WARNING, "data a provider could supply"),
        Rule("equivalent-branches", Severity.WARNING, "branches that lead to the same place"),
        Rule("single-option", Severity.WARNING, "a choice with one option"),
        Rule("long-step", Severity.WARNING, "a page with too many questions"),
        Rule("missing-translation", Severity.WARNING, "a text missing one of the languages"),
        Rule("falc-missing", Severity.WARNING,
             "a text without the easy-to-read version the journey gives elsewhere"),
        Rule("falc-not-simpler", Severity.WARNING,
             "an easy-to-read text that scores no better than the ordinary one"),
        Rule("stated-duration", Severity.WARNING,
             "a duration in the summary that contradicts the start page's estimate"),
        Rule("mergeable-steps", Severity.INFO, "consecutive steps that could be one page"),
        Rule("readability", Severity.INFO, "a text that is hard to read"),
        Rule("jargon", Severity.INFO, "administrative jargon with a plain replacement"),
    ]
}

#: The modules whose code emits each rule's findings (several when the rule has a structural
#: and a path-sensitive form, or when one module decides it and another makes the finding:
#: designer.scope turns every problem of the expression checker into a finding). Each
#: rule has its page, docs/rules/<slug>.md; tests/engine/test_rule_map.py checks this map
#: against that page's example and against the code.
EMITTED_BY: dict[str, tuple[str, ...]] = {
    "yaml-syntax": ("designer.source", "designer.loading", "designer.organisation"),
    "schema": ("designer.source", "designer.validation"),
    "duplicate-id": ("designer.graph", "designer.check"),
    "unknown-target": ("designer.graph", "designer.check"),
    "expression-syntax": ("designer.compiled",),
    "unknown-name": ("designer.expressions.checker", "designer.scope"),
    "forward-reference": ("designer.expressions.checker", "designer.scope"),
    "type-mismatch": ("designer.expressions.checker", "designer.scope"),
    "unknown-option": ("designer.expressions.checker", "designer.scope"),
    "cycle": ("designer.graph",),
    "unreachable": ("designer.graph", "designer.analysis.conditions"),
    "dead-end": ("designer.graph", "designer.analysis.conditions"),
    "impossible-condition": ("designer.analysis.conditions",),
    "unknown-service": ("designer.routing",),
    "unrouted-submission": ("designer.analysis.routing",),
    "impossible-route": ("designer.analysis.routing",),
    "always-true-condition": ("designer.analysis.conditions",),
    "duplicate-question": ("designer.analysis.hygiene",),
    "unused-answer": ("designer.analysis.hygiene",),
    "obtainable-data": ("designer.analysis.hygiene",),
    "equivalent-branches": ("designer.analysis.hygiene",),
    "single-option": ("designer.analysis.hygiene",),
    "long-step": ("designer.analysis.hygiene",),
    "missing-translation": ("designer.analysis.hygiene",),
    "mergeable-steps": ("designer.analysis.hygiene",),
    "stated-duration": ("designer.analysis.start_page",),
    "readability": ("designer.analysis.textcheck",),
    "falc-missing": ("designer.analysis.falc",),
    "falc-not-simpler": ("designer.analysis.falc",),
    "jargon": ("designer.analysis.textcheck", "designer.readability"),
}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem or piece of advice about one place of one journey file."""

    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    step: str | None = field(default=None, compare=False)
    question: str | None = field(default=None, compare=False)
    #: The message as a catalogue entry, to say it in the designer's language.
    said: Message | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        rule: str,
        message: Message,
        file: str,
        position: tuple[int, int],
        *,
        step: str | None = None,
        question: str | None = None,
        severity: Severity | None = None,
        said: str | None = None,
    ) -> Finding:
        """Build a finding with the rule's own severity unless one is given; ``message``
        comes from the catalogue (designer/check_messages.py), in French and English;
        ``said``: ``message.say(SOURCE_LANGUAGE)`` when the caller has it already (one
        message of many findings, said once)."""
        sev = severity if severity is not None else RULES[rule].severity
        return cls(
            file=file,
            line=position[0],
            column=position[1],
            rule=rule,
            message=said if said is not None else message.say(SOURCE_LANGUAGE),
            severity=sev,
            step=step,
            question=question,
            said=message,
        )

    def text(self, lang: str = SOURCE_LANGUAGE) -> str:
        """The message in ``lang`` (as written when it is not from the catalogue)."""
        if self.said is None or lang == SOURCE_LANGUAGE:
            return self.message  # said in SOURCE_LANGUAGE when the finding was made
        return self.said.say(lang)

    def as_dict(self, lang: str = SOURCE_LANGUAGE) -> dict[str, object]:
        """The JSON shape of `parcours check --format json`, the message in ``lang``."""
        # Written out rather than dataclasses.asdict, which deep-copies every field: this
        # runs once per finding, thousands of times on a large journey.
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.text(lang),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "step": self.step,
            "question": self.question,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings by file, line, column, then rule, without duplicates."""
    # The key is the dataclass's own order, built once per finding rather than at each
    # comparison (thousands of findings on a large journey).
    return sorted(set(findings), key=_order)


def _order(f: Finding) -> tuple[str, int, int, str, str]:
    return (f.file, f.line, f.column, f.rule, f.message)


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding makes its journey unusable."""
    return any(f.severity is Severity.ERROR for f in findings)
