"""Findings printed for people and for tools: text, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from designer.check_messages import SOURCE_LANGUAGE, msg
from designer.findings import RULES, Finding, Severity

FORMATS = ("text", "json", "sarif", "github")


def _counts(findings: Sequence[Finding]) -> dict[str, int]:
    return {
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "infos": sum(f.severity is Severity.INFO for f in findings),
    }


def summary(
    findings: Sequence[Finding], files: int, hidden: Sequence[Finding] | None = None
) -> dict[str, object]:
    """Counts by severity, as in the JSON output; with ``hidden`` (the findings a
    ``--severity`` or ``--rule`` filter left out), their counts too."""
    out: dict[str, object] = {"files": files, **_counts(findings)}
    if hidden is not None:
        out["hidden"] = _counts(hidden)
    return out


def as_text(
    findings: Sequence[Finding],
    files: int,
    lang: str = SOURCE_LANGUAGE,
    hidden: Sequence[Finding] = (),
) -> str:
    """Compiler-style lines (file:line:col: severity[rule] message), then a count that
    says how many findings a filter hid (a "0 info(s)" while infos exist would mislead)."""
    lines = [
        f"{f.file}:{f.line}:{f.column}: {f.severity.value}[{f.rule}] {f.text(lang)}"
        for f in findings
    ]
    shown, left_out = _counts(findings), _counts(hidden)
    line = msg("summary.checked", files=files, **shown).say(lang)
    if hidden:
        line += msg("summary.hidden", **left_out).say(lang)
    lines.append(line)
    return "\n".join(lines)


def as_json(
    findings: Sequence[Finding],
    files: int,
    lang: str = SOURCE_LANGUAGE,
    hidden: Sequence[Finding] | None = None,
) -> str:
    """The JSON document of `parcours check --format json` (docs/check.md), with
    ``summary.hidden`` when a filter left findings out."""
    return json.dumps(
        {
            "findings": [f.as_dict(lang) for f in findings],
            "summary": summary(findings, files, hidden),
        },
        ensure_ascii=False,
        indent=2,
    )


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(
    findings: Sequence[Finding], files: int, version: str, lang: str = SOURCE_LANGUAGE
) -> str:
    """A SARIF 2.1.0 log, for code-scanning dashboards."""
    used = sorted({f.rule for f in findings} | set(RULES))
    rules = [
        {
            "id": slug,
            "name": slug,
            "shortDescription": {"text": RULES[slug].summary},
            "helpUri": f"docs/rules/{slug}.md",
            "defaultConfiguration": {"level": _SARIF_LEVEL[RULES[slug].severity]},
        }
        for slug in used
        if slug in RULES
    ]
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        result = {
            "ruleId": f.rule,
            "ruleIndex": index.get(f.rule, 0),
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.text(lang)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(f.file).as_posix()},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        if f.step or f.question:
            result["properties"] = {"step": f.step, "question": f.question}
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "parcours",
                        "version": version,
                        "informationUri": "https://parcours.example/docs",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: Sequence[Finding], files: int, lang: str = SOURCE_LANGUAGE) -> str:
    """GitHub Actions workflow commands (::error file=…,line=…,col=…::message)."""
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    return "\n".join(
        f"::{kind[f.severity]} file={_escape_property(f.file)},line={f.line},col={f.column},"
        f"title={_escape_property(f.rule)}::{_escape_data(f.text(lang))}"
        for f in findings
    )


def render(
    findings: Sequence[Finding],
    files: int,
    fmt: str,
    version: str = "0",
    lang: str = SOURCE_LANGUAGE,
    hidden: Sequence[Finding] | None = None,
) -> str:
    """Findings in one of FORMATS, their messages in ``lang``; ``hidden``: the findings a
    filter left out, counted in the summary."""
    if fmt == "json":
        return as_json(findings, files, lang, hidden)
    if fmt == "sarif":
        return as_sarif(findings, files, version, lang)
    if fmt == "github":
        return as_github(findings, files, lang)
    return as_text(findings, files, lang, hidden or ())
