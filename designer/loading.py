"""From a journey file to a compiled journey and the findings of every engine check.

The pipeline of the house, one way: YAML text → positioned tree → validated model →
parsed expressions → step graph → findings. Only a file that is not YAML, or whose
`steps` or `outcomes` are unusable, stops it: otherwise every stage reports what it
finds, the parts that failed an earlier stage are set aside (:mod:`designer.repair`)
and what only follows from them is withheld (:mod:`designer.unsure`), so that one run
reports every independent problem. None raises on bad input.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from designer.check_messages import msg
from designer.compiled import CompiledJourney, compile_journey
from designer.expressions import names
from designer.findings import Finding, has_errors, sort_findings
from designer.graph import Precedence, build_graph, check_ids, check_structure, is_acyclic
from designer.jargon import JargonEntry
from designer.scope import check_expressions
from designer.source import MAX_BYTES, load_document
from designer.unsure import from_set_aside, settle
from designer.validation import validate

log = logging.getLogger(__name__)

#: Later stages (the path-sensitive analysis) register here: journey → findings.
Analysis = Callable[[CompiledJourney], list[Finding]]


@dataclass
class Loaded:
    """A journey file read and checked: the compiled journey (None when it could not be
    built) and every finding, sorted."""

    file: str
    journey: CompiledJourney | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the journey has no error and can be served."""
        return self.journey is not None and not has_errors(self.findings)


def _page_dependencies(journey: CompiledJourney) -> None:
    """Mark questions whose `when` reads an earlier answer of the same page (or item)."""
    computed_deps: dict[str, set[str]] = {}
    for name, tree in journey.computed.items():
        deps: set[str] = set()
        for n in names(tree) if tree is not None else ():
            deps |= computed_deps.get(n, {n})
        computed_deps[name] = deps
    for q in journey.questions.values():
        if q.when is None:
            continue
        used: set[str] = set()
        for n in names(q.when):
            used |= computed_deps.get(n, {n})
        page = (journey.item_questions(q.repeat) if q.repeat is not None
                else journey.step_questions(q.step))
        same_page = {other.id for other in page[: q.index] if other.id in used}
        q.depends_on_page = frozenset(same_page)


def load_text(
    text: bytes | str, file: str = "<journey>", *, analyses: list[Analysis] | None = None,
    origin: str | Path | None = None,
) -> Loaded:
    """Read, validate and check a journey given as text. ``origin``: the file on disk the
    text stands for, when ``file`` (the name findings carry) is not where it lies; what is
    declared beside it (the organisation's services) is read there."""
    doc, findings = load_document(text, file)
    if doc is None:
        return Loaded(file, None, sort_findings(findings))
    model, findings, aside = validate(doc)
    if model is None:
        return Loaded(file, None, sort_findings(findings))
    journey, compiled = compile_journey(model, doc, text)
    from_set_aside(journey, aside)
    findings += compiled
    findings += check_ids(journey)
    findings += build_graph(journey)
    findings += check_structure(journey)
    acyclic = is_acyclic(journey)
    findings += check_expressions(journey, Precedence(journey) if acyclic else None)
    _page_dependencies(journey)
    settle(journey)
    if acyclic and not journey.unsure.start:
        for analysis in analyses if analyses is not None else default_analyses():
            try:
                findings += analysis(journey)
            except Exception:  # an analysis bug must not hide the journey's other findings
                # Silence is sound here: these analyses only add advice and proofs, and the
                # structural checks above already ran. The tests run them in strict mode.
                log.exception("%s: the analysis %s failed", file,
                              getattr(analysis, "__name__", analysis))
    if journey.routing:
        # The services a journey routes to are declared beside it (designer.organisation);
        # checked after the analyses, which an unknown service must not stop.
        from designer.organisation import load_organisation, organisation_beside
        from designer.routing import service_findings

        beside = organisation_beside(origin if origin is not None else file)
        findings += service_findings(
            journey, load_organisation(beside) if beside is not None else None)
    return Loaded(file, journey, sort_findings(findings))


def load_journey(path: str | Path, *, analyses: list[Analysis] | None = None) -> Loaded:
    """Read, validate and check a journey file."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            # Refuse a huge file without reading it.
            message = msg("yaml.too-big", size=size // 1024 // 1024,
                          limit=MAX_BYTES // 1024 // 1024)
            return Loaded(name, None, [Finding.of("yaml-syntax", message, name, (1, 1))])
        raw = p.read_bytes()
    except OSError as exc:
        return Loaded(
            name,
            None,
            [Finding.of("yaml-syntax", msg("yaml.cannot-read", reason=exc.strerror), name,
                        (1, 1))],
        )
    return load_text(raw, name, analyses=analyses)


def default_analyses(lexicon: list[JargonEntry] | None = None) -> list[Analysis]:
    """The analyses run after the structural checks: the path-sensitive analysis, then the
    readability and jargon advice on every text a citizen reads (with ``lexicon``: an
    organisation's, from designer.jargon.load_lexicon; else the shipped one)."""
    from designer.analysis import analyse
    from designer.analysis.textcheck import text_findings

    if lexicon is None:
        return [analyse, text_findings]
    return [analyse, functools.partial(text_findings, lexicon=lexicon)]
