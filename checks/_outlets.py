"""The outlet a global check groups an article by."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from corpus_qa.text.chunk_caches import per_chunk
from corpus_qa.text.re2 import group

__all__ = ["outlet_groups"]

_HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:www\.)?(?P<host>[^/?#:]+)"

#: The last chunk's outlets, by the columns they came from: ``boilerplate.recurring``
#: and ``boilerplate.foreign_headline`` group the same chunk's articles. The columns
#: are held, so while cached no other array can have their buffers' addresses.
_LAST: list[
    tuple[tuple[object, ...], tuple[pa.ChunkedArray, ...], pd.api.extensions.ExtensionArray]
]
_LAST = per_chunk([])


def outlet_groups(articles: pd.DataFrame) -> pd.Series:
    """Each article's outlet, case folded; else its URL's host; else ""."""
    columns = [
        getattr(articles[name].array, "_pa_array", None)
        for name in ("outlet", "url")
        if name in articles.columns
    ]
    arrays = tuple(c for c in columns if isinstance(c, pa.ChunkedArray))
    identity = _identity(arrays) if len(arrays) == len(columns) else None
    for held, _, values in _LAST if identity is not None else ():
        if held == identity:
            return pd.Series(values, index=articles.index, copy=False)
    owner = _casefold(articles["outlet"].astype("str"))
    nameless = owner.isna().to_numpy()
    if nameless.any():
        # The URL's host only where the outlet is missing: the regex over every URL
        # costs as much as the rest of a check's grouping.
        urls = articles["url"].astype("str")[nameless]
        owner = owner.fillna(group(urls, _HOST, "host").str.casefold())
    owner = owner.fillna("")
    if identity is not None:
        _LAST[:] = [(identity, arrays, owner.array)]
    return owner


def _identity(columns: tuple[pa.ChunkedArray, ...]) -> tuple[object, ...] | None:
    """Where the columns' Arrow buffers lie (equal: the same immutable values)."""
    if not columns:
        return None
    return tuple(
        (chunk.offset, len(chunk), *(0 if b is None else b.address for b in chunk.buffers()))
        for column in columns
        for chunk in column.chunks
    )


def _casefold(values: pd.Series) -> pd.Series:
    """``values.str.casefold()``, each distinct value folded once (a chunk's articles
    share a few outlets)."""
    codes, distinct = pd.factorize(values)
    folded = pd.array([str(value).casefold() for value in distinct], dtype="str")
    return pd.Series(folded.take(codes, allow_fill=True), index=values.index, name=values.name)
