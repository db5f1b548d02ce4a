"""Vectorized MinHash and LSH banding for near-duplicate detection.

Everything here runs on whole chunks with numpy and Arrow kernels, no Python loop per
record or per shingle:

* words are split on ASCII whitespace by Arrow, the chunk's vocabulary is hashed once
  (dictionary encoding, then the words' bytes read straight from the Arrow buffer and
  mixed, the same on every run and in every process: Python's ``hash()`` of ``str``
  is salted per process);
* word ``k``-grams (shingles) are combined from word hashes with wrapping arithmetic,
  never across a record's end;
* signatures are one-permutation MinHash (each shingle hash falls in one of
  ``num_perm`` bins, the minimum per bin is kept) with rotation densification for
  empty bins: one pass over the shingles instead of one per hash function;
* LSH bands are hashed per record, and candidates are records sharing a band hash,
  found by sorting all band hashes at once.

datasketch's ``MinHash``/``MinHashLSH`` do the same per record in Python (and its LSH
imports scipy, a slow import on its own); numpy and pyarrow are core dependencies
already, so nothing here needs an extra package.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.text import keys as text_keys

_PRIME = np.uint64(0x100000001B3)
_EMPTY = np.uint64(1 << 63)
#: Runs of identical band hashes longer than this contribute a star and a chain of
#: pairs instead of every pair, so a flood of copies costs linear, not quadratic, time.
RUN_CAP = 32


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer, in place: spreads every input bit over the output."""
    with np.errstate(over="ignore"):
        values ^= values >> np.uint64(30)
        values *= np.uint64(0xBF58476D1CE4E5B9)
        values ^= values >> np.uint64(27)
        values *= np.uint64(0x94D049BB133111EB)
        values ^= values >> np.uint64(31)
    return values


#: Low ``8 * n`` bits set: the first ``n`` bytes of a little-endian word read.
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
#: Strings longer than this are hashed with SipHash; shorter ones are read whole.
_READ_WHOLE = 24


def string_hashes(strings: pa.Array, *, native: bool = text_keys.NATIVE) -> np.ndarray:
    """A 64-bit hash of each value of an Arrow string array, independent of the process.

    A value of up to 24 bytes is read whole from the Arrow buffer as three 8-byte words
    (first, second, last) and its length, then mixed: no Python object per value.
    Longer values (rare in a vocabulary) go through pandas' seeded SipHash.
    ``native``: the C pass hashes every value the same way straight from the buffers,
    long ones too, without a Python object for any (the same hashes, bit for bit).
    """
    if native and text_keys.textkeys is not None:
        offsets, data = text_keys.offsets_and_data(strings)
        out = np.empty(len(strings), dtype=np.uint64)
        text_keys.textkeys.string_hashes(offsets, data, out)
        return out
    buffers = strings.buffers()
    wide = pa.types.is_large_string(strings.type)
    offsets = np.frombuffer(buffers[1], dtype=np.int64 if wide else np.int32)
    offsets = offsets[strings.offset : strings.offset + len(strings) + 1].astype(np.int64)
    lo, hi = int(offsets[0]), int(offsets[-1])
    data = np.zeros(hi - lo + 16, dtype=np.uint8)  # padded: every 8-byte read is in bounds
    if hi > lo:
        data[: hi - lo] = np.frombuffer(buffers[2], dtype=np.uint8)[lo:hi]
    starts = offsets[:-1] - lo
    length = np.diff(offsets)
    view = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    hashes: np.ndarray = view[starts] & _MASKS[np.minimum(length, 8)]
    with np.errstate(over="ignore"):
        hashes ^= length.astype(np.uint64) << np.uint64(56)
        more = np.flatnonzero(length > 8)
        at, size = starts[more], length[more]
        tail = view[at + 8] & _MASKS[np.minimum(size - 8, 8)]
        tail ^= np.where(size > 16, view[np.maximum(at + size - 8, 0)], np.uint64(0)) * _PRIME
        hashes[more] = _mix(hashes[more]) ^ tail
    _mix(hashes)
    long = np.flatnonzero(length > _READ_WHOLE)
    if len(long):
        hashes[long] = pd.util.hash_array(
            strings.take(pa.array(long)).to_numpy(zero_copy_only=False)
        )
    return hashes


