"""Scraped pages -> article drafts: layout detection, image tags, bylines, dates.

Public API: :func:`parse_page`, :func:`parse_unit` (a page unit, with its evidence), :data:`UI_PHRASES` (site-UI line patterns, reused
by the boilerplate check) and :data:`RELATIVE_DATE_PATTERN`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corpus_qa.parse.chrome import UI_LINE_PATTERN, UI_PHRASES, is_ui_line
from corpus_qa.parse.datelines import RELATIVE_DATE_PATTERN
from corpus_qa.parse.image_tags import iter_images

if TYPE_CHECKING:
    from corpus_qa.parse.layouts import parse_page
    from corpus_qa.parse.units import parse_unit


def __getattr__(name: str) -> Any:
    # The page parser (layout, bylines, widgets: many imports and regexes) loads
    # on first use: a dump of JSONL records never needs it, and every run's first
    # chunk waits for what the process imports before it forks its workers.
    if name == "parse_page":
        from corpus_qa.parse.layouts import parse_page

        return parse_page
    if name == "parse_unit":
        from corpus_qa.parse.units import parse_unit

        return parse_unit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "RELATIVE_DATE_PATTERN",
    "UI_LINE_PATTERN",
    "UI_PHRASES",
    "is_ui_line",
    "iter_images",
    "parse_page",
    "parse_unit",
]
