"""Evidence samples: the first findings of each check, with the text around them.

Reports show evidence in context and a record view with the article's text, but a
report never reads the dump or recomputes a check. So the chunk that raised a finding
attaches its context (about ``CONTEXT_CHARS`` either side) and, for sampled records,
the article itself; the run keeps the first ``limit`` per check in chunk order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.findings.rows import finding_dicts, image_owners
from corpus_qa.model import ARTICLE_COLUMNS

CONTEXT_CHARS = 80
#: Sampled records' bodies are cut here in the report (the dump has the rest).
MAX_RECORD_CHARS = 20_000
#: The article columns a record view shows as they are: the body goes in cut to
#: ``MAX_RECORD_CHARS`` and the images whole; line numbers of the title and body, the
#: parsed date and the image count stay out.
_RECORD_FIELDS = tuple(
    col
    for col in ARTICLE_COLUMNS
    if col not in ("title_line", "body", "body_lines", "published", "n_images")
)


def sample_chunk(
    findings: pd.DataFrame,
    articles: pd.DataFrame,
    images: pd.DataFrame,
    limit: int,
    sampled: frozenset[str] = frozenset(),
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The first ``limit`` findings per check of a chunk, with context, and their records;
    none of the checks in ``sampled``, which earlier chunks gave all the samples kept."""
    if sampled and len(findings):
        findings = findings[~findings["check"].isin(list(sampled)).to_numpy()]
    if findings.empty or limit <= 0:
        return [], {}
    head = findings.groupby("check", sort=False).head(limit)
    wanted = pa.array(head["record_id"].dropna().astype("str").unique(), pa.large_string())
    taken = _isin(articles["record_id"], wanted)
    by_id: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for at, row in zip(np.flatnonzero(taken), _plain(articles[taken]), strict=True):
        by_id.setdefault(str(row["record_id"]), []).append((int(at), row))
    owners = image_owners(images, articles) if len(images) else np.empty(0, dtype=np.int64)
    images_by_row: dict[int, list[dict[str, Any]]] = {}
    in_wanted = _isin(images["record_id"], wanted)
    for owner, image in zip(owners[in_wanted], _plain(images[in_wanted]), strict=True):
        images_by_row.setdefault(int(owner), []).append(image)
    samples: list[dict[str, Any]] = []
    records: dict[str, dict[str, Any]] = {}
    for finding in finding_dicts(head):
        record_id = finding.get("record_id")
        found = _owner(by_id.get(str(record_id), []), finding) if record_id is not None else None
        if found is not None:
            position, row = found
            mine = images_by_row.get(position, [])
            _add_context(finding, row, mine)
            if record_id not in records:
                records[str(record_id)] = record_view(row, mine)
        samples.append(finding)
    return samples, records


def _owner(
    candidates: list[tuple[int, dict[str, Any]]], finding: dict[str, Any]
) -> tuple[int, dict[str, Any]] | None:
    """The article a finding is about: the one of its id whose file and lines hold the
    finding (two records may share an id; the first of them otherwise)."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    line = finding.get("line")
    for position, row in candidates:
        if row.get("source_path") == finding.get("source_path") and (
            line is None or row["line_start"] <= line <= row["line_end"]
        ):
            return position, row
    return candidates[0]


def _isin(ids: pd.Series, wanted: pa.Array) -> np.ndarray:
    """Whether each id is one of ``wanted``: Arrow's is_in (pandas' isin wraps every
    wanted id in a pyarrow scalar first, which cost more than the rest of sampling)."""
    found = pc.is_in(pa.array(ids.astype("str")), value_set=wanted).fill_null(False)
    return np.asarray(found, dtype=bool)


def _plain(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (nulls as None)."""
    columns = list(frame.columns)
    # Column by column: one conversion and one null test per column, not per cell.
    values = [_nulls_as_none(frame[c]) for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _nulls_as_none(column: pd.Series) -> list[Any]:
    """The column's values; missing ones (never a list held in a cell) as None."""
    missing = column.isna().to_numpy().tolist()
    return [None if m else v for m, v in zip(missing, column.tolist(), strict=True)]


def _field_text(row: dict[str, Any], images: list[dict[str, Any]], field: str) -> str | None:
    if field.startswith("images["):
        position = int(field[len("images[") : field.index("]")])
        column = field[field.index("].") + 2 :]
        for image in images:
            if int(image["position"]) == position:
                return None if image.get(column) is None else str(image[column])
        return None
    value = row.get(field)
    return None if value is None else str(value)


def _add_context(
    finding: dict[str, Any], row: dict[str, Any], images: list[dict[str, Any]]
) -> None:
    start, end, field = finding.get("start"), finding.get("end"), finding.get("field")
    if start is None or end is None or field is None:
        return
    text = _field_text(row, images, str(field))
    if text is None:
        return
    finding["context_before"] = text[max(0, int(start) - CONTEXT_CHARS) : int(start)]
    finding["context_after"] = text[int(end) : int(end) + CONTEXT_CHARS]


def record_view(row: dict[str, Any], images: list[dict[str, Any]]) -> dict[str, Any]:
    """What a report's record view shows of one article."""
    view: dict[str, Any] = {name: row.get(name) for name in _RECORD_FIELDS}
    for name in ("line_start", "line_end"):
        view[name] = int(view[name]) if view[name] is not None else None
    body = str(row.get("body") or "")
    view["body"] = body[:MAX_RECORD_CHARS]
    view["body_truncated"] = len(body) > MAX_RECORD_CHARS
    view["images"] = [
        {
            "position": int(image["position"]),
            "alt": image["alt"],
            "src": image["src"],
            "resolved_src": image["resolved_src"],
            "line": None if image.get("line") is None else int(image["line"]),
        }
        for image in images
    ]
    return view


class Sampler:
    """Keeps the first N samples per check across chunks, and the records they cite."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.samples: dict[str, list[dict[str, Any]]] = {}
        self.records: dict[str, dict[str, Any]] = {}

    def full(self) -> frozenset[str]:
        """Checks that have all the samples kept: later chunks' would be dropped here."""
        return frozenset(c for c, bucket in self.samples.items() if len(bucket) >= self.limit)

    def add(self, samples: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> None:
        for finding in samples:
            bucket = self.samples.setdefault(str(finding["check"]), [])
            if len(bucket) < self.limit:
                bucket.append(finding)
                record_id = finding.get("record_id")
                if record_id in records and record_id not in self.records:
                    self.records[record_id] = records[record_id]
