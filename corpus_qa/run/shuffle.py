"""Global checks' states partitioned by key across a cluster's workers: a shuffle.

A global check that declares :attr:`~corpus_qa.checks.api.GlobalCheck.partition_by`
relates only state rows with the same values in those columns. On a Dask cluster each
chunk's task splits such a state by the values' hash into ``parts`` pieces
(:func:`split_states`) that stay in the workers' memory; after the last chunk one
reducer task per partition concatenates its pieces in chunk order and finalizes them
(:func:`reduce_partition`). The client gets findings only, never the states.

Findings are those of the whole state, in the same order: a partition holds every
row that could relate to each of its rows, and each finding carries a global position
(chunk, row) in the state, by which the client merges the partitions back into state
row order (:func:`merge_partitions`): the row the check names for it
(:meth:`~corpus_qa.checks.api.GlobalCheck.finalize_rows`), else the first state row
of its ``source_path`` and ``line``.

A :class:`~corpus_qa.checks.api.ConfirmingGlobalCheck` with
:meth:`~corpus_qa.checks.api.ConfirmingGlobalCheck.buckets` (near-duplicates' LSH
bands) is shuffled by bucket: each chunk's task keeps its state on the worker and
sends each row's bucket keys and position to the key's partition; a reducer names the
rows sharing a bucket with another row (:func:`bucket_members`), and only those rows
reach the client (:func:`take_rows`), which confirms them as the local engine does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, ConfirmingGlobalCheck, GlobalCheck
from corpus_qa.findings.rows import empty_findings, from_global_hits

#: The column each piece carries: the row's position in the whole state.
ORDINAL = "_cqa_ordinal"
#: A bucketed check's bucket key, in its pieces.
BUCKET = "_cqa_bucket"
#: The piece of a bucketed check that holds its chunk's whole state (on the worker).
KEPT = -1
#: Bits of the ordinal that number rows within a chunk's state.
_ROW_BITS = 32
_ROW_MASK = np.int64((1 << _ROW_BITS) - 1)


@dataclass
class Reduced:
    """What a cluster's reducers give the client, by check id: findings of the
    partitioned checks, and the few state rows a bucketed check confirms."""

    findings: dict[str, pd.DataFrame] = field(default_factory=dict)
    states: dict[str, pd.DataFrame] = field(default_factory=dict)


def partitioned(checks: Sequence[Check]) -> list[GlobalCheck]:
    """The checks whose states a cluster partitions and finalizes there."""
    return [
        c
        for c in checks
        if isinstance(c, GlobalCheck)
        and not isinstance(c, ConfirmingGlobalCheck)
        and c.partition_by is not None
    ]


def bucketed(checks: Sequence[Check]) -> list[ConfirmingGlobalCheck]:
    """The confirming checks whose states a cluster narrows by bucket key."""
    return [
        c
        for c in checks
        if isinstance(c, ConfirmingGlobalCheck)
        and type(c).buckets is not ConfirmingGlobalCheck.buckets
    ]


def partition_of(values: pd.Series | pd.DataFrame, parts: int) -> np.ndarray:
    """Each value's (or row's) partition: its 64-bit hash modulo ``parts``, the same
    in every process (pandas' hash has a fixed key)."""
    hashed = pd.util.hash_pandas_object(values.reset_index(drop=True), index=False)
    return (hashed.to_numpy() % np.uint64(parts)).astype(np.int64)


def _numbered(index: int, state: pd.DataFrame) -> np.ndarray:
    return (np.int64(index) << _ROW_BITS) + np.arange(len(state), dtype=np.int64)


def split_states(
    index: int,
    states: dict[str, pd.DataFrame],
    checks: Sequence[GlobalCheck],
    parts: int,
) -> dict[tuple[str, int], pd.DataFrame]:
    """Take the shuffled checks' states out of ``states`` (one chunk's), cut by key.

    Each piece keeps its rows in order and numbers them by their position in the
    whole state: chunk ``index``, then the row within the chunk. A bucketed check's
    state stays whole in the piece at :data:`KEPT`; its other pieces hold bucket
    keys and positions.
    """
    pieces: dict[tuple[str, int], pd.DataFrame] = {}
    for check in checks:
        state = states.pop(check.id, None)
        if not isinstance(state, pd.DataFrame) or not len(state):
            continue
        state = state.reset_index(drop=True)
        if isinstance(check, ConfirmingGlobalCheck):
            pieces[(check.id, KEPT)] = state
            keys = check.buckets(state)
            assert keys is not None
            state = pd.DataFrame(
                {
                    BUCKET: keys.ravel(),
                    ORDINAL: np.repeat(_numbered(index, state), keys.shape[1]),
                }
            )
            part = partition_of(state[BUCKET], parts)
        else:
            by = check.partition_by
            assert by is not None
            state[ORDINAL] = _numbered(index, state)
            part = partition_of(state[by] if isinstance(by, str) else state[list(by)], parts)
        for p in np.unique(part).tolist():
            pieces[(check.id, int(p))] = state[part == p].reset_index(drop=True)
    return pieces


def _frames(pieces: Sequence[pd.DataFrame | None]) -> list[pd.DataFrame]:
    return [p for p in pieces if p is not None and len(p)]


def reduce_partition(check: GlobalCheck, pieces: Sequence[pd.DataFrame | None]) -> pd.DataFrame:
    """One partition's findings, from its pieces in chunk order; each finding has the
    :data:`ORDINAL` of its own state row, else of the first at its place."""
    frames = _frames(pieces)
    if not frames:
        return empty_findings()
    state = pd.concat(frames, ignore_index=True)
    ordinal = state.pop(ORDINAL).to_numpy()
    hits, at = check.finalize_rows(state, None)
    findings = from_global_hits(check, hits)
    if not len(findings):
        return findings
    if at is not None:
        findings[ORDINAL] = ordinal[at]
        return findings
    place = _place(state["source_path"], state["line"])
    first = pd.Series(ordinal).groupby(place.to_numpy(), sort=False).min()
    findings[ORDINAL] = first.reindex(_place(findings["source_path"], findings["line"])).to_numpy()
    return findings


def _place(paths: pd.Series, lines: pd.Series) -> pd.Series:
    """``source_path`` and ``line`` as one string (a missing line is empty)."""
    line = pd.Series(lines).astype("Int64").astype("str").fillna("")
    return (
        pd.Series(paths).astype("str").reset_index(drop=True) + "\0" + line.reset_index(drop=True)
    )


def merge_partitions(parts: Sequence[pd.DataFrame], unique: Sequence[str] = ()) -> pd.DataFrame:
    """The partitions' findings of one check as one frame, in state row order; of
    findings equal in the ``unique`` columns, the first."""
    found = [p for p in parts if len(p)]
    if not found:
        return empty_findings()
    merged = pd.concat(found, ignore_index=True)
    # Stable: findings at one place keep the order their partition gave them.
    order = np.argsort(merged[ORDINAL].to_numpy(), kind="stable")
    merged = merged.iloc[order].drop(columns=[ORDINAL]).reset_index(drop=True)
    if unique:
        merged = merged[~merged.duplicated(list(unique))].reset_index(drop=True)
    return merged


def bucket_members(pieces: Sequence[pd.DataFrame | None]) -> np.ndarray:
    """Sorted positions of the rows sharing a bucket key with another row, of one
    partition's pieces."""
    frames = _frames(pieces)
    if not frames:
        return np.zeros(0, dtype=np.int64)
    rows = pd.concat(frames, ignore_index=True).drop_duplicates()
    shared = rows[BUCKET].duplicated(keep=False).to_numpy()
    return np.unique(rows[ORDINAL].to_numpy(dtype=np.int64)[shared])


def rows_by_chunk(ordinals: np.ndarray) -> dict[int, np.ndarray]:
    """Sorted positions in the whole state as each chunk's row numbers, by chunk."""
    chunk = ordinals >> _ROW_BITS
    starts = np.flatnonzero(np.diff(chunk, prepend=-1)) if len(chunk) else chunk
    ends = np.append(starts[1:], len(chunk))
    return {
        int(chunk[s]): ordinals[s:e] & _ROW_MASK
        for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
    }


def take_rows(state: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """A chunk's state rows at these positions, in order."""
    return state.iloc[rows].reset_index(drop=True)
