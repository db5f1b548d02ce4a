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
        seam = loose[contains(body.iloc[loose], _DECK_IN_FIRST_SENTENCE)]
        has_seam = at_least(min_chars // 2, seam)
        seam_rows = np.flatnonzero(has_seam)
        # Evidence: the word before the seam and the opener, e.g. "grow As". Only the
        # few flagged rows are walked in Python.
        rows: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        opening = body.iloc[seam_rows].str.slice(0, _DECK_WINDOW)
        for row, text in zip(seam_rows.tolist(), opening, strict=True):
            match = _DECK_SEAM_RE.search(str(text))
            if match is not None:
                rows.append(row)
                starts.append(str(text).rfind(" ", 0, match.start() + 1) + 1)
                ends.append(match.end() - 1)
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
