"""Findings printed for people and for tools: text, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from designer.findings import RULES, Finding, Severity

FORMATS = ("text", "json", "sarif", "github")


def summary(findings: Sequence[Finding], files: int) -> dict[str, int]:
    """Counts by severity, as in the JSON output."""
    return {
        "files": files,
        "errors": sum(f.severity is Severity.ERROR for f in findings),
        "warnings": sum(f.severity is Severity.WARNING for f in findings),
        "infos": sum(f.severity is Severity.INFO for f in findings),
    }


def as_text(findings: Sequence[Finding], files: int) -> str:
    """Compiler-style lines (file:line:col: severity[rule] message), then a count."""
    lines = [
        f"{f.file}:{f.line}:{f.column}: {f.severity.value}[{f.rule}] {f.message}"
        for f in findings
    ]
    s = summary(findings, files)
    plural = "s" if files != 1 else ""
    lines.append(
        f"{files} journey file{plural} checked: {s['errors']} error(s), "
        f"{s['warnings']} warning(s), {s['infos']} info(s)"
    )
    return "\n".join(lines)


def as_json(findings: Sequence[Finding], files: int) -> str:
    """The JSON document of `parcours check --format json` (docs/check.md)."""
    return json.dumps(
        {"findings": [f.as_dict() for f in findings], "summary": summary(findings, files)},
        ensure_ascii=False,
        indent=2,
    )


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def as_sarif(findings: Sequence[Finding], files: int, version: str) -> str:
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
            "message": {"text": f.message},
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


def as_github(findings: Sequence[Finding], files: int) -> str:
    """GitHub Actions workflow commands (::error file=…,line=…,col=…::message)."""
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    return "\n".join(
        f"::{kind[f.severity]} file={_escape_property(f.file)},line={f.line},col={f.column},"
        f"title={_escape_property(f.rule)}::{_escape_data(f.message)}"
        for f in findings
    )


def render(findings: Sequence[Finding], files: int, fmt: str, version: str = "0") -> str:
    """Findings in one of FORMATS."""
    if fmt == "json":
        return as_json(findings, files)
    if fmt == "sarif":
        return as_sarif(findings, files, version)
    if fmt == "github":
        return as_github(findings, files)
    return as_text(findings, files)
