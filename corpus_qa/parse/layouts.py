"""Page files: detect the layout and parse it into article drafts and chrome spans."""

from __future__ import annotations

import re

from corpus_qa.lexicons.compile import words
from corpus_qa.model import ChromeSpan, ParsedPage
from corpus_qa.parse.aggregator import find_headers, parse_aggregator
from corpus_qa.parse.blocks import features, is_comment_marker
from corpus_qa.parse.budget import PageTooComplex, budget, page_budget
from corpus_qa.parse.fullpage import is_full_page, parse_fullpage
from corpus_qa.parse.generic import parse_generic
from corpus_qa.parse.lines import Line, Page, split_lines

#: A comments section's header: "21 Comments", "3 Kommentare", "Comments (4)".
_COMMENTS_RE = re.compile(
    rf"(?i)^(?:\d+\s+)?{words('sections.comments', 'sections.reactions')}(?:\s*\(\d+\))?\s*:?$"
)


def parse_page(text: str, source_path: str, *, max_seconds: float | None = None) -> ParsedPage:
    """Parse one scraped page; raises nothing on a ``str`` but :class:`PageTooComplex`.

    Every non-blank line ends up in exactly one article's ``line_start..line_end``
    or in one :class:`ChromeSpan` (``chrome`` for recognized UI, ``unplaced`` for
    text that could not be attributed). The parse has a CPU budget proportional to
    the page's size (:mod:`corpus_qa.parse.budget`), at most ``max_seconds``.
    """
    seconds = page_budget(len(text))
    if max_seconds is not None:
        seconds = min(seconds, max_seconds)
    try:
        with budget(len(text), seconds):
            return _parse(text, source_path)
    except PageTooComplex:
        raise
    except Exception as exc:  # a parser bug must not stop a whole dump: keep the text
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        spans = []
        if any(line.strip() for line in lines):
            spans.append(
                ChromeSpan(
                    source_path,
                    1,
                    len(lines),
                    "unplaced",
                    text,
                    f"parser error: {type(exc).__name__}: {exc}",
                )
            )
        return ParsedPage(source_path, [], spans, "generic")


def _parse(text: str, source_path: str) -> ParsedPage:
    page = Page(source_path, split_lines(text))
    headers = find_headers(page.lines)
    if headers and _after_comments(page.lines, headers[0].outlet):
        headers = []  # "Name / date" pairs under a comments header are comments
    if headers:
        layout = "aggregator"
        parse_aggregator(page, headers)
    elif is_full_page(page.lines):
        layout = "page"
        parse_fullpage(page)
    else:
        layout = "generic"
        parse_generic(page)
    return ParsedPage(source_path, page.drafts(), page.spans(), layout)


def _after_comments(lines: list[Line], index: int) -> bool:
    """Whether a comments header ("21 Comments", "Leave a reply") stands above ``index``
    on a page with site chrome."""
    if not is_full_page(lines):
        return False
    for line in lines[:index]:
        if not line.blank and len(line.words) <= 80:
            feat = features(line)
            if is_comment_marker(feat) or _COMMENTS_RE.match(feat.plain):
                return True
    return False
