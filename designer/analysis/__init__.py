"""The path-sensitive analysis of journeys: proofs over every path, without listing paths.

`analyse(journey, config)` is the entry point the checker calls after the
structural checks pass (acyclic graph, names and types correct). It runs one
abstract interpretation of the journey (`flow`), then the rules that read its
facts, and returns findings; it is pure (no I/O but reading the concept
catalogue once). `textcheck` holds the other default analysis of designer/loading.py:
the `readability` and `jargon` advice on every text a citizen reads.
"""

from __future__ import annotations

from collections.abc import Callable

from designer.compiled import CompiledJourney
from designer.findings import Finding

from .conditions import dead_ends, impossible_and_always
from .context import AnalysisConfig, Context
from .hygiene import (
    duplicate_questions,
    equivalent_branches,
    long_steps,
    mergeable_steps,
    missing_translations,
    obtainable_data,
    single_options,
    unused_answers,
)
from .routing import routing_rules
from .start_page import stated_duration

Rule = Callable[[Context], list[Finding]]

#: Every rule of the analysis, in the order they run.
RULES: list[Rule] = [
    impossible_and_always,
    dead_ends,
    routing_rules,
    duplicate_questions,
    unused_answers,
    obtainable_data,
    equivalent_branches,
    single_options,
    long_steps,
    missing_translations,
    mergeable_steps,
    stated_duration,
]


def analyse(journey: CompiledJourney, config: AnalysisConfig | None = None) -> list[Finding]:
    """Findings of the path-sensitive rules on a journey whose structure is sound."""
    ctx = Context(journey, config or AnalysisConfig())
    findings: list[Finding] = []
    for rule in RULES:
        try:
            findings.extend(rule(ctx))
        except Exception:
            # A bug of ours must not stop the check: silence is always sound here.
            if ctx.config.strict:
                raise
    return findings


__all__ = ["AnalysisConfig", "Context", "RULES", "analyse"]
