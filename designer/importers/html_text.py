"""HTML fragments of form definitions → the plain text with a little Markdown the format allows.

Journey texts never carry raw HTML (the renderer escapes it), so paragraphs,
lists and links are rewritten in Markdown and every other tag is dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "br"):
            self.parts.append("\n\n" if tag != "br" else "\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.parts.append("[")
        elif tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in ("em", "i"):
            self.parts.append("*")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            href = self.links.pop() if self.links else None
            self.parts.append(f"]({href})" if href else "]")
        elif tag in ("strong", "b"):
            self.parts.append("**")
        elif tag in ("em", "i"):
            self.parts.append("*")
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "ul", "ol"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """`html` as text with Markdown paragraphs, lists, emphasis and links."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in html:
        return re.sub(r"[ \t]+\n", "\n", html).strip()
    parser = _ToMarkdown()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
