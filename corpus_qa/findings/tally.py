"""Counting: what each chunk saw, merged into dump-wide totals.

Rates need two numbers per check and per outlet: the distinct records with a finding,
and the records checked. Record ids are unique to one chunk (a record never spans
chunks), so per-chunk distinct counts add up exactly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.model import ChromeSpan

UNKNOWN_OUTLET = "(unknown)"
#: Article column -> the role the history's fill rates name it by (corpus_qa.history).
FILL_COLUMNS = {"byline": "byline", "published": "date", "title": "title", "body": "body"}


#: Body length buckets per doubling of the length (about 4% wide each).
BUCKETS_PER_OCTAVE = 16


def _counts(series: pd.Series) -> dict[str, int]:
    return {str(key): int(n) for key, n in series.value_counts().items()}


def _int_counts(series: pd.Series) -> dict[int, int]:
    return {int(str(key)): int(n) for key, n in series.value_counts().items()}


def _blank(values: pd.Series) -> np.ndarray:
    """Per value, whether it is empty or only whitespace (missing: ``True``).

    What ``str.strip()`` then a zero length says, without copying every stripped
    body: Arrow's whitespace test and its trim agree on every code point.
    """
    text = pa.chunked_array([pa.array(values.astype("str").array, type=pa.large_string())])
    blank = pc.or_(pc.equal(pc.binary_length(text), 0), pc.utf8_is_space(text))
    mask: np.ndarray = blank.fill_null(True).to_numpy(zero_copy_only=False)
    return mask


@dataclass
class InputTally:
    read: int = 0
    quarantined: int = 0

    @property
    def checked(self) -> int:
        return self.read - self.quarantined


@dataclass
class ChunkStats:
    pages: int = 0
    articles: int = 0
    images: int = 0
    chrome_lines: int = 0
    unplaced_lines: int = 0
    inputs: dict[str, InputTally] = field(default_factory=dict)
    #: Articles per outlet.
    outlets: Counter[str] = field(default_factory=Counter)
    #: Articles per role.
    roles: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    #: check -> distinct records with a finding
    records: Counter[str] = field(default_factory=Counter)
    #: (check, outlet) -> distinct records with a finding
    records_by_outlet: Counter[tuple[str, str]] = field(default_factory=Counter)
    exempted: dict[str, int] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    #: Body lengths and image counts, for the report's distributions (bucketed).
    body_length_buckets: Counter[int] = field(default_factory=Counter)
    images_per_article: Counter[int] = field(default_factory=Counter)
    #: (outlet, role) -> articles with that role filled (byline, date, title, body).
    filled: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: (outlet, bucket) -> articles; geometric buckets (corpus_qa.history.metrics).
    body_length_by_outlet: Counter[tuple[str, int]] = field(default_factory=Counter)
    #: outlet -> images; outlet -> findings.
    images_by_outlet: Counter[str] = field(default_factory=Counter)
    findings_by_outlet: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add_input(self, path: str, *, read: int, quarantined: int) -> None:
        tally = self.inputs.setdefault(path, InputTally())
        tally.read += read
        tally.quarantined += quarantined

    def count_tables(self, articles: pd.DataFrame, images: pd.DataFrame) -> None:
        self.articles += len(articles)
        self.images += len(images)
        if not len(articles):
            return
        outlet = articles["outlet"].astype("str").fillna(UNKNOWN_OUTLET)
        self.outlets.update(_counts(outlet))
        self.roles.update(_counts(articles["role"].astype("str")))
        # One pass over the bodies' characters serves both length tallies.
        lengths = articles["body"].astype("str").str.len().fillna(0)
        self.body_length_buckets.update(_int_counts((lengths // 500 * 500).astype(int)))
        self.images_per_article.update(_int_counts(articles["n_images"].astype(int)))
        self._count_outlets(articles, outlet, lengths.to_numpy())

    def _count_outlets(
        self, articles: pd.DataFrame, outlet: pd.Series, lengths: np.ndarray
    ) -> None:
        """Per outlet: roles filled, body length buckets, images (the history's metrics).

        Counted on the outlets' codes with ``bincount``, outlets in sorted order and
        (outlet, bucket) pairs sorted, as a ``groupby`` gives them: a chunk pays a few
        array passes, not a frame and three groupings."""
        codes, names = pd.factorize(outlet.to_numpy(), sort=True)
        keys = [str(name) for name in names]
        filled: dict[str, np.ndarray] = {}
        for column, role in FILL_COLUMNS.items():
            values = articles[column]
            mask = values.notna().to_numpy()
            if values.dtype == object or str(values.dtype) in ("str", "string"):
                mask = mask & ~_blank(values)
            filled[role] = np.bincount(codes[mask], minlength=len(keys))
        for code, name in enumerate(keys):
            for role, counts in filled.items():
                if counts[code]:
                    self.filled[(name, role)] += int(counts[code])
        bucket = np.floor(np.log2(lengths + 1.0) * BUCKETS_PER_OCTAVE).astype(int)
        width = int(bucket.max()) + 1 if len(bucket) else 1
        pairs, sizes = np.unique(codes.astype(np.int64) * width + bucket, return_counts=True)
        for pair, n in zip(pairs.tolist(), sizes.tolist(), strict=True):
            self.body_length_by_outlet[(keys[pair // width], pair % width)] += n
        images = articles["n_images"].astype(int).to_numpy()
        sums = np.bincount(codes, weights=images, minlength=len(keys))
        for name, n in zip(keys, sums.tolist(), strict=True):
            self.images_by_outlet[name] += int(n)

    def count_findings(self, findings: pd.DataFrame, articles: pd.DataFrame | None = None) -> None:
        """Count findings, and the distinct records they touch per check and outlet.

        ``articles``: the chunk's articles, to tell apart two records that share an id
        (a defect of its own) so that they count as two, as they do in separate chunks.
        """
        if findings.empty:
            return
        self.findings.update(_counts(findings["check"]))
        first = findings.drop_duplicates("check")
        self.severities.update(
            dict(zip(first["check"].astype("str"), first["severity"].astype("str"), strict=True))
        )
        keyed = findings.assign(
            record_key=_record_keys(findings, articles),
            outlet_key=findings["outlet"].fillna(UNKNOWN_OUTLET),
        )
        distinct = keyed.drop_duplicates(["check", "record_key"])
        self.records.update(_counts(distinct["check"]))
        every = keyed.groupby(["check", "outlet_key"]).size().reset_index(name="n")
        self.findings_by_outlet.update(
            {
                (str(check), str(outlet)): int(n)
                for check, outlet, n in every.itertuples(index=False, name=None)
            }
        )
        pairs = distinct.groupby(["check", "outlet_key"]).size().reset_index(name="n")
        self.records_by_outlet.update(
            {
                (str(check), str(outlet)): int(n)
                for check, outlet, n in pairs.itertuples(index=False, name=None)
            }
        )

    def count_chrome(self, chrome: list[ChromeSpan]) -> None:
        for span in chrome:
            lines = sum(1 for line in span.text.splitlines() if line.strip())
            if span.kind == "chrome":
                self.chrome_lines += lines
            else:
                self.unplaced_lines += lines

    def merge(self, other: ChunkStats) -> None:
        self.pages += other.pages
        self.articles += other.articles
        self.images += other.images
        self.chrome_lines += other.chrome_lines
        self.unplaced_lines += other.unplaced_lines
        for path, tally in other.inputs.items():
            self.add_input(path, read=tally.read, quarantined=tally.quarantined)
        self.outlets.update(other.outlets)
        self.roles.update(other.roles)
        self.findings.update(other.findings)
        self.records.update(other.records)
        self.records_by_outlet.update(other.records_by_outlet)
        for check, n in other.exempted.items():
            self.exempted[check] = self.exempted.get(check, 0) + n
        self.severities.update(other.severities)
        self.body_length_buckets.update(other.body_length_buckets)
        self.images_per_article.update(other.images_per_article)
        self.filled.update(other.filled)
        self.body_length_by_outlet.update(other.body_length_by_outlet)
        self.images_by_outlet.update(other.images_by_outlet)
        self.findings_by_outlet.update(other.findings_by_outlet)

    @property
    def records_read(self) -> int:
        return sum(t.read for t in self.inputs.values())

    @property
    def records_quarantined(self) -> int:
        return sum(t.quarantined for t in self.inputs.values())


def _record_keys(findings: pd.DataFrame, articles: pd.DataFrame | None) -> pd.Series:
    """One key per record a finding is about: its id, or its file and line without one;
    for an id two articles of the chunk share, the id and the lines of its own article."""
    keys = findings["record_id"].fillna(
        findings["source_path"] + ":" + findings["line"].astype("str")
    )
    if articles is None or not articles["record_id"].duplicated().any():
        return keys
    shared = articles[articles["record_id"].duplicated(keep=False)]
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for record_id, path, first, last in shared[
        ["record_id", "source_path", "line_start", "line_end"]
    ].itertuples(index=False, name=None):
        spans.setdefault((str(record_id), str(path)), []).append((int(first), int(last)))
    keys = keys.astype("object")
    ids = findings["record_id"].astype("object").to_numpy()
    paths = findings["source_path"].astype("object").to_numpy()
    lines = findings["line"].astype("Int64").to_numpy(dtype="float64", na_value=np.nan)
    for row in np.flatnonzero(findings["record_id"].isin(shared["record_id"]).to_numpy()):
        own = spans.get((str(ids[row]), str(paths[row])), [])
        line = lines[row]
        first = next((a for a, b in own if np.isnan(line) or a <= line <= b), None)
        if first is not None:
            keys.iloc[int(row)] = f"{ids[row]}\0{paths[row]}\0{first}"
    return keys.astype("str")