def word_hashes(
    body: pd.Series, *, native: bool = text_keys.NATIVE
) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit hash of every word, in order, as one flat array; words per record).

    ``native``: the C pass (:mod:`corpus_qa.text.keys`) splits and hashes the words as it
    reads the bodies, with the same hashes as the Arrow path, which splits them into a
    list column, dictionary-encodes it and hashes the vocabulary (four fifths of a
    chunk's signature cost went to those three steps).
    """
    if native and text_keys.textkeys is not None:
        offsets, data = text_keys.offsets_and_data(text_keys.arrow_strings(body))
        counts = np.empty(len(offsets) - 1, dtype=np.int64)
        hashes = np.empty(text_keys.textkeys.count_words(offsets, data, counts), dtype=np.uint64)
        text_keys.textkeys.word_hashes(offsets, data, hashes)
        return hashes, counts
    strings = pa.array(body.astype("str").fillna(""))
    words = pc.ascii_split_whitespace(strings)
    counts = pc.list_value_length(words).fill_null(0).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(words)
    if isinstance(flat, pa.ChunkedArray):
        flat = flat.combine_chunks()
    if not len(flat):
        return np.zeros(0, dtype=np.uint64), counts.astype(np.int64)
    # The chunk's vocabulary is hashed once; every occurrence takes its word's hash.
    encoded = pc.dictionary_encode(flat)
    vocab = string_hashes(encoded.dictionary, native=native)
    indices: np.ndarray = encoded.indices.to_numpy()
    return vocab[indices], counts.astype(np.int64)


def _grams(words: np.ndarray, counts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(hash of the ``k``-gram starting at every word but the last k-1; the positions
    whose gram would cross from one record into the next)."""
    m = len(words) - k + 1
    acc = words[:m].copy()
    # Word hashes are SipHash values, so a polynomial of them is already well mixed.
    with np.errstate(over="ignore"):
        for offset in range(1, k):
            acc *= _PRIME
            acc += words[offset : offset + m]
    ends = np.cumsum(counts)
    last = ends[:, None] - np.arange(1, k)[None, :]
    return acc, last[(last >= (ends - counts)[:, None]) & (last < m)]


def shingle_hashes(
    words: np.ndarray, counts: np.ndarray, shingle: int
) -> tuple[np.ndarray, np.ndarray]:
    """(hash of every word ``shingle``-gram inside one record; its record's index)."""
    if len(words) < shingle:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    acc, crossing = _grams(words, counts, shingle)
    inside = np.ones(len(acc), dtype=bool)
    inside[crossing] = False
    owner = np.repeat(np.arange(len(counts)), counts)[: len(acc)]
    return acc[inside], owner[inside]


def signatures(words: np.ndarray, counts: np.ndarray, shingle: int, num_perm: int) -> np.ndarray:
    """One-permutation MinHash ``(records, num_perm)`` uint64 of word ``shingle``-grams,
    densified by rotation. A record without shingles keeps an all-empty signature.

    Each gram's hash picks its bin from its high half and competes with its low half.
    """
    rows = len(counts)
    flat = np.full(rows * num_perm + 1, _EMPTY, dtype=np.uint64)
    if len(words) >= shingle:
        acc, crossing = _grams(words, counts, shingle)
        key = np.repeat(np.arange(rows, dtype=np.int64) * num_perm, counts)[: len(acc)]
        key += (((acc >> np.uint64(32)) * np.uint64(num_perm)) >> np.uint64(32)).astype(np.int64)
        key[crossing] = rows * num_perm  # a slot nobody reads
        acc &= np.uint64(0xFFFFFFFF)
        np.minimum.at(flat, key, acc)
    sig = flat[:-1].reshape(rows, num_perm)
    # An empty bin takes the next non-empty bin to its right (circularly) plus its
    # distance, so two records with the same shingles still agree bin by bin.
    filled = sig != _EMPTY
    column = np.arange(num_perm)
    position = np.where(filled, column, 2 * num_perm)
    doubled = np.concatenate([position, position + num_perm], axis=1)
    following = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :num_perm]
    has = filled.any(axis=1)
    source = np.where(has[:, None], following % num_perm, column)
    distance = np.where(has[:, None], following - column, 0).astype(np.uint64)
    dense = np.take_along_axis(sig, source, axis=1) + (distance << np.uint64(32))
    return np.where(has[:, None], dense, _EMPTY)


#: Shingles the C pass takes (the words of a gram it keeps at hand).
NATIVE_SHINGLE_MAX = 64


def minhash_signatures(
    body: pd.Series, shingle: int, num_perm: int, *, native: bool = text_keys.NATIVE
) -> tuple[np.ndarray, np.ndarray]:
    """(``(records, num_perm)`` uint32 :func:`compact` signatures of each body's word
    ``shingle``-grams, words per body): :func:`signatures` of :func:`word_hashes`.

    ``native``: the C pass hashes each word, combines the grams and keeps each bin's
    minimum as it reads a body, so no word or gram hash array exists (the same values,
    bit for bit). Otherwise bodies go :data:`~corpus_qa.text.keys.SLICE` at a time:
    every word and gram hash of a whole chunk at once is a large transient.
    """
    rows = len(body)
    if native and text_keys.textkeys is not None and 1 <= shingle <= NATIVE_SHINGLE_MAX:
        offsets, data = text_keys.offsets_and_data(text_keys.arrow_strings(body))
        counts = np.empty(rows, dtype=np.int64)
        sig = np.empty((rows, num_perm), dtype=np.uint32)
        text_keys.textkeys.minhash(offsets, data, shingle, num_perm, counts, sig)
        return sig, counts
    sigs, all_counts = [np.zeros((0, num_perm), dtype=np.uint32)], [np.zeros(0, dtype=np.int64)]
    for start in range(0, rows, text_keys.SLICE):
        words, counts = word_hashes(body.iloc[start : start + text_keys.SLICE], native=native)
        sigs.append(compact(signatures(words, counts, shingle, num_perm)))
        all_counts.append(counts)
    return np.concatenate(sigs), np.concatenate(all_counts)


