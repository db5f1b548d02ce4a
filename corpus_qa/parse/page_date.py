"""A page's last-resort date: one it prints away from the title, for a page whose
article shows no dateline (``published_source`` ``page_date``).

Dates are read as :mod:`corpus_qa.parse.dateline` reads them; what this module adds
is which of a page's dates may stand for it: one beside a copy of the title first,
never a revision's, a footer's or a quotation's, a list's only when nothing else is.
"""

from __future__ import annotations

import re

from corpus_qa.parse.blocks import Features, is_footer
from corpus_qa.parse.dateline import (
    _LABEL_REACH,
    MAX_CHARS,
    _as_date,
    _date_re,
    _label_score,
    _quoted,
    _shaped,
)
from corpus_qa.parse.lines import Line

__all__ = ["find_page_date"]


def find_page_date(
    lines: list[Line], feats: list[Features], title: int | None = None
) -> str | None:
    """A last resort for a page whose article shows no dateline: a date the page prints
    elsewhere (in a header or a sidebar the layout keeps far from the title), or None.

    First a date beside a copy of the title (``title`` is its line), as a list of
    recent posts prints this one; else the first date, with a few words at most beside
    it and outside links, that is not a revision's (after an update label), a
    copyright or footer line's, a quotation's, nor one of a list of dated items (a
    calendar, teasers, comments: another date within a few lines); else the first
    date of such a list (a page that prints no other date, when dated, mostly lists
    what happened that day).
    """
    dated = [_page_dates(line, feat) for line, feat in zip(lines, feats, strict=True)]
    if title is not None:
        name = _bare(feats[title].plain)
        for i, found in enumerate(dated):
            for match in found:
                text = feats[i].plain
                if i != title and _bare(text[: match.start()] + text[match.end() :]) == name:
                    return match.group(0).strip(" ,|-–")
    listed: str | None = None
    for i, found in enumerate(dated):
        if not found or (feats[i].list_item and feats[i].links):
            continue
        text = feats[i].unlinked if feats[i].links else feats[i].plain
        for match in _date_re().finditer(text):
            if _as_date(match) is None or not _shaped(text, match):
                continue
            before = text[max(0, match.start() - _LABEL_REACH) : match.start()]
            if _label_score(before) < 0 or is_footer(feats[i]):
                continue
            if not _in_list(lines, dated, i):
                return match.group(0).strip(" ,|-–")
            listed = listed or match.group(0).strip(" ,|-–")
    return listed


def _page_dates(line: Line, feat: Features) -> list[re.Match[str]]:
    if line.blank or _quoted(line) or len(feat.plain) > MAX_CHARS:
        return []
    return [m for m in _date_re().finditer(feat.plain) if _as_date(m) is not None]


def _bare(text: str) -> str:
    """A line's words, case and punctuation aside (a title and its copy in a list)."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


#: Non-blank lines on either side of a date where another date makes it a list's.
_LIST_REACH = 3


def _in_list(lines: list[Line], dated: list[list[re.Match[str]]], i: int) -> bool:
    """Whether line ``i`` is one of a list of dated items: another date stands within a
    few non-blank lines of it, or the same date on two more lines (a dateline and a
    byline may both print the day)."""
    days = {_as_date(m) for m in dated[i]}
    same = 0
    for step in (-1, 1):
        seen, j = 0, i + step
        while 0 <= j < len(lines) and seen < _LIST_REACH:
            if not lines[j].blank:
                seen += 1
                near = {_as_date(m) for m in dated[j]}
                if near - days:
                    return True
                same += bool(near)
            j += step
    return same >= _SAME_DATE_LINES


#: Other lines printing the same date nearby that make a list.
_SAME_DATE_LINES = 2
