"""Evidence samples: the first findings of each check, with the text around them.

Reports show evidence in context and a record view with the article's text, but a
report never reads the dump or recomputes a check. So the chunk that raised a finding
attaches its context (about ``CONTEXT_CHARS`` either side) and, for sampled records,
the article itself; the run keeps the first ``limit`` per check in chunk order.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from corpus_qa.findings import field_text, finding_dicts

CONTEXT_CHARS = 80
#: Sampled records' bodies are cut here in the report (the dump has the rest).
MAX_RECORD_CHARS = 20_000
_RECORD_FIELDS = (
    "record_id",
    "source_path",
    "line_start",
    "line_end",
    "role",
    "outlet",
    "url",
    "title",
    "byline",
    "byline_source",
    "credit",
    "genre",
    "published_raw",
)


def sample_chunk(
    findings: pd.DataFrame, articles: pd.DataFrame, images: pd.DataFrame, limit: int
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The first ``limit`` findings per check of a chunk, with context, and their records."""
    if findings.empty or limit <= 0:
        return [], {}
    head = findings.groupby("check", sort=False).head(limit)
    by_id = articles.drop_duplicates("record_id").set_index("record_id", drop=False)
    samples: list[dict[str, Any]] = []
    records: dict[str, dict[str, Any]] = {}
    for finding in finding_dicts(head):
        record_id = finding.get("record_id")
        if record_id is not None and record_id in by_id.index:
            row = by_id.loc[record_id]
            _add_context(finding, row, images)
            if record_id not in records:
                records[record_id] = record_view(row, images)
        samples.append(finding)
    return samples, records


def _add_context(finding: dict[str, Any], row: pd.Series, images: pd.DataFrame) -> None:
    start, end, field = finding.get("start"), finding.get("end"), finding.get("field")
    if start is None or end is None or field is None:
        return
    text = field_text(row, images, str(field))
    if text is None:
        return
    finding["context_before"] = text[max(0, int(start) - CONTEXT_CHARS) : int(start)]
    finding["context_after"] = text[int(end) : int(end) + CONTEXT_CHARS]


def record_view(row: pd.Series, images: pd.DataFrame) -> dict[str, Any]:
    """What a report's record view shows of one article."""
    view: dict[str, Any] = {}
    for name in _RECORD_FIELDS:
        value = row.get(name)
        view[name] = None if value is None or value is pd.NA or pd.isna(value) else value
        if isinstance(view[name], int | float) and name.startswith("line"):
            view[name] = int(view[name])
    body = "" if pd.isna(row.get("body")) else str(row.get("body"))
    view["body"] = body[:MAX_RECORD_CHARS]
    view["body_truncated"] = len(body) > MAX_RECORD_CHARS
    mine = images[images["record_id"] == row["record_id"]]
    view["images"] = [
        {
            "position": int(image["position"]),
            "alt": str(image["alt"]),
            "src": str(image["src"]),
            "resolved_src": str(image["resolved_src"]),
            "line": None if pd.isna(image["line"]) else int(image["line"]),
        }
        for _, image in mine.iterrows()
    ]
    return view


class Sampler:
    """Keeps the first N samples per check across chunks, and the records they cite."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.samples: dict[str, list[dict[str, Any]]] = {}
        self.records: dict[str, dict[str, Any]] = {}

    def add(self, samples: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> None:
        for finding in samples:
            bucket = self.samples.setdefault(str(finding["check"]), [])
            if len(bucket) < self.limit:
                bucket.append(finding)
                record_id = finding.get("record_id")
                if record_id in records and record_id not in self.records:
                    self.records[record_id] = records[record_id]
