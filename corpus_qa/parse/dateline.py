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

from corpus_qa.lexicons import phrases
from corpus_qa.model import PublishedSource
from corpus_qa.parse.blocks import Features
from corpus_qa.parse.date_forms import (
    absolute_over,
    as_date,
    date_pattern,
    read_date,
    read_datetime,
    read_days,
)
from corpus_qa.parse.lines import Line
from corpus_qa.parse.relative_dates import find_relative

#: Non-blank lines above the title and below it that may hold the dateline.
ABOVE, BELOW = 12, 20
#: A dateline sits on a short line; a longer one is prose.
MAX_CHARS = 220
#: How far before a date its label may stand.
_LABEL_REACH = 40


@functools.cache
def _labels(kind: str) -> re.Pattern[str]:
    words = sorted(phrases(f"dates.dateline.{kind}"), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


def _label_score(before: str) -> float:
    """+3 after a publication label, -3 after an update label: the nearer one counts
    ("Published May 2, updated May 3": the second date is the update's)."""
    published = [m.end() for m in _labels("published").finditer(before)]
    updated = [m.end() for m in _labels("updated").finditer(before)]
    if not published and not updated:
        return 0.0
    return 3.0 if max(published, default=-1) > max(updated, default=-1) else -3.0


def find_dateline(
    lines: list[Line],
    feats: list[Features],
    title: int,
    end: int,
    byline: int | None,
    start: int | None = None,
) -> str | None:
    """The publication date printed near the title (line index ``title``, or another
    line repeating its text) or on the byline's line, as written; else, when
    ``start`` is given, the first date standing on a line of its own in the article
    (lines ``start`` to ``end``); None when there is none."""
    distance = _around(lines, feats, title, end)
    # Near a copy of the title (a teaser list holding this article too), only a line
    # shaped like a dateline: the sentences around it are other teasers'.
    by_copy: set[int] = set()
    for anchor in _title_copies(lines, feats, title):
        for i, d in _around(lines, feats, anchor, end).items():
            if i not in distance:
                by_copy.add(i)
            elif d < distance[i]:
                by_copy.discard(i)
            distance[i] = min(d, distance.get(i, d))
    if byline is not None:
        for i in range(byline - 1, byline + 2):
            if 0 <= i < len(lines) and not lines[i].blank:
                distance.setdefault(i, ABOVE)
    best: tuple[float, float, str] | None = None
    relative: tuple[float, str] | None = None
    for i in sorted(distance):
        text = feats[i].plain
        if len(text) > MAX_CHARS or _quoted(lines[i]):
            continue
        linked_list = feats[i].list_item and feats[i].links
        for match in date_pattern().finditer(text):
            when = as_date(match)
            if when is None:
                continue
            before = text[max(0, match.start() - _LABEL_REACH) : match.start()]
            if linked_list and not (_label_score(before) > 0 or _date_link(feats[i], match)):
                continue  # a teaser's date in a list of links
            if not before.strip():
                # A label on a line of its own above the date ("Datum:").
                before = _previous(lines, feats, i)
            score = -distance[i] / (BELOW + ABOVE) + _label_score(before)
            shaped = _shaped(text, match)
            if i in by_copy and not shaped:
                continue
            score += _SHAPED if shaped else 0.0
            if i == byline:
                score += 1
            # Of dates equally placed, the earliest: a later one is a revision's.
            key = (score, -when.timestamp(), match.group(0).strip(" ,|-–"))
            if best is None or key[:2] > best[:2]:
                best = key
        for match in [] if linked_list else find_relative(text):
            # Relative ("vor 3 Stunden"): only where no absolute date is near.
            before = text[max(0, match.start() - _LABEL_REACH) : match.start()]
            score = -distance[i] / (BELOW + ABOVE) + _label_score(before)
            score += (_SHAPED if _shaped(text, match) else 0.0) + (1 if i == byline else 0)
            if relative is None or score > relative[0]:
                relative = (score, match.group(0).strip(" ,|-–"))
    if best is None and relative is not None:
        return relative[1]
    if best is not None or start is None:
        return None if best is None else best[2]
    return _first_standing(lines, feats, start, end)


def _previous(lines: list[Line], feats: list[Features], i: int) -> str:
    """The previous non-blank line's text when it is short enough to be a label."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if not lines[j].blank:
            return feats[j].plain if len(feats[j].plain) <= _LABEL_REACH else ""
    return ""


def _quoted(line: Line) -> bool:
    """A block quote's line: an embedded post or a quotation prints its own date."""
    return line.text.lstrip().startswith(">")


#: Words beside a date that a list item made of one link may hold ("Posted", "am").
_LINK_WORDS = 2


def _date_link(feat: Features, match: re.Match[str]) -> bool:
    """Whether a list item of links is the date itself, linked (to the day's archive
    or the post's permalink, as blog themes print it), not a teaser with its date."""
    rest = feat.plain[: match.start()] + " " + feat.plain[match.end() :]
    return not feat.unlinked and len(rest.split()) <= _LINK_WORDS


#: What a dateline-shaped line (a date and a few words: labels, a name, a time) adds.
_SHAPED = 0.5
#: Words beside a date on a dateline-shaped line.
_SHAPED_WORDS = 8


def _shaped(text: str, match: re.Match[str]) -> bool:
    """Whether the line is a date with a few words beside it, not a sentence."""
    rest = text[: match.start()] + " " + text[match.end() :]
    return len(rest.split()) <= _SHAPED_WORDS


def _around(lines: list[Line], feats: list[Features], anchor: int, end: int) -> dict[int, int]:
    """Lines within reach of ``anchor``, by distance in lines a reader's eye stops at:
    lines without a word (pictures, icons, rules) and lists of links (share buttons,
    tags, a date linked to its archive) are passed over, a few of them as one line (a
    whole menu between a header's date and the title is far); they are in reach
    themselves, at the distance of the next line the eye stops at."""

    def counted(i: int) -> bool:
        worded = any(c.isalnum() for c in feats[i].plain)
        return worded and not (feats[i].list_item and feats[i].links)

    reach: dict[int, int] = {anchor: 0}
    for step, limit in ((-1, ABOVE), (1, BELOW)):
        seen = passed = 0
        stop = -1 if step < 0 else min(len(lines), end + 1)
        for i in range(anchor + step, stop, step):
            if lines[i].blank:
                continue
            if counted(i):
                seen += 1
            else:
                passed += 1
            far = seen + passed // _PASSED + (not counted(i))
            if far > limit:
                break
            reach[i] = max(far, 1)
    return reach


#: Lines passed over that count as one line of distance.
_PASSED = 4


def _title_copies(lines: list[Line], feats: list[Features], title: int) -> list[int]:
    """Other lines printing the title's text (a page that repeats its headline above
    the dateline and again as the article's heading)."""
    words = feats[title].plain.casefold().strip(" #")
    if len(words) < _MIN_TITLE:
        return []
    return [
        i
        for i, feat in enumerate(feats)
        if i != title and not lines[i].blank and feat.plain.casefold().strip(" #") == words
    ]


#: A title shorter than this is too common a string to look for elsewhere.
_MIN_TITLE = 20


def find_page_date(lines: list[Line], feats: list[Features]) -> tuple[str, PublishedSource] | None:
    """A last resort for a page whose article shows no dateline, with its source: the
    first date the page prints anywhere on a line of its own or after a publication
    label, outside links and lists of links (``page_date``: it may sit in a header or a
    sidebar the layout keeps far from the title); else the first date anywhere in the
    page's visible text, in a link's text, a list, a sentence or a quotation, or printed
    across short lines in a row ("03" above "May 2022", a calendar badge) (``page_text``:
    the weakest guess, so the page is not reported undated while it shows a date); None
    when the page's text holds no date.

    Kept this plain on purpose: rules that picked among a page's dates (a copy of the
    title in a recent-posts list first; no revision's, footer's or list's date) were
    right more often on the development pages and less often on the holdout.
    """
    shaped = _first_shaped(lines, feats, range(len(lines)), None)
    if shaped is not None:
        return shaped, "page_date"
    texts = [("" if line.blank else feat.plain) for line, feat in zip(lines, feats, strict=True)]
    for text in texts:
        for match in date_pattern().finditer(text):
            if as_date(match) is not None:
                return match.group(0).strip(" ,|-–"), "page_text"
    short = [t for t in texts if t]
    for i in range(len(short) - 1):
        window = short[i : i + _BADGE_LINES]
        if max(len(t) for t in window) > _BADGE_CHARS:
            continue
        for match in date_pattern().finditer(" ".join(window)):
            if as_date(match) is not None:
                return match.group(0).strip(" ,|-–"), "page_text"
    return None


#: A date printed across lines (a calendar badge): how many short lines, how short.
_BADGE_LINES, _BADGE_CHARS = 3, 40


def _first_standing(lines: list[Line], feats: list[Features], start: int, end: int) -> str | None:
    """The first date of the article that stands on a dateline-shaped line of its own,
    outside links and lists of links: a dateline the layout put away from the title."""
    return _first_shaped(lines, feats, range(start, min(len(lines), end + 1)), MAX_CHARS)


def _first_shaped(
    lines: list[Line], feats: list[Features], rows: range, max_chars: int | None
) -> str | None:
    for i in rows:
        feat = feats[i]
        too_long = max_chars is not None and len(feat.plain) > max_chars
        if lines[i].blank or too_long or (feat.list_item and feat.links):
            continue
        text = feat.unlinked if feat.links else feat.plain
        for match in date_pattern().finditer(text):
            before = text[max(0, match.start() - _LABEL_REACH) : match.start()]
            # A labelled date counts in a sentence too: "Erstellt am 6. Mai 2014 und
            # abgelegt unter [Linux](...), [Tutorials](...)" closes a blog post.
            labelled = _label_score(before) > 0
            if as_date(match) is not None and (labelled or _shaped(text, match)):
                return match.group(0).strip(" ,|-–")
    return None


__all__ = [
    "absolute_over",
    "find_dateline",
    "find_page_date",
    "read_date",
    "read_datetime",
    "read_days",
]
