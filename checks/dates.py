"""Publication dates: relative or absent."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.model import Severity
from corpus_qa.parse.datelines import RELATIVE_DATE_PATTERN
from corpus_qa.text.re2 import contains


class DateRelative(Check):
    """Only a relative date was scraped ("21 minutes ago").

    What it catches
    ---------------
    Articles whose scraped date is relative to the moment of scraping: "21 minutes
    ago", "4 hours ago", "yesterday", "3 days ago", with no absolute date beside it.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A relative date is only true at the instant it was scraped. Without the scrape
    time it cannot be turned into a date; with it, only to within the unit shown
    ("4 hours ago" is 4 to 5 hours). Time-based analysis, freshness filters and
    deduplication by date all go wrong.

    Example
    -------
    ``The Daily Example`` / ``21 minutes ago`` / ``- The Daily Example`` above a teaser.

    How to fix the scraper
    ----------------------
    Read the machine-readable date: ``<time datetime>``, ``article:published_time``
    or JSON-LD ``datePublished``, or follow the teaser to the article page. At the
    very least, store the scrape timestamp so the date can be resolved.
    """

    id: ClassVar[str] = "date.relative"
    name: ClassVar[str] = "Relative date only"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        raw = articles["published_raw"].astype("str")
        relative = contains(raw, RELATIVE_DATE_PATTERN)
        rows = np.flatnonzero(relative)
        return hits(
            rows,
            "published_raw",
            "relative date only: '" + raw.iloc[rows] + "' cannot be dated without the scrape time",
            start=[0] * len(rows),
            end=raw.iloc[rows].str.len().tolist(),
        )


class DateMissing(Check):
    """No publication date at all.

    What it catches
    ---------------
    Articles with neither a scraped date string nor a resolved publication time.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Undated news cannot be ordered, filtered by freshness or matched to events;
    a date that disappears across a whole outlet is a template break.

    Example
    -------
    A wire story whose page shows the date in a header the scraper does not read:
    the record has a title and a body, and ``published`` is empty.

    How to fix the scraper
    ----------------------
    Take the date from ``<time datetime>``, ``article:published_time``, JSON-LD
    ``datePublished`` or the URL's date path, in that order.
    """

    id: ClassVar[str] = "date.missing"
    name: ClassVar[str] = "Missing date"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        raw = articles["published_raw"].astype("str")
        missing = (raw.isna() | (raw.str.strip() == "")) & articles["published"].isna()
        rows = np.flatnonzero(missing.to_numpy())
        return hits(rows, "published_raw", "no publication date found")
