"""Small screens, large text and light pages, checked on a page open in Chromium.

- Reflow (WCAG 1.4.10): at 320 CSS pixels wide, nothing may need horizontal scrolling.
- Resize text (WCAG 1.4.4): at 200 % zoom of a 1,280-pixel window, i.e. 640 CSS pixels,
  the same.
- Weight: what a first visit downloads, compressed (the HTML and the styles and scripts
  it names), within :data:`BUDGET` bytes, for citizens on poor connections.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

#: Widths in CSS pixels: a small phone, and a 1,280-pixel window at 200 % zoom.
WIDTHS = (320, 640)
#: The most a first visit of any page may download, compressed (HTML + CSS + scripts).
BUDGET = 20_000
STATIC = Path(__file__).resolve().parents[2] / "renderer" / "static"


def overflowing(page: Any, width: int) -> list[str]:
    """The elements that stick out of a ``width``-pixel window (empty: it reflows)."""
    size = page.viewport_size or {"width": 1280, "height": 800}
    page.set_viewport_size({"width": width, "height": 800})
    # The page may still be replacing the previous one (its document not there yet).
    page.wait_for_load_state("load")
    try:
        return list(page.evaluate("""(width) => {
            const out = [];
            if (document.documentElement.scrollWidth > width + 1) {
                for (const el of document.body.querySelectorAll('*')) {
                    const r = el.getBoundingClientRect();
                    if (r.width && r.right > width + 1 && getComputedStyle(el).position !== 'fixed')
                        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                                 (el.className && typeof el.className === 'string'
                                  ? '.' + el.className.split(' ').join('.') : '') +
                                 ' right=' + Math.round(r.right));
                }
                if (!out.length) out.push('document scrollWidth ' +
                                          document.documentElement.scrollWidth);
            }
            return out.slice(0, 5);
        }""", width))
    finally:
        page.set_viewport_size(size)


def _compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weight(page: Any) -> int:
    """Bytes of a first visit, compressed: the page and the static files it names."""
    html = page.content()
    total = _compressed(html.encode("utf-8"))
    for name in sorted(set(re.findall(r'(?:href|src)="/static/([^"?#]+)', html))):
        file = STATIC / name
        if file.is_file():
            total += _compressed(file.read_bytes())
    return total
