"""Small journeys written inline, so each test can name the exact line it expects."""

from __future__ import annotations

import textwrap

from designer.findings import Finding
from designer.loading import Loaded, load_text


def load(text: str, *, analyses: list | None = None) -> Loaded:
    """Load a dedented journey text with the engine checks only (no path analysis)."""
    return load_text(textwrap.dedent(text).lstrip("\n"), "j.yaml",
                     analyses=[] if analyses is None else analyses)


def rules(loaded: Loaded) -> list[tuple[str, int, int]]:
    """(rule, line, column) of every finding."""
    return [(f.rule, f.line, f.column) for f in loaded.findings]


def only(loaded: Loaded, rule: str) -> list[Finding]:
    """The findings of one rule."""
    return [f for f in loaded.findings if f.rule == rule]


HEADER = """\
parcours: 1
id: essai
title: Essai
organisation: Ville
start: a
"""
