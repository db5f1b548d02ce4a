"""Near-duplicate confirmation: the shingle table and every pair's exact Jaccard.

The table must hold each record's distinct shingle hashes, and the C merge
(``_textkeys.common_counts``) the numpy count, bit for bit: a pair's Jaccard decides a
finding at the threshold.
"""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.text import keys as text_keys
from corpus_qa.text import shingles
from corpus_qa.text.minhash import shingle_hashes, word_hashes
from corpus_qa.text.shingles import common_counts, jaccard, pair_jaccards, shingle_table
from tests.conftest import examples

WORDS = st.sampled_from(["wire", "story", "the", "council", "said", "été", "Busan", "서울"])
BODY = st.lists(WORDS, max_size=60).map(" ".join)


def _reference(body: pd.Series, shingle: int) -> list[list[int]]:
    """Each record's distinct shingle hashes, sorted: one record at a time."""
    words, counts = word_hashes(body)
    hashes, owner = shingle_hashes(words, counts, shingle)
    return [sorted(set(hashes[owner == i].tolist())) for i in range(len(body))]


def _rows(values: np.ndarray, bounds: np.ndarray) -> list[list[int]]:
    return [values[a:b].tolist() for a, b in pairwise(bounds)]


@settings(max_examples=examples(200), deadline=None)
@given(bodies=st.lists(st.one_of(BODY, st.just(""), st.none()), max_size=12), k=st.integers(1, 6))
def test_table_holds_each_records_distinct_hashes(bodies: list[str | None], k: int) -> None:
    body = pd.Series(bodies, dtype="str")
    values, bounds = shingle_table(body, k)
    assert values.dtype == np.uint64 and bounds.dtype == np.int64
    assert len(bounds) == len(bodies) + 1
    assert _rows(values, bounds) == _reference(body, k)


def test_table_over_many_slices_and_one_long_body(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rows of very different lengths take the (record, hash) sort; the rest the padded
    # rows; both across slice boundaries.
    monkeypatch.setattr(shingles, "_ROWS", 7)
    rng = np.random.default_rng(3)
    vocabulary = np.array(["a", "b", "c", "d", "e", "f", "g", "é"])
    bodies = [" ".join(rng.choice(vocabulary, size=int(n))) for n in rng.integers(0, 40, 60)]
    bodies[30] = " ".join(rng.choice(vocabulary, size=5000))
    body = pd.Series(bodies, dtype="str")
    values, bounds = shingle_table(body, 3)
    assert _rows(values, bounds) == _reference(body, 3)


@settings(max_examples=examples(200), deadline=None)
@given(bodies=st.lists(BODY, min_size=2, max_size=8))
def test_pair_jaccards_equal_set_arithmetic(bodies: list[str]) -> None:
    body = pd.Series(bodies, dtype="str")
    values, bounds = shingle_table(body, 2)
    pairs = np.array(list(combinations(range(len(bodies)), 2)), dtype=np.int64)
    native = common_counts(values, bounds, pairs, native=True)
    plain = common_counts(values, bounds, pairs, native=False)
    sets = [set(row) for row in _rows(values, bounds)]
    assert native.tolist() == plain.tolist() == [len(sets[a] & sets[b]) for a, b in pairs]
    rows = [values[a:b] for a, b in pairwise(bounds)]
    # Exactly the float of the one-pair function: a pair at the threshold stays put.
    assert pair_jaccards(values, bounds, pairs).tolist() == [
        jaccard(rows[a], rows[b]) for a, b in pairs
    ]


def test_no_pairs_and_empty_rows() -> None:
    values, bounds = shingle_table(pd.Series(["", "one two", "x y z w"], dtype="str"), 3)
    assert bounds.tolist() == [0, 0, 0, 2]
    assert pair_jaccards(values, bounds, np.zeros((0, 2), dtype=np.int64)).tolist() == []
    assert pair_jaccards(values, bounds, np.array([[0, 1], [0, 2], [2, 2]])).tolist() == [
        0.0,
        0.0,
        1.0,
    ]


def test_bad_pairs_and_bounds_are_refused() -> None:
    assert text_keys.textkeys is not None
    values = np.arange(4, dtype=np.uint64)
    bounds = np.array([0, 2, 4], dtype=np.int64)
    common = np.empty(1, dtype=np.int64)
    with pytest.raises(IndexError):
        text_keys.textkeys.common_counts(values, bounds, np.array([[0, 2]]), common)
    with pytest.raises(ValueError, match="bounds"):
        text_keys.textkeys.common_counts(values, np.array([0, 3, 5]), np.array([[0, 1]]), common)
    with pytest.raises(ValueError, match="pairs"):
        text_keys.textkeys.common_counts(values, bounds, np.array([[0, 1], [1, 0]]), common)
