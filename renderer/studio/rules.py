"""A check rule's documentation page (docs/rules/SLUG.md) as HTML for the studio: headings
and code blocks here, the paragraphs and lists as journey texts are (the renderer's safe
Markdown subset)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from renderer import markdown

_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")


def rule_html(text: str) -> Markup:
    """A rule page's Markdown: headings and code blocks here, the rest as journey texts are."""
    out: list[str] = []
    para: list[str] = []
    lines = text.splitlines()
    i = 0

    def flush() -> None:
        if para:
            out.append(str(markdown.render("\n".join(para))))
            para.clear()

    while i < len(lines):
        line = lines[i]
        heading = _HEADING.match(line)
        if line.startswith("```"):
            flush()
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i])
                i += 1
            # Focusable, so that a keyboard can scroll a long line (WCAG 2.1.1).
            out.append(f"<pre tabindex=\"0\"><code>{escape(chr(10).join(block))}</code></pre>")
        elif heading:
            flush()
            level = min(len(heading.group(1)) + 1, 4)
            out.append(f"<h{level}>{escape(heading.group(2))}</h{level}>")
        else:
            para.append(line)
        i += 1
    flush()
    return Markup("\n".join(out))
