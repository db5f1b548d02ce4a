"""Body paragraphs that recur across many articles of one outlet: learned chrome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import GlobalCheck, Rows, no_global_hits
from corpus_qa.checks.builtin._outlets import outlet_groups
from corpus_qa.checks.options import CheckOptions
from corpus_qa.model import Severity
from corpus_qa.text.keys import NATIVE, in_slices
from corpus_qa.text.lines import body_lines

_EVIDENCE_CHARS = 120


def _take(column: pd.Series, rows: np.ndarray) -> pd.Categorical:
    """Values at positional ``rows`` as categories: the chunk's distinct values and a
    code a row, not a string a row (a chunk has many lines per article)."""
    codes, values = pd.factorize(column)
    return pd.Categorical.from_codes(codes[rows], categories=values)


def _paragraph_lines(articles: pd.DataFrame, row: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Each paragraph's source line: its entry in ``body_lines``, else the record's line."""
    line: np.ndarray = articles["line_start"].to_numpy(dtype="int64")[row]
    column = articles["body_lines"]
    lists = column.to_numpy(dtype=object)
    # Records (JSONL and the like) have no paragraph lines: only pages walk this loop.
    for i in np.flatnonzero(column.notna().to_numpy(dtype=bool)[row]).tolist():
        lst, k = lists[row[i]], int(position[i])
        if isinstance(lst, list) and k < len(lst):
            line[i] = lst[k]
    return line


@dataclass(frozen=True)
class RecurringOptions(CheckOptions):
    #: Articles of one outlet a line must recur in (fewer for a small outlet).
    min_pages: int = 5
    #: Share of a big outlet's articles a line must recur in.
    min_share: float = 0.005
    #: Shorter paragraphs are not counted.
    min_chars: int = 20


class BoilerplateRecurring(GlobalCheck):
    """The same body line or paragraph on many pages of one outlet.

    What it catches
    ---------------
    Body lines (the unit extractors write: trafilatura a paragraph a line, others
    paragraphs between blank lines, whose lines count each) whose normalized text
    (case folded, whitespace collapsed) recurs in enough articles of the same outlet
    (the ``outlet`` column, else the URL's host, else the whole dump), counting lines
    of at least ``min_chars`` characters. Enough is ``min_pages``, fewer for a small
    outlet (a quarter of its pages) and more for a big one (``min_share`` of its
    pages), never fewer than 3: two articles quoting one statement share a line. The
    finding spans the whole line. The parser sees one page at a time and cannot
    know that "Unterstützen Sie unabhängigen Journalismus" closes every article of
    a site; across the dump it can: this check learns the outlet's chrome from the
    dump itself, with no list of sites. Every occurrence is a finding. Scope:
    global; during the run a line costs about 16 bytes of memory (a 64-bit key of
    its normalized text, the outlet and record id as integer codes), its evidence and
    provenance waiting on disk until the hits are known.

    Why it matters
    --------------
    Recurring promos, newsletter boxes, author bios and legal notices inside
    bodies skew text statistics, duplicate detection and anything trained on the
    dump, and they mean the page parser let site chrome through.

    Example
    -------
    "Melden Sie sich für unseren Newsletter an." in 40 bodies of one outlet.

    How to fix the scraper
    ----------------------
    Cut the template's promo and footer elements before extracting the text, or
    drop paragraphs this check reports for the outlet.
    """

    id: ClassVar[str] = "boilerplate.recurring"
    name: ClassVar[str] = "Recurring boilerplate paragraph"
    severity: ClassVar[Severity] = "warning"
    Options = RecurringOptions
    options: RecurringOptions
    #: Read back only for the hits (see corpus_qa.checks.global_state): kept on disk, not in memory.
    spilled: ClassVar[tuple[str, ...]] = (
        "record_id",
        "source_path",
        "line",
        "outlet",
        "evidence",
        "offset",
        "stop",
    )
    #: Compared only: kept in memory as integer codes.
    encoded: ClassVar[tuple[str, ...]] = ("group", "record_id")
    #: Thresholds and counts are per outlet: a cluster finalizes the state by outlet.
    partition_by: ClassVar[str | None] = "group"

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        # The Arrow path copies the bodies a few times over (split, collapsed, folded):
        # it keys in slices. The one-pass C keying copies only the evidence.
        if NATIVE:
            return self._observe(articles)
        return in_slices(articles, self._observe)

    def _observe(self, articles: pd.DataFrame) -> pd.DataFrame:
        min_chars = self.options.min_chars
        # All in Arrow and numpy: a chunk holds many paragraphs per article, and a
        # Python string for each costs more than the rest of the check.
        # Lines: trafilatura writes a paragraph a line, newspaper4k a paragraph between
        # blank lines; a line is the unit both write, and a blank-line paragraph's lines.
        # The chunk's one line split, shared with boilerplate.foreign_headline.
        # Evidence as the split holds it (``wider``: no shorter copy of every line's);
        # finalize cuts the few it reports to _EVIDENCE_CHARS.
        found = body_lines(articles["body"], min_chars, _EVIDENCE_CHARS, wider=True)
        rows = found.row
        # Strings as categories: the run's code book meets only the chunk's distinct
        # outlets and ids, and the spill writes them once (global_state.write_spill).
        return pd.DataFrame(
            {
                "key": found.keys,
                "group": _take(outlet_groups(articles), rows),
                "record_id": _take(articles["record_id"], rows),
                "source_path": _take(articles["source_path"], rows),
                "line": _paragraph_lines(articles, rows, found.position),
                "outlet": _take(articles["outlet"], rows),
                "evidence": pd.array(found.evidence, dtype="str"),
                "offset": found.start,
                "stop": found.end,
            }
        )

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        if not len(state):
            return no_global_hits()
        # Only rows whose unit recurs at all, in order: a handful, not every one.
        maybe, pages = _pages(state, _FLOOR)
        needed = _thresholds(state, self.options.min_pages, self.options.min_share, maybe)
        enough = pages >= needed
        found = maybe[enough]
        if not len(found):
            return no_global_hits()
        hits = self.spilled_rows(state, rows).take(found)
        count = pages[enough]
        evidence = hits["evidence"].astype("str").str.slice(0, _EVIDENCE_CHARS)
        start = hits["offset"].to_numpy().astype("int64")
        stop = hits["stop"].to_numpy().astype("int64")
        return pd.DataFrame(
            {
                "record_id": hits["record_id"].to_numpy(),
                "source_path": hits["source_path"].to_numpy(),
                "line": hits["line"].to_numpy(),
                "outlet": hits["outlet"].to_numpy(),
                "field": "body",
                "evidence": evidence.to_numpy(),
                "start": start,
                "end": stop,
                "message": "paragraph recurs in "
                + pd.Series(count).astype("str").to_numpy()
                + " articles of this outlet (site chrome, learned from the dump)",
            }
        )


