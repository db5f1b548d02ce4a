"""Lines of a page's teaser cards and tag lists that extractors leave in a body.

Two shapes no article writes:

- a *dated teaser line*: a line that opens with a date run into its text without a
  space ("26.09.2019Komoot ist ...": the card's date and title elements glued) or
  set off by a card separator ("12 May 2021 | Headline", "vor 3 Stunden Headline").
  A chronology of the article writes "12. Mai 2021: ..." or "12.05.2021 - ...": a
  colon or a dash is no card separator, so it is left alone. One such line is a card
  only where cards stand, beside another or closing the body; a relative date
  ("3 hours ago Headline") only beside another;
- a *tag line*: a line of hashtags only ("#Klima #Energie"), or a tag label of the
  lexicon ("Tags:", "Schlagwörter:") followed by a list of short items.

Months come from the ``date_months`` lexicon, relative dates from ``dates.relative``
(its templates with a count only: "gestern" alone starts many sentences), tag labels
from ``site_text.tag_labels``. RE2 screens a chunk's
line starts of the chunk's shared line split (anchored: a line is given up at
its first characters); Python reads the few bodies that may hold such a line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.builtin import _date_words as date_words
from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.lexicons import phrases
from corpus_qa.text import keys as text_keys
from corpus_qa.text.lines import body_lines
from corpus_qa.text.screens import rows_with_any_byte

#: A glued or separated teaser line is at most this long (a title and its teaser).
TEASER_LINE = 300
#: A line led by a relative date is a card's only as a headline: this short, no stop.
RELATIVE_LINE = 160
#: Cards of one list stand at most this many lines apart (a title, then its teaser).
CARD_GAP = 2
#: A tag line is at most this long; each tag at most this many words and characters.
TAG_LINE = 200
TAG_WORDS = 4
TAG_CHARS = 40

#: The chunk's shared line split (the one boilerplate.foreign_headline asks for):
#: lines of this many characters and more, with this much of their start.
SCREEN_LINE_CHARS = 10
SCREEN_EVIDENCE_CHARS = 161

_LEAD = r"[ \t*•·>-]*"
_NUMERIC = r"(?:[0-9]{1,2}[./][0-9]{1,2}[./](?:[0-9]{4}|[0-9]{2})|[0-9]{4}-[0-9]{2}-[0-9]{2})"
_TIME = r"(?:,?[ \t]+[0-9]{1,2}[:.][0-9]{2})?"
#: What sets a card's date off its title: a bar or a bullet, never a colon or a dash.
_SEPARATOR = r"[ \t]*[|•·∙][ \t]*"
_HASHTAG = r"#[0-9_]*[^\W\d_][\w-]*"
_HASHTAG_LINE = re.compile(rf"{_LEAD}{_HASHTAG}(?:[ \t,;·|]*{_HASHTAG})+[ \t]*")
_ITEM_SPLIT = re.compile(r"[ \t]*[,;|/·•、，][ \t]*")
_SENTENCE_STOP = (".", "!", "?", "…", ":")


def _months() -> str:
    names = {
        n.rstrip(".")
        for m in range(1, 13)
        for n in phrases(f"date_months.m{m:02d}")
        if n.rstrip(".")
    }
    return "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"


@functools.cache
def _date() -> str:
    """A calendar date in digits or with a month's name, optionally with a clock time."""
    month = f"(?i:{_months()})"
    worded = (
        rf"(?:[0-9]{{1,2}}\.?[ \t]+{month}\.?,?[ \t]+[0-9]{{4}}"
        rf"|{month}\.?[ \t]+[0-9]{{1,2}},?[ \t]+[0-9]{{4}})"
    )
    return rf"(?:{_NUMERIC}|{worded}){_TIME}"


@functools.cache
def _relative_date() -> str:
    """A relative date with a count, case folded in its own group (RE2 and ``re``)."""
    pattern: str = date_words.relative_count_pattern()
    return "(?i:" + pattern.removeprefix("(?i)") + ")"


@functools.cache
def _dated() -> re.Pattern[str]:
    return re.compile(rf"{_LEAD}(?P<date>{_date()})(?P<sep>{_SEPARATOR})?")


@functools.cache
def _relative() -> re.Pattern[str]:
    return re.compile(rf"{_LEAD}{_relative_date()}(?:{_SEPARATOR}|[ \t]+)")


def _card(line: str) -> str:
    """How ``line`` opens as a card: "date" (glued or separated), "relative" or ""."""
    match = _dated().match(line)
    if match is not None and len(line) <= TEASER_LINE:
        rest = line[match.end() :]
        head = rest.lstrip("\"'„“«")
        if head and head[0].isalpha() and (match["sep"] or not head[0].islower()):
            return "date"
    match = _relative().match(line)
    if match is not None and len(line) <= RELATIVE_LINE:
        rest = line[match.end() :]
        if rest[:1].isalpha() and not line.endswith((".", "!", "?", "…")):
            return "relative"
    return ""


