"""Pages served instead of the article: bot walls, errors, paywalls."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.builtin.body import word_counts
from corpus_qa.checks.options import CheckOptions
from corpus_qa.lexicons import alternation, categories, phrases
from corpus_qa.model import Severity

# A wall's text opens the body; further in, only a body of a few words is dominated
# by it (a short article that ends on a cookie line is boilerplate.leak's).
_LEAD_CHARS = 300
# Bytes a word takes at most in the bodies worth counting: longer bodies are articles.
_MAX_BYTES_PER_WORD = 16
_KINDS = {
    "challenge": "a bot challenge",
    "denied": "an access-denied page",
    "javascript": "an enable-JavaScript notice",
    "cookies": "a cookie wall",
    "not_found": "a not-found page",
    "paywall": "a paywall stub",
}


@functools.cache
def _kind_of() -> dict[str, str]:
    """Each phrase, casefolded, to its kind (the leaf of ``blocked_page``)."""
    kinds: dict[str, str] = {}
    for category in categories():
        if category.startswith("blocked_page."):
            kind = category.split(".", 1)[1]
            for phrase in phrases(category):
                kinds.setdefault(" ".join(phrase.casefold().split()), kind)
    return kinds


@dataclass(frozen=True)
class BlockedOptions(CheckOptions):
    #: Only bodies with fewer words can be a wall's text.
    max_words: int = 120


class PageBlocked(Check):
    """The body is a bot wall, an error page or a paywall stub, not the article.

    What it catches
    ---------------
    Short bodies (fewer than ``max_words`` words, option, default 120) that open with
    the text of a page served instead of the article, or hold it anywhere when under
    a quarter of ``max_words``: a bot challenge or captcha ("Checking your browser
    before accessing", "Ich bin kein Roboter"), access denied ("403 Forbidden",
    "Accès refusé"), an enable-JavaScript notice, a cookie wall or consent notice, a
    soft 404 ("Seite nicht gefunden", "Página no encontrada") or a paywall stub
    ("Subscribe to continue reading", "Cet article est réservé aux abonnés").
    Phrases per language in the lexicon table ``blocked_page``. An article that
    mentions a captcha, or ends on a cookie line, is not flagged.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    The scraper stored the wall, not the news: the record looks like an article,
    has a title and a URL, and every downstream count, index and model takes the
    same few sentences of error text for content, once per blocked page.

    Example
    -------
    ``"text": "Access Denied. You don't have permission to access this resource
    on this server. Reference #18.2f6e1002"``

    How to fix the scraper
    ----------------------
    Check the HTTP status and the page for a challenge before extracting; back off
    and retry blocked hosts later or through a browser; log paywalled pages instead
    of storing their teaser as the article.
    """

    id: ClassVar[str] = "page.blocked"
    name: ClassVar[str] = "Blocked page"
    severity: ClassVar[Severity] = "error"
    Options = BlockedOptions
    options: BlockedOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        max_words = self.options.max_words
        body = articles["body"].astype("str").fillna("").reset_index(drop=True)
        strings = pa.array(body)
        size = np.asarray(pc.binary_length(strings).fill_null(0), dtype=np.int64)
        # Only short bodies can be a wall: count words in those, then search them.
        candidates = np.flatnonzero((size > 0) & (size < max_words * _MAX_BYTES_PER_WORD))
        short = candidates[word_counts(body.iloc[candidates]) < max_words]
        where, phrases_all = _phrases(body.iloc[short])
        texts_all = body.iloc[short[where]].tolist()
        starts_all = [t.find(p) for t, p in zip(texts_all, phrases_all, strict=True)]
        tiny = word_counts(body.iloc[short[where]]) < max_words // 4
        keep = [i for i, start in enumerate(starts_all) if start < _LEAD_CHARS or bool(tiny[i])]
        rows = short[where][keep]
        phrases_found = [phrases_all[i] for i in keep]
        starts = [starts_all[i] for i in keep]
        kinds = _kind_of()
        messages = [
            f"{_KINDS.get(kinds.get(' '.join(p.casefold().split()), ''), 'a blocked page')}"
            f" instead of the article: '{p}'"
            for p in phrases_found
        ]
        return hits(
            rows,
            "body",
            pd.Series(messages, dtype="str"),
            start=starts,
            end=[s + len(p) for s, p in zip(starts, phrases_found, strict=True)],
        )


def _phrases(bodies: pd.Series) -> tuple[np.ndarray, list[str]]:
    """The positions of ``bodies`` holding a blocked-page phrase, and each one's first.

    No bodies, no search: Arrow compiles the lexicon's alternation on every call."""
    if not len(bodies):
        return np.zeros(0, dtype=np.intp), []
    pattern = f"(?i:{alternation('blocked_page')})"
    found = pc.extract_regex(pa.array(bodies), f"(?P<m>{pattern})")
    matched = pc.struct_field(found, "m")
    where = np.flatnonzero(np.asarray(pc.is_valid(matched), dtype=bool))
    phrases: list[str] = matched.take(pa.array(where, pa.int64())).to_pylist()
    return where, phrases
