"""LSH candidates: records sharing a band hash, found by hashing out the unshared first."""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from corpus_qa.text.minhash import RUN_CAP, candidate_pairs
from tests.conftest import examples


def _reference(bands: np.ndarray) -> list[tuple[int, int]]:
    """Every pair of records sharing a value (star and chain past RUN_CAP members)."""
    members: dict[int, set[int]] = {}
    for row, values in enumerate(bands.tolist()):
        for value in values:
            members.setdefault(value, set()).add(row)
    pairs: set[tuple[int, int]] = set()
    for rows in members.values():
        ordered = sorted(rows)
        if len(ordered) <= RUN_CAP:
            pairs.update(combinations(ordered, 2))
        else:
            pairs.update((ordered[0], r) for r in ordered[1:])
            pairs.update(pairwise(ordered))
    return sorted(pairs)


@settings(max_examples=examples(200), deadline=None)
@given(
    bands=st.integers(1, 4).flatmap(
        lambda width: arrays(
            np.uint64, st.tuples(st.integers(0, 80), st.just(width)), elements=st.integers(0, 60)
        )
    )
)
def test_pairs_are_the_records_sharing_a_band_hash(bands: np.ndarray) -> None:
    pairs = candidate_pairs(bands)
    assert pairs.dtype == np.int64 and pairs.shape[1] == 2
    assert [tuple(p) for p in pairs.tolist()] == _reference(bands)


def test_a_flood_of_copies_and_unshared_hashes() -> None:
    rng = np.random.default_rng(5)
    bands = rng.integers(0, 2**63, (500, 12), dtype=np.int64).astype(np.uint64)
    bands[100:200] = bands[7]  # more copies than RUN_CAP
    bands[300, 3] = bands[301, 3]  # one pair sharing one band
    pairs = candidate_pairs(bands)
    assert [tuple(p) for p in pairs.tolist()] == _reference(bands)
    assert (300, 301) in {tuple(p) for p in pairs.tolist()}
    assert candidate_pairs(bands[:1]).shape == (0, 2)
    assert candidate_pairs(bands[200:300]).shape == (0, 2)
