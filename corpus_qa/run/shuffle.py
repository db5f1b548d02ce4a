"""Global checks' states partitioned by key across a cluster's workers: a shuffle.

A global check that declares :attr:`~corpus_qa.checks.api.GlobalCheck.partition_by`
relates only state rows with the same value in that column. On a Dask cluster each
chunk's task splits such a state by the value's hash into ``parts`` pieces
(:func:`split_states`) that stay in the workers' memory; after the last chunk one
reducer task per partition concatenates its pieces in chunk order and finalizes them
(:func:`reduce_partition`). The client gets findings only, never the states.

Findings are those of the whole state, in the same order: a partition holds every
row that could relate to each of its rows, and each finding carries the global
position (chunk, row) of the first state row of its ``source_path`` and ``line``, by
which the client merges the partitions back into state row order
(:func:`merge_partitions`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, ConfirmingGlobalCheck, GlobalCheck
from corpus_qa.findings.rows import empty_findings, from_global_hits

#: The column each piece carries: the row's position in the whole state.
ORDINAL = "_cqa_ordinal"
#: Bits of the ordinal that number rows within a chunk's state.
_ROW_BITS = 32


def partitioned(checks: Sequence[Check]) -> list[GlobalCheck]:
    """The checks whose states a cluster partitions (the rest meet at the client)."""
    return [
        c
        for c in checks
        if isinstance(c, GlobalCheck)
        and not isinstance(c, ConfirmingGlobalCheck)
        and c.partition_by is not None
    ]


def partition_of(values: pd.Series, parts: int) -> np.ndarray:
    """Each value's partition: its 64-bit hash modulo ``parts``, the same in every
    process (pandas' hash has a fixed key)."""
    hashed = pd.util.hash_pandas_object(values.reset_index(drop=True), index=False)
    return (hashed.to_numpy() % np.uint64(parts)).astype(np.int64)


def split_states(
    index: int,
    states: dict[str, pd.DataFrame],
    checks: Sequence[GlobalCheck],
    parts: int,
) -> dict[tuple[str, int], pd.DataFrame]:
    """Take the partitioned checks' states out of ``states`` (one chunk's), cut by key.

    Each piece keeps its rows in order and numbers them by their position in the
    whole state: chunk ``index``, then the row within the chunk.
    """
    pieces: dict[tuple[str, int], pd.DataFrame] = {}
    for check in checks:
        state = states.pop(check.id, None)
        if not isinstance(state, pd.DataFrame) or not len(state):
            continue
        assert check.partition_by is not None
        state = state.reset_index(drop=True)
        state[ORDINAL] = (np.int64(index) << _ROW_BITS) + np.arange(len(state), dtype=np.int64)
        part = partition_of(state[check.partition_by], parts)
        for p in np.unique(part).tolist():
            pieces[(check.id, int(p))] = state[part == p].reset_index(drop=True)
    return pieces


def reduce_partition(check: GlobalCheck, pieces: Sequence[pd.DataFrame | None]) -> pd.DataFrame:
    """One partition's findings, from its pieces in chunk order; each finding has the
    :data:`ORDINAL` of the first state row at its ``source_path`` and ``line``."""
    frames = [p for p in pieces if p is not None and len(p)]
    if not frames:
        return empty_findings()
    state = pd.concat(frames, ignore_index=True)
    ordinal = state.pop(ORDINAL).to_numpy()
    findings = from_global_hits(check, check.finalize(state, None))
    if not len(findings):
        return findings
    at = _place(state["source_path"], state["line"])
    first = pd.Series(ordinal).groupby(at.to_numpy(), sort=False).min()
    findings[ORDINAL] = first.reindex(_place(findings["source_path"], findings["line"])).to_numpy()
    return findings


def _place(paths: pd.Series, lines: pd.Series) -> pd.Series:
    """``source_path`` and ``line`` as one string (a missing line is empty)."""
    line = pd.Series(lines).astype("Int64").astype("str").fillna("")
    return (
        pd.Series(paths).astype("str").reset_index(drop=True) + "\0" + line.reset_index(drop=True)
    )


def merge_partitions(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The partitions' findings of one check as one frame, in state row order."""
    found = [p for p in parts if len(p)]
    if not found:
        return empty_findings()
    merged = pd.concat(found, ignore_index=True)
    # Stable: findings at one place keep the order their partition gave them.
    order = np.argsort(merged[ORDINAL].to_numpy(), kind="stable")
    return merged.iloc[order].drop(columns=[ORDINAL]).reset_index(drop=True)
