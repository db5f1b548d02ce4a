"""Article text that lost its structure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.api import Check, contains_literal, hits
from corpus_qa.checks.options import CheckOptions
from corpus_qa.lexicons import phrases
from corpus_qa.model import Severity
from corpus_qa.text.re2 import contains

_DECK_WINDOW = 400
# A lower-case word directly followed by a capitalised sentence opener, with no
# punctuation between: the seam where a deck or standfirst was glued to the lede.
# Only function words: titles and names ("Kazakh President Tokayev") are not seams.
_SENTENCE_OPENERS = (
    "As|The|In|A|An|When|While|After|But|For|On|At|It|This|That|With|According|Since|"
    "Despite|Amid|Under|If|Although|Following|During|Meanwhile|However|Earlier"
)
_DECK_SEAM = r"[a-z0-9%'’)] (?:" + _SENTENCE_OPENERS + r") "
# The seam must fall inside the body's first sentence: a deck has no full stop.
_DECK_IN_FIRST_SENTENCE = r"^[^.!?\n]{20,300}" + _DECK_SEAM
# The same without the bound on the opening's length: counting to 300 gives RE2 an
# automaton of hundreds of states, several times slower to run; the bound is then
# checked on the few bodies this one leaves.
_DECK_UNBOUNDED = r"^[^.!?\n]{20}[^.!?\n]*" + _DECK_SEAM
_DECK_SEAM_RE = re.compile(_DECK_SEAM)
_SENTENCE_END = re.compile(r"[.!?\n]")
_ARTICLES = frozenset({"The", "A", "An"})
# A headline run into the lede is in title case: this share of its longer words
# capitalised (at least three of them).
_TITLE_CASE_SHARE = 0.6
_TITLE_CASE_MIN_WORDS = 3


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    capital = sum(w[0].isupper() for w in words)
    return capital >= _TITLE_CASE_MIN_WORDS and capital >= _TITLE_CASE_SHARE * len(words)


def find_seam(text: str, joiners: frozenset[str]) -> re.Match[str] | None:
    """The first seam in the first sentence of ``text`` that is no name or title.

    Not seams: a capitalised opener inside a run of capitalised words ("Meta
    Programming In Python"), after a word that joins it to the sentence ("performance
    of The Tempest"), an article before a capitalised word ("album The Tortured Poets
    Department"), or after an opening in title case (a headline, not a deck).
    """
    first = _SENTENCE_END.search(text)
    stop = first.start() if first else len(text)
    for match in _DECK_SEAM_RE.finditer(text, 0, stop + 1):
        before = text[: match.start() + 1].split()
        previous = before[-1] if before else ""
        opener = match.group(0).split()[-1]
        after = text[match.end() : match.end() + 40].split()
        following = after[0] if after else ""
        if previous[:1].isupper() or previous.lower().strip("'’)") in joiners:
            continue
        if opener in _ARTICLES and following[:1].isupper():
            continue
        if _title_case(text[: match.start() + 1]):
            continue
        return match
    return None


@dataclass(frozen=True)
class FlattenedOptions(CheckOptions):
    #: Shorter bodies are not flagged for having no paragraph break.
    min_chars: int = 1000


class TextFlattened(Check):
    """Paragraph breaks lost: the body is one long line, or a deck is run into the lede.

    What it catches
    ---------------
    Bodies of at least ``min_chars`` characters (option, default 1000) without a
    single line break, and bodies whose first sentences show a seam where a deck
    (standfirst) was glued to the first sentence without punctuation ("...export
    stakes grow As Japan and the United States..."). One finding per article: the
    seam when there is one (evidence: the seam), else the flattened body (evidence:
    its opening).

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Paragraphs carry structure that summarizers, chunkers and readers rely on; a
    deck fused into the lede produces a sentence the author never wrote, which then
    ends up in quotes, summaries and training data.

    Example
    -------
    ``Korea must secure tariff terms no worse than Tokyo's as investment and export
    stakes grow As Japan and the United States conclude a high-profile tariff
    agreement, ...`` (4,000 characters on one line).

    How to fix the scraper
    ----------------------
    Join block elements (``p``, ``h2``, ``li``, the deck's own element) with blank
    lines instead of spaces; extract the deck into its own field.
    """

    id: ClassVar[str] = "text.flattened"
    name: ClassVar[str] = "Flattened text"
    severity: ClassVar[Severity] = "warning"
    Options = FlattenedOptions
    options: FlattenedOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        min_chars = self.options.min_chars
        body = articles["body"].astype("str").fillna("")
        size = np.asarray(pc.binary_length(pa.array(body)))

        def at_least(chars: int, rows: np.ndarray) -> np.ndarray:
            # A character is 1 to 4 UTF-8 bytes: count characters only where the byte
            # length leaves doubt, and only in the few bodies that could be flagged
            # (counting characters in every body costs far more than comparing lengths).
            out = np.zeros(len(size), dtype=bool)
            out[rows] = size[rows] >= 4 * chars
            doubt = rows[(size[rows] >= chars) & ~out[rows]]
            out[doubt] = body.iloc[doubt].str.len().to_numpy() >= chars
            return out

        unbroken = np.flatnonzero(~contains_literal(body, "\n").to_numpy())
        one_line = at_least(min_chars, unbroken)
        # Both patterns are anchored and end where the first sentence does, so RE2 reads
        # no further into a body than its opening.
        loose = np.flatnonzero(contains(body, _DECK_UNBOUNDED))
        seamed = loose[contains(body.iloc[loose], _DECK_IN_FIRST_SENTENCE)]
        long_seamed = np.flatnonzero(at_least(min_chars // 2, seamed))
        # Python only on the few bodies RE2 found a seam in: which are names or titles.
        joiners = frozenset(phrases("text_seams.joiners", ["en"]))
        rows: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        opening = body.iloc[long_seamed].str.slice(0, _DECK_WINDOW)
        for row, text in zip(long_seamed.tolist(), opening, strict=True):
            match = find_seam(str(text), joiners)
            if match is not None:
                rows.append(row)
                # Evidence: the word before the seam and the opener, e.g. "grow As".
                starts.append(str(text).rfind(" ", 0, match.start() + 1) + 1)
                ends.append(match.end() - 1)
        has_seam = np.zeros(len(size), dtype=bool)
        has_seam[rows] = True
        flat_rows = np.flatnonzero(one_line & ~has_seam)
        length = body.iloc[flat_rows].str.len()
        seam_hits = hits(
            rows,
            "body",
            "a deck or standfirst runs into the first sentence (no break before it)",
            start=starts,
            end=ends,
        )
        evidence_end = np.minimum(length.to_numpy(), 80)
        flat_hits = hits(
            flat_rows,
            "body",
            "body of "
            + length.astype("str")
            + " characters on one line: paragraph breaks were lost",
            start=[0] * len(flat_rows),
            end=evidence_end.tolist(),
        )
        return pd.concat([seam_hits, flat_hits], ignore_index=True)
