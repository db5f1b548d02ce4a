"""The byline's person described in the third person at the end of the body."""

from __future__ import annotations

import functools
import re
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import alternation_of
from corpus_qa.model import Severity
from corpus_qa.text.keys import arrow_strings, offsets_and_data
from corpus_qa.text.lines import chars_before, closing_starts, tails_holding

#: A bio is one of the body's last lines, and short.
_LAST_LINES = 2
_BIO_CHARS = 600
#: The verb follows the name closely ("Jane Doe, 34, is a ...").
_VERB_WITHIN = 40
_NAME_SPLIT = re.compile(r"\s*(?:[;,&/|]|\band\b|\bund\b|\bet\b|\by\b|\boch\b|\bog\b)\s*")


@functools.cache
def _verb_pattern() -> re.Pattern[str]:
    return re.compile(alternation_of(phrases("site_text.bio.verbs")))


@functools.cache
def _names(byline: str) -> list[str]:
    """The byline's names of at least two words ("By" and the like already dropped)."""
    return [n for n in _NAME_SPLIT.split(byline.strip()) if len(n.split()) >= 2]


@functools.cache
def _encoded_names(byline: str) -> tuple[bytes, ...]:
    """:func:`_names` in UTF-8, to look for in a body's bytes."""
    return tuple(name.encode("utf-8") for name in _names(byline))


def bio_line(text: str, byline: str, verbs: re.Pattern[str]) -> tuple[int, int] | None:
    """The span of a last line that opens with a byline name and a bio verb."""
    names = _names(byline)
    if not names:
        return None
    for start, end in sitetext.lines(text)[-_LAST_LINES:]:
        line = text[start:end].lstrip(sitetext._LEAD)
        if end - start > _BIO_CHARS:
            continue
        for name in names:
            if line.startswith(name) and verbs.search(line[len(name) : len(name) + _VERB_WITHIN]):
                return start, end
    return None


class TrailingBio(Check):
    """A third-person bio of the article's author closing the body.

    What it catches
    ---------------
    One of the body's last two lines (up to 600 characters) that opens with a name of
    the article's byline and, within a few words, a verb of the ``site_text.bio``
    lexicon: "Jane Doe is a reporter covering energy.", "Anna Weber schreibt seit 2015
    über Wirtschaft.". The finding spans that line. Without a byline nothing is
    reported: the name is the evidence.

    Scope: per record.

    Why it matters
    --------------
    An author box is page furniture, the same on every article by that author: it
    recurs across the dump, and it is text about the writer, not the story. A warning:
    some outlets close articles with a bio line they consider part of the piece.

    Example
    -------
    ``... the council said.`` / ``Jane Doe is a staff writer covering city hall. Reach
    her at jane@example.com.``

    How to fix the scraper
    ----------------------
    Drop the author box (``.author-bio``, ``[rel=author]`` containers) before taking
    the text, or cut the body at it.
    """

    id: ClassVar[str] = "boilerplate.bio"
    name: ClassVar[str] = "Author bio in the body"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        articles = articles.reset_index(drop=True)
        byline = articles["byline"].astype("str").fillna("")
        body = articles["body"]
        rows = np.flatnonzero((byline.str.len() > 0).to_numpy(dtype=bool))
        # Each bylined body's closing lines, found in the column's own buffer (slicing
        # the column's tails copies most of the text). Their last ``2 * _BIO_CHARS``
        # characters end as the body's as many do; only where a byline name occurs in
        # their bytes is a line decoded and tried.
        offsets, data = offsets_and_data(arrow_strings(body))
        starts = closing_starts(body, rows, _LAST_LINES)
        # Bylines repeat: each distinct one's names are encoded once, and one C pass
        # finds the few closing lines holding one of their own byline's names. Coded in
        # Arrow, in order of first appearance: no Python string per bylined row.
        coded = pc.dictionary_encode(arrow_strings(byline).take(pa.array(rows)))
        codes = coded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        writers = coded.dictionary.to_pylist()
        needles = [_encoded_names(str(writer)) for writer in writers]
        held = np.flatnonzero(tails_holding(body, rows, starts, codes, needles))
        verbs = _verb_pattern()
        found: list[tuple[int, int, int]] = []
        for k in held.tolist():
            row, start, writer = int(rows[k]), int(starts[k]), str(writers[codes[k]])
            first = int(offsets[row])
            closing = data[first + start : int(offsets[row + 1])].tobytes()
            text = closing.decode("utf-8")
            end = text[-_BIO_CHARS * 2 :]
            span = bio_line(end, str(writer), verbs)
            if span is not None:
                shift = chars_before(body, row, start) + len(text) - len(end)
                found.append((row, span[0] + shift, span[1] + shift))
        return hits(
            [r for r, _, _ in found],
            "body",
            "a bio of the byline's author closes the body",
            start=[s for _, s, _ in found],
            end=[e for _, _, e in found],
        )
