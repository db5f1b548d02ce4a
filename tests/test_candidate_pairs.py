"""LSH candidates: records sharing a band hash, found by hashing out the unshared first."""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from corpus_qa.text.minhash import RUN_CAP, band_hashes, candidate_pairs
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


def _bands_reference(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Each band's values, widened first, as a polynomial seeded with its number, mixed."""
    out = np.empty((len(sig), bands), dtype=np.uint64)
    mask = (1 << 64) - 1
    for r, values in enumerate(sig.astype(np.uint64).tolist()):
        for band in range(bands):
            acc = band + 1
            for value in values[band * rows : (band + 1) * rows]:
                acc = (acc * 0x100000001B3 + value) & mask
            acc ^= acc >> 30
            acc = (acc * 0xBF58476D1CE4E5B9) & mask
            acc ^= acc >> 27
            acc = (acc * 0x94D049BB133111EB) & mask
            acc ^= acc >> 31
            out[r, band] = acc
    return out


@settings(max_examples=examples(50), deadline=None)
@given(
    sig=arrays(np.uint32, st.tuples(st.integers(0, 20), st.integers(1, 16))),
    shape=st.tuples(st.integers(1, 4), st.integers(1, 4)),
)
def test_band_hashes_are_the_mixed_polynomial_of_each_band(
    sig: np.ndarray, shape: tuple[int, int]
) -> None:
    bands, rows = shape
    if bands * rows > sig.shape[1]:
        rows = max(1, sig.shape[1] // bands)
        bands = min(bands, sig.shape[1])
    expected = _bands_reference(sig, bands, rows)
    assert band_hashes(sig, bands, rows).tolist() == expected.tolist()
    # Read from a frame's columns (Fortran order) or wider values: the same.
    assert band_hashes(np.asfortranarray(sig), bands, rows).tolist() == expected.tolist()
    assert band_hashes(sig.astype(np.int64), bands, rows).tolist() == expected.tolist()
