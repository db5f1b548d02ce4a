"""Site UI text that leaked into article titles and bodies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits, literal_spans
from corpus_qa.checks.options import CheckOptions
from corpus_qa.model import Severity
from corpus_qa.text.re2 import contains
from corpus_qa.text.screens import screen

#: Phrases that are page UI wherever they appear in article text.
LEAK_PHRASES: tuple[str, ...] = (
    "Try Our AI Features",
    "can do for you:",
    "No comments yet",
    "Be the first to comment",
    "Log in to comment",
    "Sign up for our newsletter",
    "Subscribe to our newsletter",
    "Share this article",
    "Share on Facebook",
    "Share on Twitter",
    "Click here to subscribe",
    "Accept all cookies",
    "We use cookies",
    "Skip to main content",
    "Skip to content",
    "Download our app",
    "Enable JavaScript",
    "All rights reserved",
)
#: Short UI labels: a leak only when one stands as a whole line of the body.
LINE_PHRASES: tuple[str, ...] = (
    "Comments",
    "Related Articles",
    "Related Stories",
    "Read more",
    "Read More",
    "Advertisement",
    "ADVERTISEMENT",
    "Share",
    "Loading...",
    "Most Read",
    "Trending",
    "Recommended",
)


def _alternation(phrases: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)) + ")"


@dataclass(frozen=True)
class LeakOptions(CheckOptions):
    #: More phrases that are page UI wherever they appear.
    phrases: tuple[str, ...] = ()
    #: More labels that are page UI when they stand as a whole line.
    line_phrases: tuple[str, ...] = ()


class BoilerplateLeak(Check):
    """Site UI text inside an article's title or body.

    What it catches
    ---------------
    Known interface phrases in a title or body: promotions ("Try Our AI Features"),
    comment widgets ("No comments yet..."), newsletter and cookie banners, share
    bars; and short UI labels ("Comments", "Related Articles", "Advertisement") when
    they stand as a whole line of the body. Extend both lists with the policy options
    ``phrases`` and ``line_phrases``.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Leaked UI text is the same on every page, so it dominates n-gram statistics,
    deduplication and any model trained on the corpus, and it shows the extractor
    has lost the article's boundaries: more of the page may have leaked than the
    phrase shows.

    Example
    -------
    ``... the office said. (Yonhap) Try Our AI Features Explore what Site AI can
    do for you: Comments No comments yet... Related Articles``

    How to fix the scraper
    ----------------------
    Restrict extraction to the article container and remove ``aside``, ``nav``,
    comment and promotion widgets before taking text; stop at the first
    related-articles block.
    """

    id: ClassVar[str] = "boilerplate.leak"
    name: ClassVar[str] = "Boilerplate in article text"
    severity: ClassVar[Severity] = "error"
    Options = LeakOptions
    options: LeakOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        phrases = [*LEAK_PHRASES, *self.options.phrases]
        labels = [*LINE_PHRASES, *self.options.line_phrases]
        anywhere = _alternation(phrases)
        whole_line = _alternation(labels)
        found = [(literal_spans(articles["title"], anywhere), "title", 0)]
        # A full RE2 scan of every body for either list is the costly part; rare-character
        # screens, far cheaper, leave the few bodies that may hold a phrase, or a label at the
        # start of a line, and only those are scanned in full and searched for spans.
        body = articles["body"].astype("str").fillna("").reset_index(drop=True)
        maybe = screen(body, [*phrases, *phrase_lines(labels)])
        maybe |= contains(body, "^" + whole_line)
        candidates = np.flatnonzero(maybe)
        subset = body.iloc[candidates].reset_index(drop=True)
        spans = literal_spans(subset, anywhere)
        spans["row"] = candidates[spans["row"].to_numpy()]
        found.append((spans, "body", 0))
        # Pad with newlines so a whole-line match is a literal-anchored pattern (no
        # multi-line "$"); only bodies that hold a label can hold it as a whole line.
        labelled = np.flatnonzero(contains(subset, whole_line))
        padded = "\n" + subset.iloc[labelled].reset_index(drop=True) + "\n"
        spans = literal_spans(padded, "\n" + whole_line + "\n")
        spans["row"] = candidates[labelled[spans["row"].to_numpy()]]
        found.append((spans, "body", -2))
        return _leak_hits(found)


def phrase_lines(labels: Iterable[str]) -> list[str]:
    """A label as a whole line, but for the body's first line: what follows a newline."""
    return ["\n" + label for label in labels]


def _leak_hits(found: list[tuple[pd.DataFrame, str, int]]) -> pd.DataFrame:
    """One hits frame from (spans, field, shift of the end) parts: a frame per part
    and their concatenation cost more than the scans of a clean chunk."""
    return hits(
        np.concatenate([spans["row"].to_numpy() for spans, _, _ in found]),
        [field for spans, field, _ in found for _ in range(len(spans))],
        "site UI text in the article",
        start=np.concatenate([spans["start"].to_numpy() for spans, _, _ in found]).tolist(),
        end=np.concatenate([spans["end"].to_numpy() + shift for spans, _, shift in found]).tolist(),
    )
