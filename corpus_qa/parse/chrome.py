"""Site UI ("chrome") lines: promos, comment widgets, share bars, section headers.

The labels are lexicon data (``chrome`` and ``sections``); the rules here say
how a label stands on its line: alone, after a count, before a name.
"""

from __future__ import annotations

import re

from corpus_qa.lexicons.compile import words

_COMMENTS = rf"(?:[0-9]+ )?{words('chrome.comments')}(?: \([0-9]+\))?"
_PROMO = r"Explore what .{1,40} can do for you:?"

#: UI that opens a page section (comments, related articles, promos): nothing after
#: it in the same block is still the article.
_SECTION_BREAKS: tuple[str, ...] = (
    _COMMENTS,
    rf"{words('chrome.section_breaks')}\.*",
    rf"{words('chrome.section_break_leads')} .{{1,40}}",
    _PROMO,
)

#: Regex patterns (RE2-friendly, case-insensitive) for aggregator and site UI text.
#: Each matches a whole stripped line: the parser anchors them with ``^(?:..)$``.
#: A check that searches for them inside text should take care of anchoring itself.
UI_PHRASES: tuple[str, ...] = (
    *_SECTION_BREAKS,
    rf"{words('chrome.labels')}\.*",
    rf"{words('chrome.label_leads')} .{{1,40}}",
)

#: All of :data:`UI_PHRASES` as one anchored, case-insensitive whole-line pattern.
UI_LINE_PATTERN = "(?i)^(?:" + "|".join(UI_PHRASES) + r")[ \t]*$"
_UI_LINE_RE = re.compile(UI_LINE_PATTERN)

#: Other UI ("Advertisement", "Share") also turns up between paragraphs and does not
#: end an article by itself.
_SECTION_BREAK_RE = re.compile("(?i)^(?:" + "|".join(_SECTION_BREAKS) + r")[ \t]*$")


def is_ui_line(line: str) -> bool:
    """Whether a whole stripped line is a known site-UI phrase."""
    return len(line) <= 80 and _UI_LINE_RE.match(line.strip()) is not None


def is_section_break(line: str) -> bool:
    """Whether a line opens a non-article page section (comments, related articles)."""
    return len(line) <= 80 and _SECTION_BREAK_RE.match(line.strip()) is not None
