"""A page's last-resort date (``published_source`` ``page_date``): the first date it
prints anywhere, for a page whose article shows no dateline.

Dates are read as :mod:`corpus_qa.parse.dateline` reads them.
"""

from __future__ import annotations

from corpus_qa.parse.blocks import Features
from corpus_qa.parse.dateline import _as_date, _date_re, _shaped
from corpus_qa.parse.lines import Line

__all__ = ["find_page_date"]


def find_page_date(lines: list[Line], feats: list[Features]) -> str | None:
    """The first date the page prints anywhere, outside links and lists of links, or
    None: the date may sit in a header or a sidebar the layout keeps far from the
    title, or be the story's.

    Kept this plain on purpose: rules that picked among a page's dates (a copy of the
    title in a recent-posts list first; no revision's, footer's or list's date) were
    right more often on the development pages and less often on the holdout.
    """
    for line, feat in zip(lines, feats, strict=True):
        if line.blank or (feat.list_item and feat.links):
            continue
        text = feat.unlinked if feat.links else feat.plain
        for match in _date_re().finditer(text):
            if _as_date(match) is not None and _shaped(text, match):
                return match.group(0).strip(" ,|-–")
    return None
