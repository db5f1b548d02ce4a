"""A page's visible publication date: the date printed near its title or byline.

A whole-page scrape keeps the dateline as text ("Von Ana Ruiz, 1. Januar 2023",
"Published May 3, 2022 | 5 min read", "Veröffentlicht am 03.05.2022, 14:45 Uhr").
Dates are read in numeric forms (ISO, day-month-year with ``.``, ``/`` or ``-``) and
with the month names of every lexicon language (table ``date_months``); labels come
from ``dates.dateline`` (``published``, ``updated``). Of the dates near the title, the
one after a publication label wins, then one on the byline's line, then the nearest to
the title; a date after an update label only when no other is there. A date inside a
long paragraph is the story's, not the page's.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime

from corpus_qa.lexicons import phrases
from corpus_qa.parse.blocks import Features
from corpus_qa.parse.lines import Line

#: Non-blank lines above the title and below it that may hold the dateline.
ABOVE, BELOW = 12, 20
#: A dateline sits on a short line; a longer one is prose.
MAX_CHARS = 220
#: How far before a date its label may stand.
_LABEL_REACH = 40
_YEARS = range(1990, 2100)


@functools.cache
def _months() -> dict[str, int]:
    number: dict[str, int] = {}
    for month in range(1, 13):
        for name in phrases(f"date_months.m{month:02d}"):
            number[name.casefold().rstrip(".")] = month
    return number


@functools.cache
def _date_re() -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in sorted(_months(), key=len, reverse=True))
    day = r"(?P<d>[0-3]?[0-9])"
    time = (
        r"(?:,?\s*(?:um|at|à|a\s+las|alle|-|–|\|)?\s*[0-2]?[0-9][:h.][0-5][0-9]"
        r"(?::[0-5][0-9])?(?:\s*(?:Uhr|h|[AaPp]\.?\s?[Mm]\.?))?)?"
    )
    forms = (
        r"(?P<iso>(?P<iy>(?:19|20)[0-9]{2})-(?P<im>[01]?[0-9])-(?P<id>[0-3]?[0-9])"
        r"(?:[T ][0-9:.]+(?:Z|[+-][0-9:]{2,5})?)?)",
        r"(?P<num>(?P<nd>[0-3]?[0-9])\s?(?P<sep>[./-])\s?(?P<nm>[01]?[0-9])\s?(?P=sep)\s?"
        r"(?P<ny>(?:19|20)[0-9]{2}))",
        rf"(?P<dmy>{day}(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?(?P<m1>{names})\.?,?\s+"
        r"(?:del?\s+)?(?P<y1>(?:19|20)[0-9]{2}))",
        rf"(?P<mdy>(?P<m2>{names})\.?\s+(?P<d2>[0-3]?[0-9])(?:st|nd|rd|th)?,?\s+"
        r"(?P<y2>(?:19|20)[0-9]{2}))",
    )
    # Only digits may not follow: a blog theme prints the date twice, glued together
    # ("August 2, 2019August 2, 2019").
    return re.compile(rf"(?<![\w.])(?:{'|'.join(forms)}){time}(?![0-9])", re.IGNORECASE)


@functools.cache
def _labels(kind: str) -> re.Pattern[str]:
    words = sorted(phrases(f"dates.dateline.{kind}"), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


def read_date(value: str) -> datetime | None:
    """The calendar date ``value`` writes in one of this module's forms, or None."""
    match = _date_re().search(value)
    return None if match is None else _as_date(match)


def _as_date(match: re.Match[str]) -> datetime | None:
    if match["iso"]:
        parts = (match["iy"], match["im"], match["id"])
    elif match["num"]:
        parts = (match["ny"], match["nm"], match["nd"])
    elif match["dmy"]:
        parts = (match["y1"], str(_months()[match["m1"].casefold()]), match["d"])
    else:
        parts = (match["y2"], str(_months()[match["m2"].casefold()]), match["d2"])
    year, month, day = (int(p) for p in parts)
    if year not in _YEARS:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _label_score(before: str) -> float:
    """+3 after a publication label, -3 after an update label: the nearer one counts
    ("Published May 2, updated May 3": the second date is the update's)."""
    published = [m.end() for m in _labels("published").finditer(before)]
    updated = [m.end() for m in _labels("updated").finditer(before)]
    if not published and not updated:
        return 0.0
    return 3.0 if max(published, default=-1) > max(updated, default=-1) else -3.0


def find_dateline(
    lines: list[Line], feats: list[Features], title: int, end: int, byline: int | None
) -> str | None:
    """The publication date printed near the title (line index ``title``) or on the
    byline's line, as written; None when there is none."""
    above = [i for i in range(title - 1, -1, -1) if not lines[i].blank][:ABOVE]
    below = [i for i in range(title, min(len(lines), end + 1)) if not lines[i].blank][: BELOW + 1]
    # Distance in non-blank lines: how far a reader's eye travels from the title.
    distance = {i: k + 1 for k, i in enumerate(above)} | {i: k for k, i in enumerate(below)}
    if byline is not None:
        for i in range(byline - 1, byline + 2):
            if 0 <= i < len(lines) and not lines[i].blank:
                distance.setdefault(i, ABOVE)
    best: tuple[float, str] | None = None
    for i in sorted(distance):
        text = feats[i].plain
        if len(text) > MAX_CHARS or (feats[i].list_item and feats[i].links):
            continue
        for match in _date_re().finditer(text):
            if _as_date(match) is None:
                continue
            before = text[max(0, match.start() - _LABEL_REACH) : match.start()]
            score = -distance[i] / (BELOW + ABOVE) + _label_score(before)
            if i == byline:
                score += 1
            if best is None or score > best[0]:
                best = (score, match.group(0).strip(" ,|-–"))
    return None if best is None else best[1]
