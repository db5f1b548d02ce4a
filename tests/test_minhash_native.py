"""The one-pass C MinHash (``_textkeys.minhash``) gives the numpy path's signatures, bit for bit.

Near-duplicate candidates are signatures compared across chunks, workers and engines:
a body signed differently by the two paths would lose or invent a pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.text import keys as text_keys
from corpus_qa.text.minhash import (
    NATIVE_SHINGLE_MAX,
    compact,
    minhash_signatures,
    signatures,
    word_hashes,
)
from tests.conftest import examples

# Few distinct words, so grams repeat and bins compete; words around the 8-, 16- and
# 24-byte reads; whitespace of every ASCII kind and a non-ASCII space that is no separator.
WORDS = st.sampled_from(
    ["wire", "story", "the", "été", "Busan", "서울시는", "x" * 9, "y" * 17, "z" * 25, "😀"]
)
SPACE = st.sampled_from([" ", "  ", "\t", "\n\n", " \r\n ", "\v\f", "\u00a0"])
BODY = st.lists(st.tuples(WORDS, SPACE), max_size=90).map(lambda p: "".join(a + b for a, b in p))
BODIES = st.lists(st.one_of(BODY, st.none(), st.just(""), st.just("   ")), max_size=12)


def _numpy(body: pd.Series, shingle: int, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The definition: the Arrow path's word hashes, then numpy's signatures."""
    words, counts = word_hashes(body, native=False)
    return compact(signatures(words, counts, shingle, num_perm)), counts


def test_extension_has_minhash() -> None:
    # Without it the comparisons below compare the numpy path with itself.
    assert text_keys.textkeys is not None and hasattr(text_keys.textkeys, "minhash")


@settings(max_examples=examples(300), deadline=None)
@given(
    values=BODIES,
    shingle=st.one_of(st.integers(1, 7), st.just(NATIVE_SHINGLE_MAX)),
    num_perm=st.one_of(st.integers(1, 9), st.sampled_from([16, 64, 128])),
    skip=st.integers(0, 3),
)
def test_native_signatures_equal_numpy(
    values: list[str | None], shingle: int, num_perm: int, skip: int
) -> None:
    # Sliced too: the Arrow buffers then start mid-way and the index does not start at 0.
    body = pd.Series(["lead in"] * skip + values, dtype="str").iloc[skip:]
    sig, counts = minhash_signatures(body, shingle, num_perm, native=True)
    expected_sig, expected_counts = _numpy(body, shingle, num_perm)
    assert sig.dtype == np.uint32 and sig.shape == (len(values), num_perm)
    assert counts.tolist() == expected_counts.tolist()
    assert sig.tolist() == expected_sig.tolist()
    # The numpy path in slices gives the same as over the whole.
    sliced, sliced_counts = minhash_signatures(body, shingle, num_perm, native=False)
    assert sliced.tolist() == expected_sig.tolist()
    assert sliced_counts.tolist() == expected_counts.tolist()


def test_signatures_across_the_fallbacks_slices() -> None:
    # More bodies than one slice of the numpy path; short, empty and repeated bodies.
    rng = np.random.default_rng(7)
    vocabulary = np.array(["wire", "story", "council", "budget", "été", "Busan", "said", "a"])
    values = [" ".join(rng.choice(vocabulary, size=int(n))) for n in rng.integers(0, 80, 2500)]
    values[::97] = [values[1]] * len(values[::97])
    body = pd.Series(values, dtype="str")
    assert len(body) > text_keys.SLICE
    for native in (True, False):
        sig, counts = minhash_signatures(body, 5, 64, native=native)
        expected_sig, expected_counts = _numpy(body, 5, 64)
        assert np.array_equal(counts, expected_counts)
        assert np.array_equal(sig, expected_sig)
    # Equal bodies, equal signatures; bodies without a shingle all alike, others not.
    assert (sig[::97] == sig[1]).all()
    short = np.flatnonzero(counts < 5)
    assert len(short) and (sig[short] == sig[short[0]]).all()
    assert len(np.unique(sig[counts >= 5], axis=0)) > 100


def test_longer_shingles_go_the_numpy_way() -> None:
    body = pd.Series([" ".join(f"w{i % 7}" for i in range(200))], dtype="str")
    shingle = NATIVE_SHINGLE_MAX + 1
    sig, counts = minhash_signatures(body, shingle, 16, native=True)
    expected_sig, expected_counts = _numpy(body, shingle, 16)
    assert sig.tolist() == expected_sig.tolist()
    assert counts.tolist() == expected_counts.tolist() == [200]


def test_no_bodies() -> None:
    sig, counts = minhash_signatures(pd.Series([], dtype="str"), 5, 64)
    assert sig.shape == (0, 64) and sig.dtype == np.uint32 and counts.shape == (0,)


def test_bad_arguments_are_refused_not_read_past() -> None:
    assert text_keys.textkeys is not None
    strings = text_keys.arrow_strings(pd.Series(["a b c", "d e"], dtype="str"))
    offsets, data = text_keys.offsets_and_data(strings)
    counts = np.empty(2, dtype=np.int64)
    with pytest.raises(ValueError, match="shingle"):
        text_keys.textkeys.minhash(offsets, data, 0, 4, counts, np.empty((2, 4), np.uint32))
    with pytest.raises(ValueError, match="shingle"):
        text_keys.textkeys.minhash(offsets, data, 65, 4, counts, np.empty((2, 4), np.uint32))
    with pytest.raises(ValueError, match="signatures"):
        text_keys.textkeys.minhash(offsets, data, 2, 4, counts, np.empty((2, 3), np.uint32))
    with pytest.raises(ValueError, match="offsets"):
        text_keys.textkeys.minhash(offsets[:2], data, 2, 4, counts, np.empty((2, 4), np.uint32))
