"""A report model (one journey, a portfolio or a comparison) as JSON, HTML or text."""

from __future__ import annotations

from designer.report.model import ComparisonReport, JourneyReport, PortfolioReport


def render(report: object, fmt: str, journey_link: str | None = None) -> str:
    """A report model as JSON, HTML or text.

    ``journey_link``: for an HTML portfolio, where each journey's own report is, as a
    pattern with ``{id}`` (the served portfolio links to ``/-/reports/{id}``); without it
    the portfolio links to its own summary of each journey."""
    if fmt == "json":
        assert isinstance(report, JourneyReport | PortfolioReport | ComparisonReport)
        return report.model_dump_json(indent=2)
    if fmt == "html":
        from designer.report.html import render_html

        return render_html(report, journey_link=journey_link)
    from designer.report import text

    if isinstance(report, JourneyReport):
        return text.journey_text(report)
    if isinstance(report, PortfolioReport):
        return text.portfolio_text(report)
    assert isinstance(report, ComparisonReport)
    return text.comparison_text(report)
