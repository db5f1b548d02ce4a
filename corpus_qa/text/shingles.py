"""Exact Jaccard similarity of word shingle sets: near-duplicate candidates confirmed.

MinHash (:mod:`corpus_qa.text.minhash`) only proposes pairs; each is confirmed on the
two bodies' sets of 64-bit shingle hashes. The candidates' sets are built at once as
one table (every record's sorted, distinct hashes one after another, and where each
record starts), and every pair's shared count is taken from it by a merge: in C where
the extension is built, else by numpy per pair (the same counts).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from corpus_qa.text import keys as text_keys
from corpus_qa.text.minhash import shingle_hashes, word_hashes

#: Records sorted at once: their padded rows are the transient.
_ROWS = 1024
#: Padding past this many times the hashes themselves sorts by (record, hash) instead.
_PADDING = 4
_PAD = np.uint64(np.iinfo(np.uint64).max)


def _distinct_rows(values: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each record's distinct values, sorted, one record after another; how many each
    has) of ``values`` holding ``sizes[i]`` values of record ``i`` in turn."""
    rows = len(sizes)
    width = int(sizes.max(initial=0))
    owner = np.repeat(np.arange(rows), sizes)
    if rows * width > _PADDING * len(values) + _ROWS:
        # One long body among short ones: its padding would dwarf the hashes.
        order = np.lexsort((values, owner))
        values, owner = values[order], owner[order]
        keep = np.ones(len(values), dtype=bool)
        keep[1:] = (values[1:] != values[:-1]) | (owner[1:] != owner[:-1])
        return values[keep], np.bincount(owner[keep], minlength=rows)
    # Many short sorts, one per row, are far cheaper than one sort of everything by
    # (record, value). Padding sorts last, and only each row's first `size` are read.
    table = np.full((rows, width), _PAD, dtype=np.uint64)
    starts = np.cumsum(sizes) - sizes
    table[owner, np.arange(len(values)) - np.repeat(starts, sizes)] = values
    table.sort(axis=1)
    keep = np.arange(width)[None, :] < sizes[:, None]
    keep[:, 1:] &= table[:, 1:] != table[:, :-1]
    return table[keep], keep.sum(axis=1)


def shingle_table(body: pd.Series, shingle: int) -> tuple[np.ndarray, np.ndarray]:
    """(every record's sorted, distinct word ``shingle``-gram hashes, one record after
    another, uint64; where each record's start, ``len + 1`` int64).

    Bodies are hashed and sorted :data:`_ROWS` at a time: their words' and grams'
    hashes are several times the table, and the table is all that is kept.
    """
    parts, kept = [np.zeros(0, dtype=np.uint64)], [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(body), _ROWS):
        words, counts = word_hashes(body.iloc[start : start + _ROWS])
        shingles, owner = shingle_hashes(words, counts, shingle)
        del words
        values, distinct = _distinct_rows(shingles, np.bincount(owner, minlength=len(counts)))
        parts.append(values)
        kept.append(distinct.astype(np.int64))
    bounds = np.concatenate([[0], np.cumsum(np.concatenate(kept))]).astype(np.int64)
    return np.concatenate(parts), bounds


def shingle_sets(body: pd.Series, shingle: int) -> list[np.ndarray]:
    """Every record's sorted, distinct shingle hashes (for exact Jaccard)."""
    values, bounds = shingle_table(body, shingle)
    return [values[start:end] for start, end in pairwise(bounds.tolist())]


def common_counts(
    values: np.ndarray, bounds: np.ndarray, pairs: np.ndarray, *, native: bool = text_keys.NATIVE
) -> np.ndarray:
    """How many hashes each pair ``(a, b)`` of :func:`shingle_table` records shares."""
    pairs = np.ascontiguousarray(pairs, dtype=np.int64).reshape(-1, 2)
    if native and text_keys.textkeys is not None:
        common = np.empty(len(pairs), dtype=np.int64)
        text_keys.textkeys.common_counts(
            np.ascontiguousarray(values, dtype=np.uint64),
            np.ascontiguousarray(bounds, dtype=np.int64),
            pairs,
            common,
        )
        return common
    return np.array(
        [
            len(
                np.intersect1d(values[bounds[a] : bounds[a + 1]], values[bounds[b] : bounds[b + 1]])
            )
            for a, b in pairs.tolist()
        ],
        dtype=np.int64,
    )


def pair_jaccards(values: np.ndarray, bounds: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Each pair's :func:`jaccard` (float64), from one :func:`shingle_table`."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    sizes = np.diff(bounds)
    common = common_counts(values, bounds, pairs)
    union = sizes[pairs[:, 0]] + sizes[pairs[:, 1]] - common
    # Both exact integers below 2**53: numpy's division rounds as Python's does.
    similarity = np.zeros(len(pairs), dtype=np.float64)
    np.divide(common, union, out=similarity, where=union > 0)
    return similarity


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted arrays of distinct values (0 when both are empty)."""
    if not len(a) and not len(b):
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)
