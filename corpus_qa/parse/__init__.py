"""Scraped pages -> article drafts: layout detection, image tags, bylines, dates.

Public API: :func:`parse_page`, :data:`UI_PHRASES` (site-UI line patterns, reused
by the boilerplate check) and :data:`RELATIVE_DATE_PATTERN`.
"""

from __future__ import annotations

from corpus_qa.parse.chrome import UI_LINE_PATTERN, UI_PHRASES, is_ui_line
from corpus_qa.parse.dates import RELATIVE_DATE_PATTERN
from corpus_qa.parse.markdown import iter_images
from corpus_qa.parse.pages import parse_page

__all__ = [
    "RELATIVE_DATE_PATTERN",
    "UI_LINE_PATTERN",
    "UI_PHRASES",
    "is_ui_line",
    "iter_images",
    "parse_page",
]
