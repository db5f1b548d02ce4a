"""Words of a column whose keys may be in a small set: the site-text screen.

A screen for many phrases: each phrase is keyed by one word (``_sitetext``'s anchors)
and a chunk's values are read once for the words that may be keys (:class:`Screen`:
bitmaps over the keys' top bits). Two kinds of words are read:

- **long words, anywhere**: a word of at least :attr:`Screen.min_bytes` bytes. A bit
  mask of each 64 bytes' whitespace gives the ends of those words directly, so the
  shorter words ("in", "the", "to", a third of a text's words) are never visited;
- **a line's first and last words**: the first and the last word of every line that
  has a :func:`core`, keyed by that core, and the pair of the first two and of the
  last two (a label leads its line, a closer ends it).

A word's key (:func:`screen_keys`) is made of its first and last four bytes and its
length, not of every byte: two words sharing them share a key, and the phrase search
after the screen tells them apart. The C pass keeps nothing per word; the numpy and
Python path gives the same hits in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from corpus_qa.text import keys as text_keys

#: Where a key is looked for: every long word, or a line's first or last word's core.
Tier = Literal["word", "head", "tail"]
_M64 = (1 << 64) - 1
_LENGTH_MIX = 0x9E3779B97F4A7C15
_ASCII_SPACE = re.compile(r"[\t\n\v\f\r ]+")
#: Slots of the table that drops a row's repeats of a long word's key.
_SEEN_SLOTS = 1024


def _punctuation(char: str) -> bool:
    """Whether ``char`` is stripped from a word's ends to give its :func:`core`: ASCII
    punctuation, U+00A0-U+00BF (« » © ·), U+2000-U+207F (dashes, quotes, bullets, …)
    and U+2180-U+21FF (arrows); the C pass tests the same UTF-8 bytes."""
    code = ord(char)
    if code < 0x80:
        return 32 < code < 127 and not char.isalnum()
    return 0xA0 <= code <= 0xBF or 0x2000 <= code <= 0x207F or 0x2180 <= code <= 0x21FF


def core(word: str) -> str:
    """``word`` without punctuation (see :func:`_punctuation`) at either end."""
    start, end = 0, len(word)
    while start < end and _punctuation(word[start]):
        start += 1
    while end > start and _punctuation(word[end - 1]):
        end -= 1
    return word[start:end]


def _mix(x: int) -> int:
    """SplitMix64's finalizer (the C ``splitmix``)."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


#: The multiplier of :func:`_screen_mix` (the C ``screen_mix``).
_SCREEN_MULTIPLIER = 0xBF58476D1CE4E5B9


def _screen_mix(x: int) -> int:
    """The high half folded into the low one, one multiply, and again (the C
    ``screen_mix``): a bijection, as :func:`_mix` is, so words share a key exactly when
    they would under it, for less than its cost in the pass that keys every long word."""
    h = ((x ^ (x >> 32)) * _SCREEN_MULTIPLIER) & _M64
    return h ^ (h >> 32)


def screen_key(word: bytes) -> int:
    """The screen's key of one word's UTF-8: its first and last four bytes (a word under
    four bytes: all of them) and its length, mixed (the C ``screen_key``)."""
    n = len(word)
    if n >= 4:
        x = int.from_bytes(word[:4], "little") | (int.from_bytes(word[-4:], "little") << 32)
    else:
        x = int.from_bytes(word, "little")
    return _screen_mix(x ^ ((n * _LENGTH_MIX) & _M64))


def pair_key(first: int, second: int) -> int:
    """The key of two words in reading order from their keys (the C ``screen_pair``)."""
    return _mix((first * 0x100000001B3 + second) & _M64)


def spelling_key(spelling: str) -> int:
    """The key of an anchor's spelling: one word's, or two words' (a space between)."""
    words = spelling.split(" ")
    keys = [screen_key(w.encode("utf-8")) for w in words]
    return keys[0] if len(keys) == 1 else pair_key(keys[0], keys[1])


def screen_keys(spellings: Iterable[str]) -> np.ndarray:
    """:func:`spelling_key` of each spelling (uint64)."""
    return np.fromiter((spelling_key(s) for s in spellings), dtype=np.uint64)


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
    """Bitmaps (:func:`bitmap_of`) a word's key must pass to be reported by
    :func:`anchor_hits`: ``words`` for a word of at least ``min_bytes`` bytes anywhere,
    ``heads`` and ``tails`` for the core of a line's first and last word."""

    words: np.ndarray
    heads: np.ndarray
    tails: np.ndarray
    #: shorter words are not read (only at a line's edges)
    min_bytes: int


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


