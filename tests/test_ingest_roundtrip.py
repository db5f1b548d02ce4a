"""Property: records written as JSONL come back from ingest exactly as written."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_qa.ingest import RecordBatch, discover, iter_units
from tests.conftest import examples

# Text as scrapers produce it: any Unicode except lone surrogates (not encodable in
# UTF-8); non-blank so the record is not quarantined as empty.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60).filter(
    lambda s: s.strip() != ""
)
RECORD = st.fixed_dictionaries(
    {
        "id": st.one_of(st.from_regex(r"[0-9]{1,20}", fullmatch=True), TEXT),
        "title": TEXT,
        "text": TEXT,
        "author": TEXT,
        "url": st.from_regex(
            r"https?://[a-z0-9]{1,12}\.(org|de|co\.uk)/[^\s]{0,30}", fullmatch=True
        ),
    }
)


def stored_body(text: str) -> str:
    """Single-newline paragraphs get blank-line breaks (fields.paragraph_breaks)."""
    if "\n" in text and re.search(r"\n[ \t\r]*\n", text) is None:
        return text.replace("\n", "\n\n")
    return text


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RECORD, min_size=1, max_size=30), st.booleans(), st.integers(1, 40))
def test_jsonl_round_trip(records: list[dict[str, str]], ascii_only: bool, chunk: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "dump.jsonl"
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in records),
            encoding="utf-8",
        )
        rows = []
        for unit in iter_units(discover(path), chunk_size=chunk):
            assert isinstance(unit, RecordBatch)
            assert not unit.quarantined
            rows.extend(unit.frame.to_dict("records"))
    assert [row["record_id"] for row in rows] == [r["id"] for r in records]
    assert [row["line_start"] for row in rows] == list(range(1, len(records) + 1))
    for row, record in zip(rows, records, strict=True):
        assert row["body"] == stored_body(record["text"])
        assert row["title"] == record["title"]
        # Author names are trimmed; everything else stays exactly as written.
        assert row["byline"] == record["author"].strip()
        assert row["url"] == record["url"]
        assert row["byline_source"] == "field"
