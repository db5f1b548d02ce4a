"""Words and pairs of adjacent words of a column whose hashes may be in a small set.

A screen for many phrases: each phrase is keyed by a word or a pair of words
(``_sitetext``'s anchors), the keys' top bits set a bitmap, and a chunk's values are
read once for the words and pairs whose keys' top bits are set. The C pass keeps
nothing per word; the Arrow/numpy path hashes every word first (the same keys).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corpus_qa.text import keys as text_keys
from corpus_qa.text.minhash import _PRIME, word_hashes


def pair_keys(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The key of two adjacent words from their hashes."""
    with np.errstate(over="ignore"):
        key: np.ndarray = first * _PRIME + second
    return key


def bitmap_of(keys: np.ndarray, bits: int) -> np.ndarray:
    """The packed bitmap (little bit order) of the top ``bits`` bits of ``keys``."""
    flags = np.zeros(1 << bits, dtype=bool)
    flags[(keys >> np.uint64(64 - bits)).astype(np.intp)] = True
    packed: np.ndarray = np.packbits(flags, bitorder="little")
    return packed


def anchor_hits(
    values: pd.Series, bitmap: np.ndarray, *, native: bool = text_keys.NATIVE
) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every word and every pair of adjacent words of ``values`` whose
    key's top bits index a set bit of ``bitmap`` (from :func:`bitmap_of`): words first,
    then pairs, each in order. Words are cut as ``word_hashes`` cuts them; a pair runs
    across two values too (owned by its first word's row), as the flat hashes pair."""
    # A packed bitmap small enough to stay in cache: a lookup per word is the cost.
    shift = 64 - (int(len(bitmap) * 8).bit_length() - 1)
    if native and text_keys.textkeys is not None and len(values):
        offsets, data = text_keys.offsets_and_data(text_keys.arrow_strings(values))
        at, hit = text_keys.textkeys.anchor_hits(offsets, data, bitmap, shift)
        return np.frombuffer(at, dtype=np.int64), np.frombuffer(hit, dtype=np.uint64)
    hashes, counts = word_hashes(values.astype("str").fillna(""), native=native)
    ends = np.cumsum(counts)
    pairs = pair_keys(hashes[:-1], hashes[1:]) if len(hashes) else hashes
    rows: list[np.ndarray] = []
    found: list[np.ndarray] = []
    for keys in (hashes, pairs):
        index = (keys >> np.uint64(shift)).view(np.int64)
        maybe = np.flatnonzero((bitmap[index >> 3] >> (index & 7).astype(np.uint8)) & 1)
        rows.append(np.searchsorted(ends, maybe, side="right").astype(np.int64))
        found.append(keys[maybe])
    return np.concatenate(rows), np.concatenate(found).astype(np.uint64)


def rows_with_bytes_from(values: pd.Series, low: int) -> np.ndarray:
    """Positions of the values holding a UTF-8 byte of at least ``low`` (0xE3: a
    character from U+3000 on, as every CJK character is), in order."""
    strings = text_keys.arrow_strings(values)
    offsets, data = text_keys.offsets_and_data(strings)
    size = int(offsets[-1]) if len(offsets) else 0
    if not size:
        return np.zeros(0, dtype=np.int64)
    # Each value's largest byte, in one pass and without a mask of the whole text.
    starts = offsets[:-1]
    largest = np.maximum.reduceat(data[:size], np.minimum(starts, size - 1))
    # reduceat gives an empty value the byte at its start: not its own.
    found = (largest >= low) & (offsets[1:] > starts)
    return np.flatnonzero(found).astype(np.int64)
