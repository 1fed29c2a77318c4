"""A tiny, safe Markdown subset for journey texts: emphasis, links and lists.

Journey texts are written by designers, not citizens, but they are still data: the text is
escaped first, then only these constructs become HTML — ``**strong**``, ``*emphasis*`` or
``_emphasis_``, ``[label](url)`` with an ``http``, ``https`` or ``mailto`` address (any other
scheme keeps only the label), ``-``/``*`` bullet lists, ``1.`` numbered lists, and blank lines
between paragraphs. No raw HTML ever reaches a page.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_LINK = re.compile(r"\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    # The URL is already HTML-escaped (quotes included), so it cannot leave the attribute.
    if url.lower().startswith(_SAFE_SCHEMES):
        return f'<a href="{url}">{label}</a>'
    return label


def inline(text: str) -> Markup:
    """Escape a line of text and render its emphasis and links."""
    html = str(escape(text))
    html = _LINK.sub(_link, html)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    html = _EM_STAR.sub(r"<em>\1</em>", html)
    html = _EM_UNDERSCORE.sub(r"<em>\1</em>", html)
    return Markup(html)  # noqa: S704 - built from escaped text only


def render(text: str | None) -> Markup:
    """Escape a block of text and render paragraphs, lists, emphasis and links."""
    if not text:
        return Markup("")
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append("<p>" + " ".join(str(inline(line)) for line in paragraph) + "</p>")
            paragraph.clear()

    def flush_list() -> None:
        nonlocal list_tag
        if items:
            body = "".join(f"<li>{inline(item)}</li>" for item in items)
            blocks.append(f"<{list_tag}>{body}</{list_tag}>")
            items.clear()
        list_tag = ""

    for line in str(text).splitlines():
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet or numbered:
            tag = "ul" if bullet else "ol"
            flush_paragraph()
            if list_tag and list_tag != tag:
                flush_list()
            list_tag = tag
            items.append((bullet or numbered).group(1))  # type: ignore[union-attr]
        elif not line.strip():
            flush_paragraph()
            flush_list()
        else:
            flush_list()
            paragraph.append(line.strip())
    flush_paragraph()
    flush_list()
    return Markup("".join(blocks))  # noqa: S704 - built from escaped text only