#: However few pages an outlet has, a unit on only this many is not chrome: two articles
#: quoting one statement share a paragraph.
_FLOOR = 3


def _thresholds(state: pd.DataFrame, min_pages: int, share: float, rows: np.ndarray) -> np.ndarray:
    """At ``rows``, the pages its unit must recur on in its outlet: ``min_pages``, lowered
    for an outlet with few pages (a quarter of them, at least :data:`_FLOOR`) and
    raised for a big one (``share`` of its pages), where one story's quotes recur."""
    group = _narrow_codes(state["group"])
    record = _narrow_codes(state["record_id"])
    groups = int(group.max(initial=-1)) + 1
    # The last slot: a missing group's size, 0.
    size = np.zeros(groups + 1, dtype=np.int64)
    # A record's units are adjacent rows: each run of one (group, record) is counted
    # once before the exact distinct count, which then sorts records, not units.
    first = np.ones(len(group), dtype=bool)
    first[1:] = (group[1:] != group[:-1]) | (record[1:] != record[:-1])
    first &= (group >= 0) & (record >= 0)
    if first.any():
        known_group = group[first].astype(np.int64)
        known_record = record[first].astype(np.int64)
        width = int(known_record.max()) + 1
        pairs = np.unique(known_group * width + known_record)
        size[:groups] = np.bincount(pairs // width, minlength=groups)
    pages = size[group[rows]]
    low = np.minimum(min_pages, -(-pages // 4))
    high = np.ceil(share * pages).astype(np.int64)
    needed: np.ndarray = np.maximum(np.maximum(low, high), _FLOOR)
    return needed


def _narrow_codes(values: pd.Series) -> np.ndarray:
    """:func:`_codes` without widening integer codes (the state's, one per unit)."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":
        return values.to_numpy()
    return _codes(values)


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes, equal for equal values; missing values are -1 (already codes: as is)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.to_numpy(dtype=np.int64)
    return np.asarray(pd.factorize(values)[0], dtype=np.int64)


#: At most this many keys are counted at once (see :func:`_common_rows`): its transient
#: arrays are bounded by it, not by the dump.
_PART_ROWS = 1 << 18
#: Partitions are told apart by a byte of each key (its top bits).
_MAX_PARTS = 256
#: Rows of keys cut into partitions at once: the shifted keys of one block.
_BLOCK = 1 << 16


def _common_rows(
    keys: np.ndarray, min_pages: int, buckets: int | None = None, part_rows: int = _PART_ROWS
) -> np.ndarray:
    """Rows whose key is on at least ``min_pages`` rows, in order.

    Equal keys share their top bits, so the keys are cut by those bits into
    partitions of about ``part_rows`` each and every partition is counted on its own:
    the counters and row arrays this needs are bounded by a partition, not by the
    dump (the finalize is the parent's peak). Within a partition, see
    :func:`_common_in`.
    """
    bits = 0
    while (len(keys) >> bits) > part_rows and (1 << bits) < _MAX_PARTS:
        bits += 1
    if not bits:
        return _common_in(keys, min_pages, buckets)
    shift = np.uint64(64 - bits)
    # A byte per key, filled block by block: no array of shifted keys as long as the state.
    part = np.empty(len(keys), dtype=np.uint8)
    for start in range(0, len(keys), _BLOCK):
        part[start : start + _BLOCK] = keys[start : start + _BLOCK] >> shift
    found = []
    for p in range(1 << bits):
        rows = np.flatnonzero(part == p)
        found.append(rows[_common_in(keys[rows], min_pages, buckets)])
    del part
    # Each partition's rows are in order: a stable sort merges them.
    return np.sort(np.concatenate(found), kind="stable")


def _common_in(keys: np.ndarray, min_pages: int, buckets: int | None = None) -> np.ndarray:
    """:func:`_common_rows` of one partition's keys.

    Most paragraphs occur once. Keys are uniform 64-bit hashes, so counting them by
    their low bits (a few MB of counters, not a hash table several times the keys'
    size) leaves few rows whose bucket has enough keys; only those are sorted and
    counted exactly, so a collision costs time, never a finding. Sorting every key
    would be most of the check's serial time after the last chunk.
    """
    if buckets is None:
        buckets = 1 << min(22, max(10, (2 * len(keys)).bit_length()))
    bucket = (keys & np.uint64(buckets - 1)).astype(np.intp)
    # Compared per bucket, then looked up: a byte per key, not a count per key.
    maybe = np.flatnonzero((np.bincount(bucket, minlength=buckets) >= min_pages)[bucket])
    del bucket
    ordered = np.sort(keys[maybe])
    bounds = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    bounds = np.concatenate([[0], bounds, [len(ordered)]])
    common = ordered[bounds[:-1][np.diff(bounds) >= min_pages]]
    return maybe[pd.Series(keys[maybe]).isin(common).to_numpy()]


def _pages(state: pd.DataFrame, min_pages: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows (in order) whose (group, key) has at least one page, and per row the
    distinct record ids sharing it; rows whose key cannot reach ``min_pages`` (on
    fewer rows than that in the whole dump) are not among them."""
    keys = state["key"].to_numpy()
    rows = _common_rows(keys, min_pages)
    if not len(rows):
        return rows, np.zeros(0, dtype=np.int32)
    group = _codes(state["group"].iloc[rows])
    record = _codes(state["record_id"].iloc[rows])
    key = keys[rows]
    order = np.lexsort((record, key, group))
    group, key, record = group[order], key[order], record[order]
    new_pair = np.ones(len(rows), dtype=bool)
    new_pair[1:] = (group[1:] != group[:-1]) | (key[1:] != key[:-1])
    new_record = new_pair.copy()
    new_record[1:] |= record[1:] != record[:-1]
    # Like pandas' nunique: a missing record id is no page; a missing group no group.
    counted = new_record & (record >= 0)
    pair = np.cumsum(new_pair) - 1
    distinct = np.bincount(pair, weights=counted).astype(np.int64)
    pages = np.zeros(len(rows), dtype=np.int32)
    # Counts fit: a key's pages are at most the dump's records.
    pages[order] = np.where(group >= 0, distinct[pair], 0)
    kept = pages > 0
    return rows[kept], pages[kept]
