"""Caches that serve the checks of one chunk and end with it.

Several checks read the same derived view of a chunk's column (its body lines, the
site-text screen); the first computes it, the rest reuse it. Such a cache holds the
column it was built from, so kept past the chunk it would pin that chunk's text, and
its view, while the next chunk is read: a whole chunk's memory more at every peak.
:func:`release`, called once a chunk's checks have run, empties them all.
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")

_CACHES: list[list[Any]] = []


def per_chunk(cache: list[T]) -> list[T]:
    """Register ``cache`` (a list of entries) to be emptied after every chunk; returns it."""
    _CACHES.append(cache)
    return cache


def release() -> None:
    """Empty every per-chunk cache: the chunk they served is done."""
    for cache in _CACHES:
        cache.clear()
