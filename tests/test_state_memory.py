"""The global checks' finalize works in memory bounded by a partition, not by the dump."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd

from corpus_qa.checks.builtin.recurring import _pages


def _state(lines: int, seed: int) -> pd.DataFrame:
    """A recurring state of ``lines`` body lines: unique paragraphs, and chrome lines
    (one in a hundred) from a pool of a thousand, over 12 lines an article and 50 outlets."""
    rng = np.random.default_rng(seed)
    keys = rng.integers(0, 2**64 - 1, size=lines, dtype=np.uint64, endpoint=True)
    chrome = rng.integers(0, 2**64 - 1, size=1000, dtype=np.uint64, endpoint=True)
    at = rng.random(lines) < 0.01
    keys[at] = chrome[rng.integers(0, len(chrome), size=int(at.sum()))]
    record = (np.arange(lines) // 12).astype(np.int32)
    return pd.DataFrame({"key": keys, "group": record % 50, "record_id": record}, copy=False)


def _peak(state: pd.DataFrame) -> tuple[int, tuple[np.ndarray, np.ndarray]]:
    """Bytes ``_pages`` allocates at its peak beyond the state it is given."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        found = _pages(state, 3)
        return tracemalloc.get_traced_memory()[1] - before, found
    finally:
        tracemalloc.stop()


def test_recurring_finalize_memory_does_not_grow_with_the_lines() -> None:
    small, large = _state(300_000, 1), _state(2_400_000, 2)
    small_peak, (small_rows, small_pages) = _peak(small)
    large_peak, (large_rows, large_pages) = _peak(large)
    counts = large["key"].map(large["key"].value_counts()).to_numpy()
    recurring = np.flatnonzero(counts >= 3)
    # Eight times the lines: the counting is bounded by a partition; what grows is a
    # few bytes a line (its partition, a mask of it) and the rows that do recur.
    grows = large_peak - small_peak
    assert grows < 3 * (len(large) - len(small)) + 48 * len(recurring)
    # Less than one copy of the state's key column: no array of a word per line.
    assert large_peak < large["key"].nbytes
    # And it counts what it should: every chrome line recurs, a unique paragraph never.
    assert np.array_equal(large_rows, recurring)
    assert (large_pages >= 1).all() and len(small_pages) == len(small_rows)
