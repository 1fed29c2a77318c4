"""What every analysis rule works from: the journey, the configuration, the facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from designer.check_messages import Message
from designer.compiled import CompiledJourney, where
from designer.findings import Finding
from designer.source import Path

from .flow import Facts, Interpreter, interpret, interpreter_of

_ABSENT = object()


@dataclass(frozen=True)
class AnalysisConfig:
    """Settings of the path-sensitive analysis (a project may override them)."""

    #: Most questions on one page before `long-step` warns.
    long_step_limit: int = 7
    #: Consecutive pages of at most this many questions each may be suggested for merging.
    mergeable_max_questions: int = 2
    #: Milliseconds z3 may spend on one query (a witness of a dead end).
    z3_timeout_ms: int = 50
    #: Milliseconds z3 may spend in total on one journey.
    z3_budget_ms: int = 1000
    #: Journeys with more questions are proved by the abstract interpretation alone.
    z3_max_questions: int = 150
    #: Milliseconds to find answers that get stuck after a page the abstract
    #: interpretation could not prove covered (`dead-end` is only reported with them).
    witness_timeout_ms: int = 5000
    #: Milliseconds for every such search in one journey.
    witness_budget_ms: int = 10000
    #: The concept catalogue (None: the project's own, loaded lazily).
    catalogue: Any = None
    #: Let an unexpected failure of a rule propagate (tests); otherwise the rule is
    #: skipped and says nothing, so that a designer never meets a traceback.
    strict: bool = False


@dataclass
class Context:
    """A journey under analysis and what the abstract interpretation learnt of it."""

    journey: CompiledJourney
    config: AnalysisConfig = field(default_factory=AnalysisConfig)

    @cached_property
    def interpreter(self) -> Interpreter:
        """The interpreter (its scope and evaluator serve other rules)."""
        return interpreter_of(self.journey)

    @cached_property
    def facts(self) -> Facts:
        """The result of the abstract interpretation."""
        return interpret(self.journey)

    @cached_property
    def structurally_reachable(self) -> set[str]:
        """Nodes some edge path reaches from the start, ignoring conditions."""
        graph = self.journey.graph
        if self.journey.start not in graph:
            return set()
        return nx.descendants(graph, self.journey.start) | {self.journey.start}

    @cached_property
    def withheld(self) -> set[str]:
        """Nodes whose ways in may be incomplete (designer.unsure.zone): no claim on them."""
        from designer.unsure import zone

        return zone(self.journey)

    @cached_property
    def after_unsure(self) -> set[str]:
        """Steps at or after an unsure condition: no witness replayed through them counts."""
        from designer.unsure import upstream_unsure

        return upstream_unsure(self.journey) | self.withheld

    def source(self, path: Path) -> str:
        """The text written at `path` in the journey file (an expression, an id…)."""
        node: Any = self.journey.document.data
        for key in path:
            if type(node) is dict:
                # Most paths end at an absent key (a question without `when`): look it up
                # without raising and catching KeyError, the slow part of the loop.
                node = node.get(key, _ABSENT)
                if node is _ABSENT:
                    return ""
                continue
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return ""
        if isinstance(node, bool):
            return "true" if node else "false"
        return str(node)

    def finding(
        self, rule: str, message: Message, path: Path, *, key: bool = False, **extra: Any
    ) -> Finding:
        """A finding of `rule` at `path` (its key when `key`), with its step and question."""
        pos = self.journey.key_position(path) if key else self.journey.position(path)
        loc: dict[str, Any] = dict(where(path))
        loc.update(extra)
        return Finding.of(rule, message, self.journey.file, pos, **loc)
