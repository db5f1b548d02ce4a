"""The same story several times with small edits: syndication and re-scrapes."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import GLOBAL_HIT_COLUMNS, ConfirmingGlobalCheck, Rows, TextKey
from corpus_qa.checks.options import CheckOptions
from corpus_qa.model import Severity
from corpus_qa.text.minhash import (
    band_hashes,
    candidate_pairs,
    estimated,
    lsh_params,
    minhash_signatures,
    prefilter_floor,
)
from corpus_qa.text.shingles import pair_jaccards, shingle_table

_SIG = "sig_"
_NO_PAIRS = np.zeros((0, 2), dtype=np.int64)
Key = TextKey


@dataclass(frozen=True)
class NearDuplicateOptions(CheckOptions):
    #: Jaccard similarity of word shingles a pair must reach (it also sets the LSH bands).
    threshold: float = 0.8
    #: Words per shingle.
    shingle: int = 5
    #: MinHash signature length (values per article).
    num_perm: int = 64
    #: Shorter bodies are skipped.
    min_words: int = 50


@functools.cache
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """:func:`lsh_params`, chosen once per setting (every chunk asks on a cluster)."""
    return lsh_params(threshold, num_perm)


def _keys(rows: pd.DataFrame) -> list[Key]:
    return [(str(p), int(n)) for p, n in zip(rows["source_path"], rows["line"], strict=True)]


class NearDuplicate(ConfirmingGlobalCheck):
    """The same story again with small differences: a cluster of near-duplicates.

    What it catches
    ---------------
    Groups of articles whose bodies share most of their word 5-grams (Jaccard
    similarity at least ``threshold``, option, default 0.8): one wire story on
    several sites, or one article re-scraped with a changed teaser. Scope: global.
    Each chunk keeps, per article, a ``num_perm``-value one-permutation MinHash
    signature of its word ``shingle``-grams (no text); articles sharing an LSH band
    anywhere in the dump whose signatures agree on enough values are candidates,
    and each candidate pair is confirmed by the exact Jaccard similarity of the
    two articles' sets of 64-bit shingle hashes, re-reading only the candidates'
    texts. Confirmed pairs are joined into clusters; every member after the first
    (in dump order) is a finding naming the cluster's first article and its size.
    Bodies under ``min_words`` words (default 50) are skipped. Exact copies are
    clustered too (and are also ``record.duplicate`` findings).

    Why it matters
    --------------
    Syndicated copies weigh one story several times in counts, training data and
    search results, and they hide outlet-level problems (a wire credit without a
    byline repeated on every site).

    Example
    -------
    A Yonhap story carried by three outlets with different first sentences.

    How to fix the scraper
    ----------------------
    Keep the canonical URL (``rel=canonical``) and the wire's own story id, and
    deduplicate on them; keep one copy per cluster downstream.
    """

    id: ClassVar[str] = "record.near_duplicate"
    name: ClassVar[str] = "Near-duplicate articles"
    severity: ClassVar[Severity] = "warning"
    Options = NearDuplicateOptions
    options: NearDuplicateOptions
    #: Read back only for candidates (corpus_qa.checks.global_state): on disk, not in memory.
    spilled: ClassVar[tuple[str, ...]] = ("record_id", "source_path", "line", "outlet")
    #: The candidate pairs :meth:`wanted` found, for :meth:`confirm`.
    _pairs: np.ndarray = _NO_PAIRS

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        shingle, num_perm = self.options.shingle, self.options.num_perm
        sig, counts = minhash_signatures(articles["body"], shingle, num_perm)
        keep = counts >= max(self.options.min_words, shingle)
        state = pd.DataFrame(
            {
                "record_id": articles["record_id"].to_numpy()[keep],
                "source_path": articles["source_path"].to_numpy()[keep],
                "line": articles["line_start"].to_numpy()[keep],
                "outlet": articles["outlet"].to_numpy()[keep],
            }
        )
        # One block for the signature columns: inserted one by one, each copies.
        values = pd.DataFrame(sig[keep], columns=[f"{_SIG}{value}" for value in range(num_perm)])
        return pd.concat([state, values], axis=1)

    def _signatures(self, state: pd.DataFrame) -> np.ndarray:
        """``(rows, num_perm)`` uint32: the state's signature columns as one array."""
        columns = [c for c in state.columns if str(c).startswith(_SIG)]
        return state[columns].to_numpy(dtype=np.uint32)

    def buckets(self, state: pd.DataFrame) -> np.ndarray:
        """Each row's LSH band hashes: rows sharing none are never candidates."""
        return self._band_hashes(self._signatures(state))

    def _band_hashes(self, sig: np.ndarray) -> np.ndarray:
        if not sig.shape[1]:
            return np.zeros((len(sig), 0), dtype=np.uint64)
        return band_hashes(sig, *_bands(self.options.threshold, sig.shape[1]))

    def candidates(self, state: pd.DataFrame) -> np.ndarray:
        """``(pairs, 2)`` state rows ``a < b`` worth reading: they collide in an LSH
        band and their signatures agree on enough values (:func:`prefilter_floor`)."""
        sig = self._signatures(state)
        if not sig.shape[1]:
            return np.zeros((0, 2), dtype=np.int64)
        pairs = candidate_pairs(self._band_hashes(sig))
        return pairs[estimated(sig, pairs) >= prefilter_floor(self.options.threshold, sig.shape[1])]

    def wanted(self, state: pd.DataFrame, rows: Rows | None = None) -> set[Key]:
        """The (file, line) of every candidate: their texts are re-read to confirm."""
        state = state.reset_index(drop=True)
        self._pairs = self.candidates(state) if len(state) else _NO_PAIRS
        if not len(self._pairs):
            # No body reached min_words, or nothing collides: nothing to read. Rows of
            # an empty spill have no columns to take from.
            return set()
        where = self.spilled_rows(state, rows).take(np.unique(self._pairs))
        return set(_keys(where))

    def confirmed(self, pairs: np.ndarray, similarity: np.ndarray) -> dict[int, int]:
        """Union-find parents of the rows joined by pairs whose Jaccard ``similarity``
        (one per pair) reaches the threshold.

        Pairs are taken in order and a pair already inside one cluster is skipped: it
        cannot change the clusters, and a flood of copies costs no quadratic work.
        """
        parent: dict[int, int] = {}

        def root(row: int) -> int:
            while parent.get(row, row) != row:
                row = parent[row]
            return row

        joined = similarity >= self.options.threshold
        for a, b in pairs[joined].tolist():
            ra, rb = root(a), root(b)
            if ra == rb:
                continue
            parent[max(ra, rb)] = min(ra, rb)
            parent.setdefault(min(ra, rb), min(ra, rb))
        return {row: root(row) for row in parent}

    def confirm(
        self, state: pd.DataFrame, texts: Mapping[Key, str], rows: Rows | None = None
    ) -> pd.DataFrame:
        state = state.reset_index(drop=True)
        shingle = self.options.shingle
        # wanted() is not called on an empty state: pairs of an earlier run must not leak.
        pairs = self._pairs if len(state) else _NO_PAIRS
        spilled = self.spilled_rows(state, rows)
        candidates = np.unique(pairs).tolist()
        if not candidates:
            return pd.DataFrame(columns=list(GLOBAL_HIT_COLUMNS))
        # Only the candidates' provenance is read: positions in `candidates` stand for them.
        taken = spilled.take(np.asarray(candidates, dtype=np.int64))
        at = {row: i for i, row in enumerate(candidates)}
        keys = dict(zip(candidates, _keys(taken), strict=True))
        record_id, source_path = taken["record_id"].to_numpy(), taken["source_path"].to_numpy()
        line, outlet = taken["line"].to_numpy(), taken["outlet"].to_numpy()
        bodies = pd.Series([texts.get(keys[r], "") for r in candidates], dtype="str")
        values, bounds = shingle_table(bodies, shingle)
        # Every pair's Jaccard at once, each candidate by its position in `candidates`.
        local = np.searchsorted(np.asarray(candidates, dtype=np.int64), pairs)
        similarity = pair_jaccards(values, bounds, local)
        clusters: dict[int, list[int]] = {}
        for row, first in sorted(self.confirmed(pairs, similarity).items()):
            clusters.setdefault(first, []).append(row)
        found: list[dict[str, Any]] = []
        for first, members in sorted(clusters.items()):
            others = [m for m in members if m != first]
            named = ", ".join(str(record_id[at[m]]) for m in [first, *others][:10])
            for row in others:
                found.append(
                    {
                        "record_id": record_id[at[row]],
                        "source_path": source_path[at[row]],
                        "line": line[at[row]],
                        "outlet": outlet[at[row]],
                        "field": "body",
                        "evidence": None,
                        "start": pd.NA,
                        "end": pd.NA,
                        "message": f"near-duplicate of {record_id[at[first]]} "
                        f"({keys[first][0]}:{keys[first][1]}); "
                        f"cluster of {len(members)}: {named}",
                    }
                )
        return pd.DataFrame(found, columns=list(GLOBAL_HIT_COLUMNS))