@lru_cache(maxsize=16)
def lsh_params(threshold: float, num_perm: int, recall_weight: float = 0.99) -> tuple[int, int]:
    """(bands, rows per band) minimizing weighted false positives and negatives.

    datasketch's ``MinHashLSH`` picks the same way with equal weights; candidates here
    are confirmed by exact Jaccard, so a missed pair costs more than a checked one and
    false negatives weigh ``recall_weight``.
    """
    best: tuple[float, int, int] | None = None
    low = np.linspace(0.0, threshold, 201)
    high = np.linspace(threshold, 1.0, 201)
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            fp = np.trapezoid(1 - (1 - low**rows) ** bands, low)
            fn = np.trapezoid((1 - high**rows) ** bands, high)
            error = (1 - recall_weight) * fp + recall_weight * fn
            if best is None or error < best[0] - 1e-12:
                best = (float(error), bands, rows)
    assert best is not None
    return best[1], best[2]


def compact(sig: np.ndarray) -> np.ndarray:
    """Signature values as uint32 (densified values carry their distance in high bits)."""
    return (_mix(sig.copy()) >> np.uint64(32)).astype(np.uint32)


def band_hashes(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """``(records, bands)`` uint64: one hash per band of ``rows`` signature values."""
    if sig.dtype != np.uint32:
        sig = sig.astype(np.uint64)
    # A view: each row of values is widened as it is added, not copied whole first.
    parts = sig[:, : bands * rows].reshape(len(sig), bands, rows)
    acc = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64), (len(sig), bands)).copy()
    with np.errstate(over="ignore"):
        for row in range(rows):
            acc *= _PRIME
            acc += parts[:, :, row]
    return _mix(acc)


def estimated(sig: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Each pair's Jaccard estimate: the share of signature values the two agree on."""
    return np.asarray((sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1), dtype=np.float64)


def prefilter_floor(threshold: float, num_perm: int) -> float:
    """Estimates below this drop a candidate before its text is read: three standard
    errors of a ``num_perm``-value estimate under ``threshold``, so a pair at the
    threshold is dropped about once in a thousand."""
    return threshold - 3 * float(np.sqrt(threshold * (1 - threshold) / num_perm))


def candidate_pairs(bands: np.ndarray) -> np.ndarray:
    """``(pairs, 2)`` int64 of record indices ``a < b`` sharing a band hash, sorted, unique.

    Band hashes already carry their band's number, so all bands are sorted together;
    only those that occur more than once (found by hashing, not sorting) are sorted.
    """
    records = len(bands)
    if records < 2:
        return np.zeros((0, 2), dtype=np.int64)
    flat = bands.ravel()
    shared = np.flatnonzero(pd.Series(flat, copy=False).duplicated(keep=False).to_numpy())
    flat, owner = flat[shared], shared // bands.shape[1]
    order = np.lexsort((owner, flat))
    keys, owners = flat[order], owner[order]
    # A record twice under one key (bands carry their number, so never) counts once.
    distinct = np.ones(len(keys), dtype=bool)
    distinct[1:] = (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])
    keys, owners = keys[distinct], owners[distinct]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    sizes = np.diff(np.append(starts, len(keys)))
    # Runs of each size at once (members are sorted, so every pair has a < b).
    pairs = [np.zeros((0, 2), dtype=np.int64)]
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= RUN_CAP)]).tolist():
        first = starts[sizes == size][:, None]
        a, b = np.triu_indices(size, 1)
        pairs.append(np.stack([owners[first + a].ravel(), owners[first + b].ravel()], axis=1))
    for start, size in zip(starts[sizes > RUN_CAP], sizes[sizes > RUN_CAP], strict=True):
        members = owners[start : start + size]
        star = np.stack([np.full(len(members) - 1, members[0]), members[1:]], axis=1)
        chain = np.stack([members[:-1], members[1:]], axis=1)
        pairs.extend([star, chain])
    every = np.concatenate(pairs).astype(np.int64)
    # Sorted and unique as one integer per pair: a row-wise unique sorts records.
    code = np.unique(every[:, 0] * records + every[:, 1])
    return np.stack([code // records, code % records], axis=1)
