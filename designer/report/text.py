"""The short terminal summary of a report."""

from __future__ import annotations

from designer.report.model import (
    ComparisonReport,
    JourneyReport,
    PortfolioReport,
    RangeOut,
)
from designer.report.usage_model import UsageOut, UsageVersionsOut

_LEVEL = {"optimal": "optimal", "partial": "partial", "weak": "weak"}


def _fmt(x: float | None) -> str:
    if x is None:
        return "–"
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _rng(r: RangeOut | None) -> str:
    if r is None:
        return "–"
    return f"{_fmt(r.min)} / {_fmt(r.median)} / {_fmt(r.max)}"


def _count(n: int) -> str:
    # Counts may exceed a float's range (10^308): format from the digits.
    if n < 10**15:
        return str(n)
    digits = str(n)
    return f"{digits[0]}.{digits[1:4]}e+{len(digits) - 1}"


def journey_text(r: JourneyReport) -> str:
    """A dozen lines: runs, questions, pages, minutes, once-only, readability, findings."""
    lines = [f"{r.title} ({r.journey}) — {r.organisation}", f"  file: {r.file}"]
    if r.paths is None:
        errors = sum(1 for f in r.findings if f.severity == "error")
        lines.append(f"  not measured: {errors} error(s); run `parcours check {r.file}`")
        return "\n".join(lines)
    bound = " (upper bound)" if r.paths.bounded else ""
    outcomes = ", ".join(f"{k} {_count(v)}" for k, v in r.paths.by_outcome.items())
    lines.append(f"  runs: {_count(r.paths.total)}{bound} — {outcomes}")
    lines.append("                          fewest / median / most")
    lines.append(f"  questions answered:     {_rng(r.questions)}")
    lines.append(f"  pages seen:             {_rng(r.pages)}")
    lines.append(f"  minutes (fluent):       {_rng(r.minutes)}")
    lines.append(f"  minutes (less at ease): {_rng(r.minutes_slow)}")
    if r.submitted and r.submitted.runs:
        s = r.submitted
        lines.append(
            f"  to send an application: median {_fmt(s.questions.median)} questions, "
            f"{_fmt(s.minutes.median)} min ({_count(s.runs)} runs)"
        )
    if r.routing:
        shares = ", ".join(f"{x.service or '(no service)'} {x.share:.0%}" for x in r.routing)
        lines.append(f"  dossiers by service: {shares}")
    if r.size:
        lines.append(
            f"  size: {r.size.steps} steps, {r.size.questions} questions, "
            f"{r.size.documents} documents, {r.size.conditions} conditions"
        )
    if r.structure:
        st = r.structure
        lines.append(
            f"  structure: V(G) {st.cyclomatic_number}, CFC {st.control_flow_complexity}, "
            f"nesting {st.max_nesting}, conditional questions {st.conditional_questions_share:.0%}"
        )
    if r.dlnuf:
        lines.append(
            f"  Dites-le-nous une fois: {r.dlnuf.items} item(s) a provider could supply — "
            f"{_LEVEL[r.dlnuf.level]}"
        )
    if r.readability:
        for lang, lr in r.readability.languages.items():
            lines.append(
                f"  readability [{lang}]: {lr.formula} {_fmt(lr.flesch)}, LIX {_fmt(lr.lix)}, "
                f"{_fmt(lr.words_per_sentence)} words per sentence"
            )
        for lang, fc in r.readability.falc.items():
            lines.append(
                f"  easy-to-read [{lang}-falc]: {fc.with_falc}/{fc.texts} texts ({fc.share:.0%}), "
                f"score {_fmt(fc.flesch)} -> {_fmt(fc.flesch_falc)}"
            )
    by_sev = {
        s: sum(1 for f in r.findings if f.severity == s) for s in ("error", "warning", "info")
    }
    lines.append(
        f"  findings: {by_sev['error']} error(s), {by_sev['warning']} warning(s), "
        f"{by_sev['info']} info"
    )
    for p in r.worst_problems:
        lines.append(f"  ! {p}")
    if r.usage is not None:
        lines += usage_lines(r.usage)
    if r.usage_by_version is not None and len(r.usage_by_version.versions) > 1:
        lines += version_lines(r.usage_by_version)
    for i in r.observatoire:
        lines.append(f"  observatoire: {i.name}: {i.value} ({_STATUS[i.status]})")
    return "\n".join(lines)


