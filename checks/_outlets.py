"""The outlet a global check groups an article by."""

from __future__ import annotations

import pandas as pd

from corpus_qa.text.re2 import group

__all__ = ["outlet_groups"]

_HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:www\.)?(?P<host>[^/?#:]+)"


def outlet_groups(articles: pd.DataFrame) -> pd.Series:
    """Each article's outlet, case folded; else its URL's host; else ""."""
    owner = articles["outlet"].astype("str").str.casefold()
    nameless = owner.isna().to_numpy()
    if nameless.any():
        # The URL's host only where the outlet is missing: the regex over every URL
        # costs as much as the rest of a check's grouping.
        urls = articles["url"].astype("str")[nameless]
        owner = owner.fillna(group(urls, _HOST, "host").str.casefold())
    return owner.fillna("")
