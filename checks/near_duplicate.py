"""The same story several times with small edits: syndication and re-scrapes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checking import GLOBAL_HIT_COLUMNS, GlobalCheck
from corpus_qa.model import Severity

_SHINGLE = 5
_NUM_PERM = 64
_THRESHOLD = 0.8
_MIN_WORDS = 50
_SEED = 20250725
_WORDS = re.compile(r"[\t\n\v\f\r ]+")
Key = tuple[str, int]


def _masks(num_perm: int) -> np.ndarray:
    # XOR with random masks over well-mixed 64-bit shingle hashes: a cheap family of
    # hash functions for MinHash, evaluated for a whole chunk at once.
    return np.random.default_rng(_SEED).integers(0, 2**63, size=num_perm, dtype=np.uint64)


def signatures(
    body: pd.Series, shingle: int, num_perm: int, sample: int = 8
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(MinHash signatures ``(rows, num_perm)`` as uint32, sampled shingles, words).

    Words are split on ASCII whitespace, case kept; the vocabulary is hashed
    once per chunk (dictionary encoding), and word ``shingle``-grams are combined from
    word hashes with wrapping arithmetic, never crossing a record's end.
    """
    strings = pa.array(body.astype("str").fillna(""))
    words = pc.ascii_split_whitespace(strings)
    flat = pc.list_flatten(words)
    counts = pc.list_value_length(words).fill_null(0).to_numpy(zero_copy_only=False)
    if isinstance(flat, pa.ChunkedArray):
        flat = flat.combine_chunks()
    encoded = pc.dictionary_encode(flat) if len(flat) else None
    n = len(counts)
    sig = np.full((n, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    if encoded is None:
        return sig, np.zeros(n, dtype=np.int64), counts
    vocab = pd.util.hash_array(np.asarray(encoded.dictionary.to_pylist(), dtype=object))
    word = vocab[encoded.indices.to_numpy()]
    ends = np.cumsum(counts)
    total = len(word)
    k = shingle
    usable = np.maximum(counts - k + 1, 0)
    if total < k:
        return sig, usable, counts
    mixed = np.zeros(total - k + 1, dtype=np.uint64)
    prime = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for offset in range(k):
            mixed = mixed * prime + word[offset : total - k + 1 + offset]
    # Keep only shingles that start and end inside one record.
    owner = np.repeat(np.arange(n), counts)[: total - k + 1]
    inside = (np.arange(total - k + 1) + k) <= ends[owner]
    # Consistent sampling: keep the shingles whose hash falls in one ``sample``-th of
    # the hash space, the same ones in every article. Jaccard over sampled sets
    # estimates Jaccard over full sets; candidates are confirmed on full sets anyway.
    with np.errstate(over="ignore"):
        mixed = mixed * np.uint64(0x9E3779B97F4A7C15)
    inside &= (mixed >> np.uint64(58)) < np.uint64(64 // sample)
    shingles = mixed[inside]
    owners = owner[inside]
    usable = np.bincount(owners, minlength=n)
    has = usable > 0
    first = np.searchsorted(owners, np.flatnonzero(has))
    for p, mask in enumerate(_masks(num_perm)):
        values = ((shingles ^ mask) >> np.uint64(32)).astype(np.uint32)
        sig[has, p] = np.minimum.reduceat(values, first)
    return sig, usable, counts


def shingle_set(text: str, shingle: int) -> set[tuple[str, ...]]:
    words = [w for w in _WORDS.split(text) if w]
    return {tuple(words[i : i + shingle]) for i in range(len(words) - shingle + 1)}


class NearDuplicate(GlobalCheck):
    """The same story again with small differences: a cluster of near-duplicates.

    What it catches
    ---------------
    Groups of articles whose bodies share most of their word 5-grams (Jaccard
    similarity at least ``threshold``, option, default 0.8): one wire story on
    several sites, or one article re-scraped with a changed teaser. Scope: global.
    Each chunk keeps a MinHash signature per article (``num_perm`` hashes, no
    text); locality-sensitive hashing (datasketch) finds candidate pairs over the
    whole dump, and each candidate is confirmed by the exact Jaccard similarity of
    its shingle sets, re-reading only the candidates' texts. Confirmed pairs are
    joined into clusters; every member after the first is a finding naming the
    cluster's first article and its size. Bodies under ``min_words`` words
    (default 50) are skipped. Exact copies are clustered too (and are also
    ``record.duplicate`` findings).

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

    def _option(self, name: str, default: float) -> float:
        return float(self.options.get(name, default))

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        shingle = int(self._option("shingle", _SHINGLE))
        num_perm = int(self._option("num_perm", _NUM_PERM))
        sig, usable, words = signatures(articles["body"], shingle, num_perm)
        keep = (usable > 0) & (words >= int(self._option("min_words", _MIN_WORDS)))
        return pd.DataFrame(
            {
                "record_id": articles["record_id"].to_numpy()[keep],
                "source_path": articles["source_path"].to_numpy()[keep],
                "line": articles["line_start"].to_numpy()[keep],
                "outlet": articles["outlet"].to_numpy()[keep],
                "signature": list(sig[keep]),
            }
        )

    def candidates(self, state: pd.DataFrame) -> list[tuple[int, int]]:
        """Pairs of state rows whose signatures collide in some LSH band."""
        from datasketch import LeanMinHash, MinHashLSH

        num_perm = int(self._option("num_perm", _NUM_PERM))
        lsh = MinHashLSH(threshold=self._option("threshold", _THRESHOLD), num_perm=num_perm)
        pairs: set[tuple[int, int]] = set()
        for row, values in enumerate(state["signature"]):
            minhash = LeanMinHash(
                seed=_SEED, hashvalues=np.asarray(values, dtype=np.uint64), scheme="legacy"
            )
            for other in lsh.query(minhash):
                pairs.add((int(other), row))
            lsh.insert(row, minhash, check_duplication=False)
        return sorted(pairs)

    def wanted(self, state: pd.DataFrame) -> set[Key]:
        """The (file, line) of every candidate: their texts are re-read to confirm."""
        state = state.reset_index(drop=True)
        self._pairs = self.candidates(state) if len(state) else []
        rows = {row for pair in self._pairs for row in pair}
        return {(str(state["source_path"][r]), int(state["line"][r])) for r in rows}

    def confirm(self, state: pd.DataFrame, texts: Mapping[Key, str]) -> pd.DataFrame:
        state = state.reset_index(drop=True)
        shingle = int(self._option("shingle", _SHINGLE))
        threshold = self._option("threshold", _THRESHOLD)
        keys = [(str(p), int(n)) for p, n in zip(state["source_path"], state["line"], strict=True)]
        sets: dict[int, set[tuple[str, ...]]] = {}
        parent: dict[int, int] = {}

        def root(row: int) -> int:
            while parent.get(row, row) != row:
                row = parent[row]
            return row

        for a, b in getattr(self, "_pairs", []):
            for row in (a, b):
                if row not in sets:
                    sets[row] = shingle_set(texts.get(keys[row], ""), shingle)
            union = sets[a] | sets[b]
            if union and len(sets[a] & sets[b]) / len(union) >= threshold:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
        clusters: dict[int, list[int]] = {}
        for row in sorted(parent):
            clusters.setdefault(root(row), []).append(row)
        rows: list[dict[str, Any]] = []
        for first, members in sorted(clusters.items()):
            others = sorted(set(members) - {first})
            for row in others:
                rows.append(
                    {
                        "record_id": state["record_id"][row],
                        "source_path": state["source_path"][row],
                        "line": state["line"][row],
                        "outlet": state["outlet"][row],
                        "field": "body",
                        "evidence": None,
                        "start": pd.NA,
                        "end": pd.NA,
                        "message": f"near-duplicate of {state['record_id'][first]} "
                        f"({keys[first][0]}:{keys[first][1]}); cluster of {len(others) + 1}: "
                        + ", ".join(str(state["record_id"][m]) for m in [first, *others][:10]),
                    }
                )
        return pd.DataFrame(rows, columns=list(GLOBAL_HIT_COLUMNS))

    def finalize(self, state: pd.DataFrame) -> pd.DataFrame:
        raise NotImplementedError("record.near_duplicate is finalized with confirm()")
