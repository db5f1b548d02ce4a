"""The aggregator layout: a main article, a site-UI block, then related-article teasers.

A teaser is ``Outlet`` / date (often relative) / optional ``- Outlet`` / title /
body, with the image tags that illustrate it placed just before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_qa.model import Role
from corpus_qa.parse.datelines import DATE_LABELS, is_date_line
from corpus_qa.parse.generic import place_article
from corpus_qa.parse.lines import Line, Page, Segment, last_content, trailing_chrome

_OUTLET_MAX = 60
_PREFIXED = re.compile(rf"(?i)^{DATE_LABELS}")


@dataclass(frozen=True)
class Header:
    """A teaser header: 0-based indexes of its outlet, date and ``- Outlet`` lines."""

    outlet: int
    date: int
    dash: int | None


def _outlet_like(line: Line) -> bool:
    words = line.words
    return (
        0 < len(words) <= _OUTLET_MAX
        and not line.image_only
        and not line.ui
        and not words.startswith(("-", "–", "—", "#", "[", "(", "By ", "BY ", "by "))
        and not words.endswith((".", "!", "?", ":", ";", ","))
        and not is_date_line(words)
    )


def _dash_line(line: Line) -> bool:
    words = line.words
    return words[:2] in ("- ", "– ", "— ") and 2 < len(words) <= _OUTLET_MAX + 2


def find_headers(lines: list[Line]) -> list[Header]:
    """Teaser headers: an outlet-like line directly followed by a bare date line.

    Empty unless the page is an aggregator: one header with a ``- Outlet`` line or
    two without, so that a lone "Author / date" pair in an article is not a teaser.
    """
    headers: list[Header] = []
    i = 0
    while i + 1 < len(lines):
        date = lines[i + 1].words
        if _outlet_like(lines[i]) and date[:1].isalnum() and _bare_date(date):
            dash = i + 2 if i + 2 < len(lines) and _dash_line(lines[i + 2]) else None
            headers.append(Header(i, i + 1, dash))
            i = (dash or i + 1) + 1
        else:
            i += 1
    if len(headers) < 2 and all(h.dash is None for h in headers):
        return []
    return headers


def _bare_date(words: str) -> bool:
    return is_date_line(words) and not _PREFIXED.match(words)


def _group_start(lines: list[Line], header: Header, floor: int) -> int:
    """Header index, or the first of the image-only lines just above it."""
    first = header.outlet
    i = header.outlet - 1
    while i >= floor and (lines[i].blank or lines[i].image_only):
        if lines[i].image_only:
            first = i
        i -= 1
    return first


def _place_teaser(page: Page, header: Header, start: int, end: int, role: Role) -> None:
    lines = page.lines
    meta = {header.outlet, header.date} | ({header.dash} if header.dash is not None else set())
    after = max(meta)
    title: int | None = None
    for i in range(after + 1, end + 1):
        if not lines[i].blank and not lines[i].image_only and not lines[i].ui:
            title = i
            break
    cut = trailing_chrome(lines, (title if title is not None else after) + 1, end)
    stop = end if cut is None else cut - 1
    content_end = last_content(lines, after, stop)
    assert content_end is not None
    if cut is not None:
        page.mark_rest(cut, end, "site-UI block after a teaser")
    page.segments.append(
        Segment(
            role,
            start,
            content_end,
            title,
            meta,
            outlet=lines[header.outlet].words,
            published_raw=lines[header.date].words,
        )
    )


def parse_aggregator(page: Page, headers: list[Header]) -> None:
    """Main article above the first teaser; each teaser up to the next one."""
    lines = page.lines
    starts: list[int] = []
    floor = 0
    for header in headers:
        start = _group_start(lines, header, floor)
        starts.append(start)
        floor = header.dash if header.dash is not None else header.date
    main = place_article(page, 0, starts[0] - 1, "main") if starts[0] > 0 else None
    # A page that opens straight on a teaser-shaped header, with no UI before it,
    # shows its own article that way.
    first_role: Role = "main" if main is None and not page.marks else "related"
    for k, header in enumerate(headers):
        end = starts[k + 1] - 1 if k + 1 < len(headers) else len(lines) - 1
        _place_teaser(page, header, starts[k], end, first_role if k == 0 else "related")