#: One anchor: its owner (an id: see ``_sitetext``), where it is looked for, its
#: spellings (a ``head`` or ``tail`` spelling may be two cores, a space between).
Anchor = tuple[int, Tier, Sequence[str]]
#: Top bits of the line-edge bitmaps, fewer than the words' (fewer keys).
_EDGE_BITS = 16


def anchor_table(anchors: Sequence[Anchor], bits: int, min_bytes: int) -> AnchorTable:
    """The table of ``anchors``, each spelling keyed by :func:`screen_key`: a ``word``
    spelling must be at least ``min_bytes`` bytes (the screen reads no shorter word
    anywhere); ``head`` and ``tail`` spellings are cores."""
    tiers: dict[str, list[np.ndarray]] = {"word": [], "head": [], "tail": []}
    owned: list[np.ndarray] = []
    keyed: list[np.ndarray] = []
    for owner, tier, spellings in anchors:
        if tier == "word" and any(
            len(s.encode("utf-8")) < min_bytes or " " in s for s in spellings
        ):
            raise ValueError(f"a word anchor shorter than {min_bytes} bytes: {spellings}")
        keys = screen_keys(spellings)
        tiers[tier].append(keys)
        keyed.append(keys)
        owned.append(np.full(len(keys), owner, dtype=np.int64))
    keys = np.concatenate(keyed) if keyed else np.zeros(0, np.uint64)
    owners = np.concatenate(owned) if owned else np.zeros(0, np.int64)
    # Each key's distinct owners, in order: sorted by (key, owner), repeats dropped.
    order = np.lexsort((owners, keys))
    key_at, owner_at = keys[order], owners[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (key_at[1:] != key_at[:-1]) | (owner_at[1:] != owner_at[:-1])
    key_at, owner_at = key_at[new], owner_at[new].astype(np.int32)
    first_of_key = np.ones(len(key_at), dtype=bool)
    first_of_key[1:] = key_at[1:] != key_at[:-1]
    unique = key_at[first_of_key]
    starts = np.append(np.flatnonzero(first_of_key), len(key_at)).astype(np.int64)
    low = np.zeros(1 << bits, dtype=bool)
    low[(unique & np.uint64((1 << bits) - 1)).astype(np.intp)] = True

    def joined(tier: str) -> np.ndarray:
        return np.concatenate(tiers[tier]) if tiers[tier] else np.zeros(0, np.uint64)

    return AnchorTable(
        words=bitmap_of(joined("word"), bits),
        heads=bitmap_of(joined("head"), _EDGE_BITS),
        tails=bitmap_of(joined("tail"), _EDGE_BITS),
        min_bytes=min_bytes,
        keys=unique,
        starts=starts,
        owners=owner_at,
        low=np.packbits(low, bitorder="little"),
    )


def anchor_hits(
    values: pd.Series, screen: Screen, *, native: bool = text_keys.NATIVE
) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every word of ``values`` of at least ``screen.min_bytes`` bytes
    whose key passes ``screen.words``, in order; then of the core of each line's first
    word that passes ``screen.heads`` and of its last that passes ``screen.tails``, in
    order. Words are cut at ASCII whitespace, lines at ``\\n``."""
    strings = text_keys.arrow_strings(values)
    offsets, data = text_keys.offsets_and_data(strings)
    if native and text_keys.textkeys is not None and len(values):
        at, hit = text_keys.textkeys.long_word_hits(offsets, data, screen.words, screen.min_bytes)
        edge_at, edge_hit = text_keys.textkeys.line_edge_hits(
            offsets, data, screen.heads, screen.tails
        )
        return (
            np.concatenate([np.frombuffer(at, np.int64), np.frombuffer(edge_at, np.int64)]),
            np.concatenate([np.frombuffer(hit, np.uint64), np.frombuffer(edge_hit, np.uint64)]),
        )
    rows, keys = _long_words(offsets, data, screen.words, screen.min_bytes)
    edge_rows, edge_keys = _line_edges(values, screen.heads, screen.tails)
    return np.concatenate([rows, edge_rows]), np.concatenate([keys, edge_keys])


def _long_words(
    offsets: np.ndarray, data: np.ndarray, bitmap: np.ndarray, min_bytes: int
) -> tuple[np.ndarray, np.ndarray]:
    """The numpy path of the long words: every word's span from the whitespace mask,
    keys of the long ones in numpy."""
    size = int(offsets[-1]) if len(offsets) else 0
    data = data[:size]
    space = (data == 32) | ((data >= 9) & (data <= 13))
    value_start = np.zeros(size + 1, dtype=bool)
    value_start[offsets[:-1]] = True
    value_end = np.zeros(size + 1, dtype=bool)
    value_end[offsets[1:]] = True
    before = np.concatenate([[True], space[:-1]]) | value_start[:size]
    after = np.concatenate([space[1:], [True]]) | value_end[1:]
    starts = np.flatnonzero(~space & before)
    ends = np.flatnonzero(~space & after) + 1
    long = (ends - starts) >= min_bytes
    starts, ends = starts[long], ends[long]
    keys = _keys_at(data, starts, ends)
    index = (keys >> np.uint64(64 - bitmap_bits(bitmap))).astype(np.intp)
    passed = ((bitmap[index >> 3] >> (index & 7).astype(np.uint8)) & 1).astype(bool)
    rows = np.searchsorted(offsets, starts[passed], side="right") - 1
    # A key once a row while the C pass's table of the keys recorded last holds it.
    slot_row = [-1] * _SEEN_SLOTS
    slot_key = [0] * _SEEN_SLOTS
    kept: list[int] = []
    for at, (row, key) in enumerate(zip(rows.tolist(), keys[passed].tolist(), strict=True)):
        slot = key & (_SEEN_SLOTS - 1)
        if slot_row[slot] != row or slot_key[slot] != key:
            slot_row[slot], slot_key[slot] = row, key
            kept.append(at)
    return rows[kept].astype(np.int64), keys[passed][kept]


def _keys_at(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """:func:`screen_key` of the words ``data[starts[i]:ends[i]]`` (not empty), in
    numpy."""
    four = np.arange(4)
    weights = np.uint64(1) << (np.arange(4, dtype=np.uint64) * np.uint64(8))
    short = (ends - starts) < 4
    # A word under four bytes: its bytes whole (no index past its end is read).
    head_at = np.where(short[:, None] & (four >= (ends - starts)[:, None]), -1, four)
    picked = np.where(head_at >= 0, data[np.maximum(starts[:, None] + head_at, 0)], 0)
    head = (picked.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
    tail_at = np.maximum(ends[:, None] - 4 + four, 0)
    tail = np.where(
        short,
        np.uint64(0),
        (data[tail_at].astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64),
    )
    size = (ends - starts).astype(np.uint64)
    with np.errstate(over="ignore"):
        x = (head | (tail << np.uint64(32))) ^ (size * np.uint64(_LENGTH_MIX))
        x ^= x >> np.uint64(32)
        x *= np.uint64(_SCREEN_MULTIPLIER)
        x ^= x >> np.uint64(32)
    keys: np.ndarray = x
    return keys


def _line_edges(
    values: pd.Series, heads: np.ndarray, tails: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The Python path of the line edges (a few words a line)."""
    rows: list[int] = []
    keys: list[int] = []
    head_bits, tail_bits = bitmap_bits(heads), bitmap_bits(tails)

    def passes(bitmap: np.ndarray, bits: int, key: int) -> bool:
        index = key >> (64 - bits)
        return bool((int(bitmap[index >> 3]) >> (index & 7)) & 1)

    for row, text in enumerate(values.tolist()):
        if not isinstance(text, str):
            continue
        for line in text.split("\n"):
            cores = [c for c in (core(w) for w in _ASCII_SPACE.split(line)) if c]
            words = [screen_key(c.encode("utf-8")) for c in (cores[:2] + cores[-2:])]
            if not cores:
                continue
            head, tail = words[:2], words[-2:][::-1]
            for bitmap, bits, held, backwards in (
                (heads, head_bits, head, False),
                (tails, tail_bits, tail, True),
            ):
                found = [held[0]]
                if len(cores) > 1:
                    pair = (held[1], held[0]) if backwards else (held[0], held[1])
                    found.append(pair_key(*pair))
                for key in found:
                    if passes(bitmap, bits, key):
                        rows.append(row)
                        keys.append(key)
    return np.asarray(rows, dtype=np.int64), np.asarray(keys, dtype=np.uint64)


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
