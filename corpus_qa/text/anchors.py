"""Words and pairs of adjacent words of a column whose hashes may be in a small set.

A screen for many phrases: each phrase is keyed by a word or a pair of words
(``_sitetext``'s anchors), and a chunk's values are read once for the words and pairs
that may be keys (:class:`Screen`: bitmaps over the keys' top bits). The C pass keeps
nothing per word; the Arrow/numpy path hashes every word first (the same keys).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from corpus_qa.text import keys as text_keys
from corpus_qa.text.minhash import _PRIME, string_hashes, word_hashes


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


def bitmap_bits(bitmap: np.ndarray) -> int:
    """How many top bits of a key index ``bitmap`` (from :func:`bitmap_of`)."""
    return int(len(bitmap) * 8).bit_length() - 1


@dataclass(frozen=True)
class Screen:
    """Bitmaps (:func:`bitmap_of`) that a word or a pair of words must pass to be
    reported by :func:`anchor_hits`. A word is tested against ``singles``; a pair only
    when its first word passes ``firsts`` and its second ``lasts``, and then its key
    against ``pairs``. Word bitmaps are small (they stay in the fastest cache); the
    pairs' bitmap, large, is read for the few pairs of two such words."""

    #: over the one-word keys
    singles: np.ndarray
    #: over the hashes of the words that open a two-word key
    firsts: np.ndarray
    #: over the hashes of the words that close one
    lasts: np.ndarray
    #: over the two-word keys (:func:`pair_keys`)
    pairs: np.ndarray


#: Top bits per bitmap of a :class:`Screen` built by :func:`screen_of`, for the keys
#: each holds: the pair keys' bitmap is given.
_WORD_BITS = {"singles": 0, "firsts": 4, "lasts": 4}


def screen_of(
    singles: np.ndarray, firsts: np.ndarray, lasts: np.ndarray, pairs: np.ndarray, bits: int
) -> Screen:
    """The :class:`Screen` of one-word keys, the hashes of pairs' first and last words
    and the pair keys: ``bits`` top bits for the pairs' bitmap, a few fewer for the
    word bitmaps (fewer words than pairs)."""
    return Screen(
        bitmap_of(singles, bits - _WORD_BITS["singles"]),
        bitmap_of(firsts, bits - _WORD_BITS["firsts"]),
        bitmap_of(lasts, bits - _WORD_BITS["lasts"]),
        bitmap_of(pairs, bits),
    )