def teaser_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the dated teaser lines of ``text`` (see the module's docstring)."""
    spans = sitetext.lines(text)
    cards = [(i, _card(text[s:e])) for i, (s, e) in enumerate(spans)]
    cards = [(i, how) for i, how in cards if how]
    found: list[tuple[int, int]] = []
    for k, (i, how) in enumerate(cards):
        near = any(abs(j - i) <= CARD_GAP for j, _ in cards[max(k - 1, 0) : k + 2] if j != i)
        closing = how == "date" and i == len(spans) - 1
        if near or closing:
            found.append(spans[i])
    return found


@functools.cache
def _tag_names() -> str:
    # Not sections.headers.tags: it holds German "Tag" (a day: "Tag: Samstag") and
    # "Themen" (an agenda), whole lines there, lists' heads here.
    words = set(phrases("site_text.tag_labels.words"))
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return rf"(?i:{names})[ \t]*[:：]"


@functools.cache
def _tag_label() -> re.Pattern[str]:
    return re.compile(rf"{_LEAD}{_tag_names()}[ \t]*")


@functools.cache
def _tag_screen() -> str:
    """RE2: a line that may open with a hashtag or a tag label."""
    return rf"^{_LEAD}(?:#[0-9_]*\pL|{_tag_names()})"


def _tag_list(rest: str) -> bool:
    """A list of short tags: no item a sentence."""
    items = [item for item in _ITEM_SPLIT.split(rest.strip()) if item]
    return bool(items) and all(
        len(item) <= TAG_CHARS
        and len(item.split()) <= TAG_WORDS
        and not item.endswith(_SENTENCE_STOP)
        for item in items
    )


def tag_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the hashtag lines and labelled tag lists of ``text``."""
    found: list[tuple[int, int]] = []
    for start, end in sitetext.lines(text):
        line = text[start:end]
        if len(line) > TAG_LINE:
            continue
        if _HASHTAG_LINE.fullmatch(line):
            found.append((start, end))
            continue
        label = _tag_label().match(line)
        if label is not None and _tag_list(line[label.end() :]):
            found.append((start, end))
    return found


#: RE2's first screen for a card's date: a digit opening a line or after a space among
#: its first characters (a relative date's count is screened in digits). Plain
#: classes: ``\pL`` makes RE2 slow, and a large pattern is compiled for every chunk.
_TEASER_PRESCREEN = rf"^{_LEAD}(?:[0-9]|[^0-9\n]{{1,12}}[ \t][0-9])"


def card_starts(evidence: pa.Array, *, native: bool = text_keys.NATIVE) -> np.ndarray:
    """Positions of the lines (their evidence) that :data:`_TEASER_PRESCREEN` keeps: one
    C pass over each line's first characters, else RE2 (the same lines,
    tests/test_boilerplate_cards.py)."""
    if native and text_keys.textkeys is not None:
        offsets, data = text_keys.offsets_and_data(text_keys.arrow_strings(evidence))
        held = np.zeros(len(offsets) - 1, dtype=np.uint8)
        text_keys.textkeys.card_starts(offsets, data, held)
        return np.flatnonzero(held)
    found = pc.match_substring_regex(evidence, _TEASER_PRESCREEN)
    return np.flatnonzero(np.asarray(pc.fill_null(found, False), dtype=bool))


def _screened(pattern: str) -> Callable[[pa.Array], np.ndarray]:
    """RE2's screen of the lines' evidence by ``pattern``: the positions it keeps."""

    def kept(evidence: pa.Array) -> np.ndarray:
        return np.flatnonzero(np.asarray(pc.match_substring_regex(evidence, pattern), bool))

    return kept


#: A byte every line the tag screen keeps holds: a hashtag's "#", a label's ":" or
#: the lead byte of "：".
_TAG_BYTES = (ord("#"), ord(":"), "：".encode()[0])


def tag_starts(evidence: pa.Array) -> np.ndarray:
    """Positions of the lines (their evidence) that :func:`_tag_screen` keeps. RE2 reads
    only the lines holding one of :data:`_TAG_BYTES` (a C pass, ``memchr`` a byte): few
    lines hold any, and RE2's set-up for each value costs more than its search."""
    held = rows_with_any_byte(pd.Series(pd.array(evidence, dtype="str")), _TAG_BYTES)
    if not len(held):
        return held
    kept: np.ndarray = held[_screened(_tag_screen())(evidence.take(pa.array(held)))]
    return kept


def _opens_card(line: str) -> bool:
    """Python's second screen on a line's start, for the few lines RE2 kept."""
    return _dated().match(line) is not None or _relative().match(line) is not None


def find_teasers(bodies: pd.Series) -> list[sitetext.Hit]:
    """Dated teaser lines of ``bodies`` (rows by position)."""
    return _find(bodies, card_starts, _opens_card, teaser_lines, "teaser")


def find_tags(bodies: pd.Series) -> list[sitetext.Hit]:
    """Tag lines of ``bodies`` (rows by position)."""
    return _find(bodies, tag_starts, None, tag_lines, "tags")


def _find(
    bodies: pd.Series,
    screen: Callable[[pa.Array], np.ndarray],
    then: Callable[[str], bool] | None,
    read: Callable[[str], list[tuple[int, int]]],
    site_class: str,
) -> list[sitetext.Hit]:
    bodies = bodies.reset_index(drop=True)
    found: list[sitetext.Hit] = []
    split = body_lines(bodies, SCREEN_LINE_CHARS, SCREEN_EVIDENCE_CHARS)
    if not len(split.row):
        return found
    # Anchored at each line's start: the screen gives up on a line at its first characters.
    kept = screen(split.evidence)
    if then is not None and len(kept):
        starts = split.evidence.take(pa.array(kept)).to_pylist()
        kept = kept[[then(line) for line in starts]]
    for row, text in sitetext.values_at(bodies, np.unique(split.row[kept]).tolist()).items():
        if isinstance(text, str):
            found.extend(sitetext.Hit(row, s, e, site_class) for s, e in read(text))
    return found
