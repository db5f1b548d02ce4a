"""HTML -> Markdown for the page parser, with the HTML source line of each Markdown line.

html2text (the converter web-to-Markdown scrapers use) renders the page; it is an
``html.parser`` subclass, so while it writes a piece of output the parser's position
is the element or text that produced it. Each Markdown line is mapped to the source
line where the output that starts it was written (a blank line to the line of the
output before it); the mapping never decreases, so a line range stays a range.
"""

from __future__ import annotations

import html2text


class _Tracking(html2text.HTML2Text):
    """html2text that notes, per output line, the source line being parsed."""

    def __init__(self, baseurl: str) -> None:
        super().__init__(baseurl=baseurl, bodywidth=0)
        self.unicode_snob = True
        self.source_lines: list[int] = []
        self._open = False  # whether the current output line has its source line

    def outtextf(self, s: str) -> None:
        super().outtextf(s)
        if not s:
            return
        here = self.getpos()[0]
        parts = s.split("\n")
        if parts[0] and not self._open:
            self.source_lines.append(here)
            self._open = True
        for part in parts[1:]:
            if not self._open:  # an empty line: it belongs where the output stands
                self.source_lines.append(here)
            self._open = bool(part)
            if part:
                self.source_lines.append(here)


def render(html: str, url: str | None = None) -> tuple[str, list[int]]:
    """``(markdown, source_lines)``: ``source_lines[k]`` is the HTML line of Markdown
    line ``k + 1``. ``url`` resolves relative links and image sources."""
    converter = _Tracking(url or "")
    try:
        markdown = converter.handle(html)
    except ValueError:
        # A malformed href makes urljoin raise: render again without resolving links.
        converter = _Tracking("")
        markdown = converter.handle(html)
    lines = converter.source_lines
    wanted = markdown.count("\n") + 1
    last = lines[-1] if lines else 1
    lines = lines[:wanted] + [last] * max(0, wanted - len(lines))
    return markdown, lines