@dataclass(frozen=True)
class AnchorTable(Screen):
    """Sorted anchor keys, the owners (entry indices) of each, and their screen."""

    keys: np.ndarray
    #: owners of the key at ``i``: ``owners[starts[i] : starts[i + 1]]``, ascending
    #: (flat arrays, not a tuple per key: a few MB, not tens, in every process)
    starts: np.ndarray
    owners: np.ndarray
    #: packed bits over the keys' low bits: a second, independent test of a hit
    low: np.ndarray

    def find(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The positions in ``keys`` of the table's keys, and where each is in
        :attr:`keys`. Most hits of the top-bits bitmap are no key: the low bits drop
        nearly all of them before the (cache-missing) binary search."""
        bits = bitmap_bits(self.low)
        low = (keys & np.uint64((1 << bits) - 1)).astype(np.intp)
        maybe = np.flatnonzero((self.low[low >> 3] >> (low & 7).astype(np.uint8)) & 1)
        if not len(self.keys) or not len(maybe):
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
        where = np.minimum(np.searchsorted(self.keys, keys[maybe]), len(self.keys) - 1)
        exact = self.keys[where] == keys[maybe]
        return maybe[exact], where[exact]


#: Spellings of a two-word anchor: every first word with every last word.
Pairs = tuple[int, Sequence[str], Sequence[str]]


def anchor_table(
    singles: Sequence[tuple[int, Sequence[str]]], pairs: Sequence[Pairs], bits: int
) -> AnchorTable:
    """The table of one-word anchors ``(owner, words)`` (keyed by each word's hash) and
    of two-word anchors ``(owner, firsts, lasts)`` (keyed as :func:`pair_keys` keys
    each first word before each last word: the cross product, built in numpy).

    Words are hashed in numpy, not spelled out pair by pair in Python: an entry's
    spellings are a few words each way, their pairs many.
    """
    single_owner = np.repeat(
        np.fromiter((o for o, _ in singles), dtype=np.int64, count=len(singles)),
        np.fromiter((len(w) for _, w in singles), dtype=np.int64, count=len(singles)),
    )
    pair_owner = np.fromiter((o for o, _, _ in pairs), dtype=np.int64, count=len(pairs))
    wide = np.fromiter((len(f) for _, f, _ in pairs), dtype=np.int64, count=len(pairs))
    high = np.fromiter((len(last) for _, _, last in pairs), dtype=np.int64, count=len(pairs))
    single = _hashes([w for _, words in singles for w in words])
    firsts = _hashes([w for _, f, _ in pairs for w in f])
    lasts = _hashes([w for _, _, last in pairs for w in last])
    # The cross product of each block: block b's k-th pair is first k // high[b] with
    # last k % high[b].
    size = wide * high
    block = np.repeat(np.arange(len(pairs)), size)
    k = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    first = firsts[(np.cumsum(wide) - wide)[block] + k // high[block]]
    last = lasts[(np.cumsum(high) - high)[block] + k % high[block]]
    keys = np.concatenate([single, pair_keys(first, last)]).astype(np.uint64)
    owned = np.concatenate([single_owner, pair_owner[block]])
    # Each key's distinct owners, in order: sorted by (key, owner), repeats dropped.
    # Singles and pairs each come in owner order: two runs, merged in one pass.
    by_owner = np.argsort(owned, kind="stable")
    order = by_owner[np.argsort(keys[by_owner], kind="stable")]
    key_at, owner_at = keys[order], owned[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (key_at[1:] != key_at[:-1]) | (owner_at[1:] != owner_at[:-1])
    key_at, owners = key_at[new], owner_at[new].astype(np.int32)
    first_of_key = np.ones(len(key_at), dtype=bool)
    first_of_key[1:] = key_at[1:] != key_at[:-1]
    unique = key_at[first_of_key]
    starts = np.append(np.flatnonzero(first_of_key), len(key_at)).astype(np.int64)
    low = np.zeros(1 << bits, dtype=bool)
    low[(unique & np.uint64((1 << bits) - 1)).astype(np.intp)] = True
    packed = np.packbits(low, bitorder="little")
    screen = screen_of(single, firsts, lasts, keys[len(single) :], bits)
    return AnchorTable(**vars(screen), keys=unique, starts=starts, owners=owners, low=packed)


def _hashes(words: list[str]) -> np.ndarray:
    if not words:
        return np.zeros(0, np.uint64)
    return string_hashes(pa.array(words, pa.large_string()))


def anchor_hits(
    values: pd.Series, screen: Screen, *, native: bool = text_keys.NATIVE
) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every word of ``values`` whose hash passes ``screen.singles``, and
    of every pair of adjacent words whose first word passes ``screen.firsts``, second
    ``screen.lasts`` and key (:func:`pair_keys`) ``screen.pairs``: words first, then
    pairs, each in order. Words are cut as ``word_hashes`` cuts them; a pair runs across
    two values too (owned by its first word's row), as the flat hashes pair."""
    if native and text_keys.textkeys is not None and len(values):
        offsets, data = text_keys.offsets_and_data(text_keys.arrow_strings(values))
        at, hit = text_keys.textkeys.anchor_hits(
            offsets, data, screen.singles, screen.firsts, screen.lasts, screen.pairs
        )
        return np.frombuffer(at, dtype=np.int64), np.frombuffer(hit, dtype=np.uint64)
    hashes, counts = word_hashes(values.astype("str").fillna(""), native=native)
    ends = np.cumsum(counts)
    first, second = hashes[:-1], hashes[1:]
    pairs = pair_keys(first, second) if len(hashes) else hashes
    words = np.flatnonzero(_passes(screen.singles, hashes))
    paired = _passes(screen.firsts, first) & _passes(screen.lasts, second)
    paired[paired] = _passes(screen.pairs, pairs[paired])
    both = np.flatnonzero(paired)
    rows = [np.searchsorted(ends, at, side="right").astype(np.int64) for at in (words, both)]
    found = np.concatenate([hashes[words], pairs[both]]).astype(np.uint64)
    return np.concatenate(rows), found


def _passes(bitmap: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each key's top bits index a set bit of ``bitmap``."""
    index = (keys >> np.uint64(64 - bitmap_bits(bitmap))).view(np.int64)
    passed: np.ndarray = ((bitmap[index >> 3] >> (index & 7).astype(np.uint8)) & 1).astype(bool)
    return passed


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
