"""The run-wide code book of the global states' encoded columns (record ids, outlets).

See :mod:`corpus_qa.checks.global_state`: a column a check only compares for equality
is kept in memory as ``int32`` codes, equal exactly when the strings are equal across
the whole dump.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.text.minhash import string_hashes

__all__ = ["Codes", "dictionary"]


def dictionary(values: pd.Series) -> pa.DictionaryArray:
    """A column's distinct values and, per row, the index of its own (null: missing)."""
    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    encoded: pa.DictionaryArray = pc.dictionary_encode(array)
    return encoded


class Codes:
    """Strings to ``int32`` codes, the same code for the same string all run long.

    Compact, as it grows with the dump's distinct record ids: the strings are kept in
    Arrow arrays (their bytes and an offset each, not a Python string, a boxed code
    and a dict slot each), found by their 64-bit hashes in sorted runs (:class:`_Runs`).
    A value whose hash is known is compared with the stored string, so two strings
    that share a hash still get two codes. New strings get codes in order of
    appearance, as a dict's ``setdefault`` would give them.
    """

    def __init__(self, hasher: Callable[[pa.Array], np.ndarray] | None = None) -> None:
        #: 64-bit hashes of a ``large_string`` array (a test gives one that collides).
        #: They only route lookups, so any well-mixed hash does; this one reads the
        #: Arrow buffers, no Python string per value (what merging states cost most).
        self._hash = hasher or string_hashes
        #: The distinct strings in code order, one piece per chunk that brought new ones.
        self._pieces: list[pa.Array] = []
        self._starts: list[int] = []
        self._size = 0
        self._index = _Runs()

    def __len__(self) -> int:
        return self._size

    def encode(self, values: pd.Series) -> np.ndarray:
        return self.map(dictionary(values))

    def map(self, encoded: pa.DictionaryArray) -> np.ndarray:
        """The codes of a :func:`dictionary`: only its distinct values meet the book."""
        distinct = encoded.dictionary.cast(pa.large_string())
        mapped = np.append(self._lookup(distinct), np.int32(-1))
        # Missing values index the -1 at the end.
        local = pc.fill_null(encoded.indices, len(mapped) - 1).to_numpy()
        codes: np.ndarray = mapped[local]
        return codes

    def _lookup(self, distinct: pa.Array) -> np.ndarray:
        hashes = self._hash(distinct)
        codes = np.full(len(distinct), -1, dtype=np.int32)
        for at, code in self._index.candidates(hashes):
            # Almost always one candidate a value, the value itself: compared in Arrow.
            same = pc.equal(distinct.take(pa.array(at)), self._strings(code))
            hit = np.asarray(same.fill_null(False), dtype=bool) & (codes[at] < 0)
            codes[at[hit]] = code[hit]
        new = np.flatnonzero(codes < 0)
        if len(new):
            codes[new] = np.arange(self._size, self._size + len(new), dtype=np.int32)
            self._pieces.append(distinct.take(pa.array(new)))
            self._starts.append(self._size)
            self._size += len(new)
            self._index.add(hashes[new], codes[new])
        return codes

    def _strings(self, codes: np.ndarray) -> pa.Array:
        """The stored strings of ``codes``, in that order."""
        piece = np.searchsorted(np.asarray(self._starts), codes, side="right") - 1
        out: list[pa.Array] = []
        order = np.argsort(piece, kind="stable")
        for k in np.unique(piece).tolist():
            local = codes[piece == k] - self._starts[k]
            out.append(self._pieces[k].take(pa.array(local)))
        joined = pa.concat_arrays(out) if out else pa.array([], pa.large_string())
        back = np.empty(len(codes), dtype=np.int64)
        back[order] = np.arange(len(codes))
        return joined.take(pa.array(back))


class _Runs:
    """A multimap of 64-bit hashes to codes: sorted runs, merged when one is no more
    than twice the next (a log-structured merge), so adding a chunk's hashes costs
    about their own size, not the book's, and a lookup searches a few runs."""

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, hashes: np.ndarray, codes: np.ndarray) -> None:
        order = np.argsort(hashes, kind="stable")
        self._runs.append((hashes[order], codes[order]))
        while len(self._runs) > 1 and len(self._runs[-2][0]) <= 2 * len(self._runs[-1][0]):
            (h1, c1), (h2, c2) = self._runs.pop(-2), self._runs.pop()
            hashes, codes = np.concatenate([h1, h2]), np.concatenate([c1, c2])
            order = np.argsort(hashes, kind="stable")
            self._runs.append((hashes[order], codes[order]))

    def candidates(self, hashes: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Pairs (positions in ``hashes``, a code stored under that hash): every
        stored code of every known hash, in rounds of at most one per position."""
        found: list[tuple[np.ndarray, np.ndarray]] = []
        if not self._runs:
            return found
        # Searched in sorted order, each search starts where the last one ended (numpy
        # keeps it as a bound): about half the time of searching in arrival order.
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        for run, codes in self._runs:
            lo = np.empty(len(hashes), dtype=np.intp)
            hi = np.empty(len(hashes), dtype=np.intp)
            lo[order] = np.searchsorted(run, ordered, side="left")
            hi[order] = np.searchsorted(run, ordered, side="right")
            step = 0
            while True:
                at = np.flatnonzero(hi - lo > step)
                if not len(at):
                    break
                found.append((at, codes[lo[at] + step]))
                step += 1
        return found
