"""Body lines that read as other articles' headlines, one body at a time.

Two shapes, both without a list of sites: a read-also block (a lead-in of the
``site_text.read_also`` lexicon standing as a line, and the headline-like lines, dates
and teasers it leads to, or a lead-in and a headline on one line), and a list of
headline-like lines closing a body after its last paragraph. What ties a line to
another record of the dump (its title) is :mod:`headlines`' work.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.lexicons.compile import PYTHON_FLAGS

#: A headline is a line of this many characters, without a sentence's final stop.
HEADLINE_CHARS = (10, 160)
_DATE_LINE = re.compile(r"^[\W\d_]*\d[\w .,:/-]{0,28}$")


def _headline_like(line: str) -> bool:
    low, high = HEADLINE_CHARS
    return low <= len(line) <= high and not line.endswith((".", ",", ";"))


def _paragraph(line: str) -> bool:
    """A paragraph of running text: long, ending as a sentence ends."""
    return len(line) > 120 and line.rstrip("\"'”’»)").endswith((".", "!", "?", "…"))


def _lead_in(text: str, span: tuple[int, int], label: re.Pattern[str], last: bool) -> str:
    """How the line leads to other articles: "alone" (a lead-in line: the lines after
    it are headlines), "inline" (lead-in and headline on one line), or ""."""
    line = text[span[0] : span[1]]
    body = line.lstrip(sitetext._LEAD)
    match = label.match(body)
    if match is None:
        return ""
    rest = body[match.end() :]
    if not rest.strip(sitetext._TRAIL):
        return "alone"
    if len(line) <= 200 and sitetext._separated(rest):
        return "inline"
    # "Weitere Informationen zum Coronavirus in Thüringen:" announces a list; a short
    # last line "Weitere aktuelle Themen aus der Arbeitswelt" lost its links.
    if len(line) <= 100 and (line.endswith(":") or (last and _headline_like(line))):
        return "alone"
    return ""


def lead_in_runs(text: str, label: re.Pattern[str]) -> list[tuple[int, int, str]]:
    """Spans of read-also lead-ins and the headlines and teasers they lead to."""
    lines = sitetext.lines(text)
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        how = _lead_in(text, lines[i], label, i == len(lines) - 1)
        if how == "inline":
            found.append((*lines[i], "headline after a read-also lead-in"))
        if how != "alone":
            i += 1
            continue
        found.append((*lines[i], "read-also lead-in"))
        j, after_headline = i + 1, False
        while j < len(lines):
            line = text[lines[j][0] : lines[j][1]]
            follows = j + 1 < len(lines) and _is_label(text, lines[j + 1], label)
            # A teaser closes the body or has its own "read more" link after it.
            introduces = (
                j > i + 1
                and j + 2 < len(lines)
                and _paragraph(text[lines[j + 1][0] : lines[j + 1][1]])
                and not _is_label(text, lines[j + 2], label)
            )
            if introduces:
                # A subheading over the article's next paragraph: the block ended.
                break
            if _headline_like(line) or _DATE_LINE.match(line):
                found.append((*lines[j], "headline after a read-also lead-in"))
                after_headline = True
            elif follows:
                # A teaser, closed by its own "read more" link.
                found.append((*lines[j], "teaser after a read-also lead-in"))
                found.append((*lines[j + 1], "read-also lead-in"))
                j += 1
            elif after_headline and j == len(lines) - 1:
                found.append((*lines[j], "teaser after a read-also lead-in"))
            else:
                break
            j += 1
        i = j
    return found


def _is_label(text: str, span: tuple[int, int], label: re.Pattern[str]) -> bool:
    body = text[span[0] : span[1]].lstrip(sitetext._LEAD)
    match = label.match(body)
    return match is not None and not body[match.end() :].strip(sitetext._TRAIL)


@functools.cache
def label_pattern(table: tuple[sitetext.Entry, ...]) -> re.Pattern[str]:
    """Any read-also lead-in of the lexicon, as a Python pattern."""
    leads = [e.source for e in table if e.site_class == "read_also"]
    return re.compile("|".join(f"(?:{lead})" for lead in leads), PYTHON_FLAGS)


#: Headline-like lines at a body's end that make a list of other articles' headlines.
_MIN_RUN = 3
_MARKDOWN_LINK = re.compile(r"^\W{0,3}\[[^\]]+\]\([^)]+\)")


def trailing_runs(row: np.ndarray, headline: np.ndarray) -> np.ndarray:
    """Positions of the headline-like lines closing their body after a line that is
    not one (the article's last paragraph), in runs of at least :data:`_MIN_RUN`."""
    if not len(row):
        return np.zeros(0, dtype=np.int64)
    position = np.arange(len(row))
    last = np.flatnonzero(np.append(row[1:] != row[:-1], True))
    first = np.concatenate([[0], last[:-1] + 1])
    # The last non-headline line of each body (-1: none).
    breaks = np.where(headline, -1, position)
    last_break = np.maximum.reduceat(breaks, first)
    run = last - last_break
    body = np.flatnonzero((last_break >= first) & (run >= _MIN_RUN))
    if not len(body):
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([np.arange(last_break[b] + 1, last[b] + 1) for b in body.tolist()])


def listed_headline(line: str) -> bool:
    text = line.strip()
    if _MARKDOWN_LINK.match(text):
        return True
    words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    capital = sum(w[0].isupper() for w in words)
    return len(words) >= 3 and capital * 10 >= len(words) * 7


def whole_runs(rows: np.ndarray, keep: list[int]) -> np.ndarray:
    """Of the trailing lines, those of bodies whose whole run passed (positions)."""
    passed = np.zeros(len(rows), dtype=bool)
    passed[keep] = True
    ok = pd.Series(passed).groupby(rows).transform("all").to_numpy(dtype=bool)
    return np.flatnonzero(ok)