_STATUS = {"measured": "measured", "declared": "declared", "unknown": "unknown"}


def _n(x: float | int | None) -> str:
    return "–" if x is None else _fmt(float(x))


def _d(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def _p(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def usage_lines(u: UsageOut) -> list[str]:
    """Observed use beside the predictions ("–": under the threshold, never shown)."""
    sent = u.submitted_minutes
    lines = [
        f"  observed use (counts under {u.threshold} not shown, {u.versions} version(s)):",
        f"    start page views {_n(u.start_page_views)}, starts {_n(u.starts)}, "
        f"sent {_n(u.submitted)}, completion {_p(u.completion_rate)}, "
        f"saved {_n(u.saves)}, resumed {_n(u.resumes)}",
        f"    minutes to send an application: median {_n(sent.median if sent else None)}, "
        f"p90 {_n(sent.p90 if sent else None)} observed",
        f"    mean minutes: {_n(u.expected_minutes_observed)} with observed branch shares, "
        f"{_n(u.expected_minutes_uniform)} with equal ones",
        "    funnel: page — arrived, sent, lost (share) — minutes observed median/p90 "
        "vs predicted",
    ]
    for f in u.funnel:
        lines.append(
            f"      {f.step}: {_n(f.arrived)}, {_n(f.sent)}, {_n(f.lost)} ({_p(f.lost_share)}) — "
            f"{_n(f.minutes.median)}/{_n(f.minutes.p90)} vs {_n(f.minutes_predicted)}"
        )
    for o in u.outcomes:
        lines.append(f"    outcome {o.outcome}: reached {_n(o.reached)} ({_p(o.share)}), "
                     f"minutes {_n(o.minutes.median)}/{_n(o.minutes.p90)} vs predicted "
                     f"{_n(o.minutes_predicted)}")
    for b in u.branches:
        lines.append(f"    branch {b.step} → {b.target}: {_n(b.count)} ({_p(b.share)}, "
                     f"assumed {_p(b.predicted_share)})")
    for e in u.errors[:5]:
        lines.append(f"    error {e.question} [{e.code}] ×{e.count}: {e.message}")
    for d in u.disagreements:
        lines.append(f"    ≠ {d}")
    s = u.satisfaction
    lines.append(f"    satisfaction: {_n(s.responses)} answers, good {_p(s.good_share)}; "
                 f"channels {', '.join(f'{k} {_n(n)}' for k, n in u.channels.items()) or '–'}")
    if u.response_times is not None:
        t = u.response_times
        lines.append(
            f"    response (back office): {_n(t.dossiers)} dossiers; first agent action "
            f"median {_d(t.first_action_days.median)} / p90 {_d(t.first_action_days.p90)} "
            f"days over {_n(t.answered)} ({_n(t.waiting)} waiting); decision median "
            f"{_d(t.decision_days.median)} / p90 {_d(t.decision_days.p90)} days over "
            f"{_n(t.decided)}")
    if u.dossier_channels:
        lines.append("    dossiers by channel: " + ", ".join(
            f"{c.channel} {_n(c.dossiers)} ({_p(c.share)})" for c in u.dossier_channels))
    for h in u.hotspots:
        where = f"{h.step}" + (f" / {h.question}" if h.question else "")
        what = "most give up at" if h.kind == "give-up" else "most frequent error at"
        lines.append(f"  >> {what} {where}: {h.message}")
        lines += [f"     - {x}" for x in h.suggestions]
    return lines


def version_lines(split: UsageVersionsOut) -> list[str]:
    """Each version's predicted and observed figures, latest first."""
    lines = ["  by version, latest first (predicted | observed, that version alone):"]
    for v in split.versions:
        p, u = v.predicted, v.usage
        when = (f"first served {v.first_served[:16].replace('T', ' ')} UTC"
                if v.first_served else "not served here")
        mark = ", this report's" if v.current else ""
        text = "" if v.own_text else ", text not kept: matched to this report's pages"
        observed = u.submitted_minutes.median if u.submitted_minutes else None
        lines.append(
            f"    {v.version[:10]} ({when}{mark}{text}): median questions "
            f"{_n(p.questions_median if p else None)}, minutes "
            f"{_n(p.minutes_median if p else None)} | minutes {_n(observed)}, starts "
            f"{_n(u.starts)}, sent {_n(u.submitted)} ({_p(u.completion_rate)}), "
            f"good {_p(u.satisfaction.good_share)}")
        if v.pages_added or v.pages_removed:
            lines.append(f"      pages added: {', '.join(v.pages_added) or '–'}; "
                         f"removed: {', '.join(v.pages_removed) or '–'}")
        worst = next((h for h in u.hotspots if h.kind == "give-up"), None)
        if worst is not None:
            lines.append(f"      most give up at {worst.step} ({_n(worst.count)})")
    if split.left_out:
        lines.append(f"    {split.left_out} older version(s) only in the figures above")
    return lines


def portfolio_text(p: PortfolioReport) -> str:
    """One line per journey, slowest first, then the concepts asked in several journeys."""
    lines = [f"Portfolio {p.folder}: {len(p.journeys)} journey(s)", ""]
    lines.append(f"  {'journey':30} {'median min':>10} {'median q':>9} {'errors':>7} {'warn':>5}")
    for row in p.by_minutes:
        lines.append(
            f"  {row.journey[:30]:30} {_fmt(row.minutes_median):>10} "
            f"{_fmt(row.questions_median):>9} {row.errors:>7} {row.warnings:>5}"
        )
    if p.shared_concepts:
        lines += ["", "  asked in several journeys (candidates for a shared profile):"]
        for c in p.shared_concepts[:15]:
            lines.append(f"    {c.concept}: {', '.join(c.journeys)}")
    return "\n".join(lines)


def comparison_text(c: ComparisonReport) -> str:
    """Before / after in a few lines."""
    o, n = c.old, c.new
    lines = [
        f"{o.journey} ({o.file}) → {n.journey} ({n.file})",
        f"  questions:            {_fmt(o.questions)} → {_fmt(n.questions)}",
        f"  documents:            {_fmt(o.documents)} → {_fmt(n.documents)}",
        f"  runs:                 {_fmt(o.paths)} → {_fmt(n.paths)}",
        f"  median questions (application sent): {_fmt(o.submitted_questions_median)} → "
        f"{_fmt(n.submitted_questions_median)}",
        f"  median minutes (application sent):   {_fmt(o.submitted_minutes_median)} → "
        f"{_fmt(n.submitted_minutes_median)}",
        f"  longest run (minutes): {_fmt(o.minutes_max)} → {_fmt(n.minutes_max)}",
        f"  minutes saved for the median citizen: {_fmt(c.minutes_saved_median)}",
        f"  Dites-le-nous une fois: {_fmt(o.dlnuf_items)} item(s) ({o.dlnuf_level or '–'}) → "
        f"{_fmt(n.dlnuf_items)} ({n.dlnuf_level or '–'})",
        f"  questions removed: {len(c.questions_removed)}, added: {len(c.questions_added)}; "
        f"documents removed: {len(c.documents_removed)}, added: {len(c.documents_added)}",
        f"  findings fixed: {len(c.findings_fixed)}, introduced: {len(c.findings_introduced)}",
    ]
    return "\n".join(lines)
