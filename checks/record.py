"""Records repeated across the dump."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import GlobalCheck, Rows, no_global_hits
from corpus_qa.model import Severity
from corpus_qa.text.keys import NATIVE, in_slices, joined_keys


class RecordDuplicate(GlobalCheck):
    """The same article twice in the dump.

    What it catches
    ---------------
    Articles whose title and body are identical to an earlier article's once
    whitespace is normalized. Scope: global, computed over the whole dump from a
    64-bit content hash per article (no text is kept; file and line wait on disk
    until finalize), so a pair split across
    chunks, files, worker processes or cluster partitions is found. The first
    occurrence in dump order is kept; each repeat is a finding on its body, without
    a span, whose message names the first.

    Why it matters
    --------------
    Duplicates inflate counts and bias anything trained or measured on the dump. A
    sudden rise usually means pagination or a "load more" loop re-fetching the same
    pages, or one story stored under several URLs.

    Example
    -------
    ``feed-2.jsonl:88`` holds the same title and body as ``feed-1.jsonl:12``.

    How to fix the scraper
    ----------------------
    Canonicalize URLs (``rel=canonical``, strip tracking parameters) and keep a
    seen-set of content hashes across runs; fix the pagination stop condition.
    """

    id: ClassVar[str] = "record.duplicate"
    name: ClassVar[str] = "Duplicate record"
    severity: ClassVar[Severity] = "error"
    #: Read back only for repeats and their originals (corpus_qa.checks.global_state): on disk.
    spilled: ClassVar[tuple[str, ...]] = ("record_id", "source_path", "line", "outlet")
    #: Repeats share their content hash: a cluster finalizes the state by hash partition.
    partition_by: ClassVar[str | None] = "key"

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        # The Arrow path copies titles and bodies a few times over: it keys in slices.
        # The one-pass C keying copies nothing, and slices would only add their cost.
        if NATIVE:
            return self._observe(articles)
        return in_slices(articles, self._observe)

    def _observe(self, articles: pd.DataFrame) -> pd.DataFrame:
        keys, keep = joined_keys(articles["title"], articles["body"])
        kept = {c: articles[c].array[keep] for c in ("record_id", "source_path", "outlet")}
        if any(v.isna().all() for v in kept.values()):
            # Where a column is all missing (or nothing is kept) object arrays give it
            # the dtype the spill first saw before (``object``).
            kept = {c: v.to_numpy(dtype=object) for c, v in kept.items()}
        # Otherwise the Arrow strings themselves: no Python string per row.
        return pd.DataFrame(
            {
                "key": keys[keep],
                "record_id": kept["record_id"],
                "source_path": kept["source_path"],
                "line": articles["line_start"].to_numpy()[keep],
                "outlet": kept["outlet"],
            }
        )

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        if state.empty:
            return no_global_hits()
        repeats, firsts = _repeats(state["key"])
        if not len(repeats):
            return no_global_hits()
        spilled = self.spilled_rows(state, rows)
        repeat, original = spilled.take(repeats), spilled.take(firsts)
        message = (
            "same title and body as "
            + original["record_id"].astype("str").to_numpy()
            + " ("
            + original["source_path"].astype("str").to_numpy()
            + ":"
            + original["line"].astype("str").to_numpy()
            + ")"
        )
        return pd.DataFrame(
            {
                "record_id": repeat["record_id"].to_numpy(),
                "source_path": repeat["source_path"].to_numpy(),
                "line": repeat["line"].to_numpy(),
                "outlet": repeat["outlet"].to_numpy(),
                "field": "body",
                # No span: the whole body repeats, and states keep hashes, not text.
                "evidence": None,
                "start": pd.NA,
                "end": pd.NA,
                "message": message,
            }
        )


class RecordDuplicateId(GlobalCheck):
    """Two records share one id.

    What it catches
    ---------------
    A ``record_id`` that appears more than once in the dump (the records' own id
    field, or path and position for scraped pages). Scope: global, computed from
    each chunk's ids: found across chunks, files, workers and partitions. Each
    repeat is a finding naming the first.

    Why it matters
    --------------
    Ids key every join downstream: with a collision, one article silently
    overwrites another, and findings can no longer be traced to one record.

    Example
    -------
    ``{"id": "20240322000001", ...}`` on line 3 and again on line 4107.

    How to fix the scraper
    ----------------------
    Derive ids from the canonical URL or the outlet's own article id, not from a
    counter that restarts per run or per page.
    """

    id: ClassVar[str] = "record.duplicate_id"
    name: ClassVar[str] = "Duplicate record id"
    severity: ClassVar[Severity] = "error"
    #: Read back only for repeats and their originals (corpus_qa.checks.global_state): on disk;
    #: the ids are compared as integer codes in memory.
    spilled: ClassVar[tuple[str, ...]] = ("record_id", "source_path", "line", "outlet")
    encoded: ClassVar[tuple[str, ...]] = ("record_id",)
    partition_by: ClassVar[str | None] = "record_id"

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        return articles[["record_id", "source_path", "line_start", "outlet"]].rename(
            columns={"line_start": "line"}
        )

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        if state.empty:
            return no_global_hits()
        repeats, firsts = _repeats(state["record_id"])
        if not len(repeats):
            return no_global_hits()
        spilled = self.spilled_rows(state, rows)
        repeat, original = spilled.take(repeats), spilled.take(firsts)
        ids = repeat["record_id"].astype("str")
        return pd.DataFrame(
            {
                "record_id": ids.to_numpy(),
                "source_path": repeat["source_path"].to_numpy(),
                "line": repeat["line"].to_numpy(),
                "outlet": repeat["outlet"].to_numpy(),
                "field": "record_id",
                "evidence": ids.to_numpy(),
                "start": np.zeros(len(repeat), dtype="int64"),
                "end": ids.str.len().to_numpy(),
                "message": "record id already used at "
                + original["source_path"].astype("str").to_numpy()
                + ":"
                + original["line"].astype("str").to_numpy(),
            }
        )


def _repeats(keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(rows whose key an earlier row has, in order; that earlier first row of each)."""
    codes, _ = pd.factorize(keys.to_numpy(), use_na_sentinel=False)
    repeat = pd.Series(codes).duplicated(keep="first").to_numpy()
    # Codes number keys by first appearance, so first rows in order are code 0, 1, 2...
    firsts = np.flatnonzero(~repeat)
    rows = np.flatnonzero(repeat)
    return rows, firsts[codes[rows]]
