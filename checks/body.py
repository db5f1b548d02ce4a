"""Article bodies and titles that are missing or too thin to be an article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.options import CheckOptions
from corpus_qa.model import Severity

# Scripts written without spaces between words: a run of them is one "token" to a
# whitespace split, so their characters are counted instead, two to a word (the
# usual length of a Chinese or Japanese word).
_UNSPACED = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]"
_CHARS_PER_UNSPACED_WORD = 2
# Longer than this many bytes per wanted word, a body is not counted: no language
# averages that much per word, so it certainly has enough.
_MAX_BYTES_PER_WORD = 40


def _strings(series: pd.Series) -> pa.Array:
    strings = pa.array(series.astype("str"))
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    return strings


def blank(series: pd.Series) -> np.ndarray:
    """Whether each value is missing, empty or only whitespace."""
    strings = _strings(series)
    empty = pc.or_kleene(pc.equal(pc.binary_length(strings), 0), pc.utf8_is_space(strings))
    return np.asarray(pc.fill_null(empty, True), dtype=bool)


def word_counts(series: pd.Series) -> np.ndarray:
    """Words per value: whitespace-separated tokens, plus half the characters of
    scripts written without spaces (Chinese, Japanese, Thai ...)."""
    strings = _strings(series)
    if len(strings) == 0:
        return np.zeros(0, dtype=np.int64)
    tokens = pc.list_value_length(pc.utf8_split_whitespace(strings))
    unspaced = pc.count_substring_regex(strings, _UNSPACED)
    words = pc.add(
        pc.fill_null(tokens, 0),
        pc.divide(pc.fill_null(unspaced, 0), _CHARS_PER_UNSPACED_WORD),
    )
    return np.asarray(words, dtype=np.int64)


class BodyEmpty(Check):
    """The record has no article text.

    What it catches
    ---------------
    Articles whose body is missing, empty or only whitespace, including extractor
    records that hold nothing but an id and a URL (the extractor failed on the page).

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A record without text is no article: it inflates counts, and anything joined on
    it (translations, summaries, embeddings) is empty. A share of empty bodies that
    grows is the first sign that a site changed its template or started blocking.

    Example
    -------
    ``{"id": "06916869349960a9", "url": "http://example.org/ausbildung.html",
    "title": "Feuerwehr Oldenburg", "text": ""}``

    How to fix the scraper
    ----------------------
    Look at the page the record came from: if the article is there, fix the body
    selector or the extractor's settings; if it is a bot wall or an error page, fetch
    again (slower, with a browser) and do not store the empty record.
    """

    id: ClassVar[str] = "body.empty"
    name: ClassVar[str] = "Empty body"
    severity: ClassVar[Severity] = "error"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        rows = np.flatnonzero(blank(articles["body"]))
        return hits(rows, "body", "no article text: the body is empty")


@dataclass(frozen=True)
class ShortOptions(CheckOptions):
    #: Bodies with fewer words are short (two characters a word in unspaced scripts).
    min_words: int = 15


class BodyShort(Check):
    """The body is too short to be an article.

    What it catches
    ---------------
    Bodies with some text but fewer than ``min_words`` words (option, default 15).
    Words are whitespace-separated tokens; in scripts written without spaces
    (Chinese, Japanese, Thai) two characters count as a word. Empty bodies are
    ``body.empty``'s.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A body of a few words is usually not the article but a fragment the extractor
    settled for: a caption, a teaser, a cookie notice or the deck alone. It passes
    every "non-empty" test and then carries nothing downstream.

    Example
    -------
    ``"text": "Foto: dpa. Mehr zum Thema lesen Sie hier."`` for a 900-word report.

    How to fix the scraper
    ----------------------
    Compare the record with its page: point the body selector at the article
    container rather than the first text block, and wait for client-side rendering
    where the page loads its text with JavaScript.
    """

    id: ClassVar[str] = "body.short"
    name: ClassVar[str] = "Short body"
    severity: ClassVar[Severity] = "warning"
    Options = ShortOptions
    options: ShortOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        min_words = self.options.min_words
        body = articles["body"]
        size = np.asarray(pc.binary_length(_strings(body)).fill_null(0), dtype=np.int64)
        # Only bodies short enough in bytes to be short in words are counted.
        candidates = np.flatnonzero((size > 0) & (size < min_words * _MAX_BYTES_PER_WORD))
        subset = body.iloc[candidates]
        words = word_counts(subset)
        keep = (words < min_words) & ~blank(subset)
        rows = candidates[keep]
        counts = words[keep]
        message = [f"body of {n} words (fewer than {min_words})" for n in counts.tolist()]
        return hits(rows, "body", pd.Series(message, dtype="str"))


class TitleMissing(Check):
    """The record has no title.

    What it catches
    ---------------
    Records whose title is missing, empty or only whitespace. Articles parsed from
    crawled pages are not judged: their title is the page parser's pick, and a page
    it cannot pick one from is no scraper defect.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    The headline is what search results, deduplication by title and every listing
    show; a news article always has one, so a missing title means the title selector
    missed or the record is not an article at all (an error page, an empty extract).

    Example
    -------
    ``{"id": "3db5a46c25607094", "url": "https://example.org/2024/05/17/budget",
    "title": null, "text": "The council approved ..."}``

    How to fix the scraper
    ----------------------
    Read the title from ``<h1>`` in the article container, falling back to
    ``og:title`` or JSON-LD ``headline``, and strip the site name that ``<title>``
    appends.
    """

    id: ClassVar[str] = "title.missing"
    name: ClassVar[str] = "Missing title"
    severity: ClassVar[Severity] = "error"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        missing = blank(articles["title"])
        if "role" in articles:
            missing &= (articles["role"].astype("str") == "record").to_numpy(dtype=bool)
        return hits(np.flatnonzero(missing), "title", "no title")
