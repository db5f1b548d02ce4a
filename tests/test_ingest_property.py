"""Property: whatever bytes a JSONL file holds, ingest accounts for every record and never raises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_qa.ingest import RecordBatch, discover, iter_units
from tests.conftest import examples

GOOD = [json.dumps({"id": "1", "text": "x"}), json.dumps({"id": 2, "title": "t", "author": ["a"]})]
FRAGMENTS = st.one_of(
    st.sampled_from(
        [*GOOD, "{", "}", "[1]", "null", '"s"', '{"text": {}}', "\r", "  ", '{"a":1} {"b":2}']
    ),
    st.text(max_size=30),
    st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
)


@given(
    lines=st.lists(st.one_of(FRAGMENTS, st.binary(max_size=20)), max_size=40),
    chunk=st.integers(1, 25),
)
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_records_read_is_rows_plus_quarantined(lines: list[str | bytes], chunk: int) -> None:
    data = b"\n".join(
        x if isinstance(x, bytes) else x.encode("utf-8", "surrogatepass") for x in lines
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.jsonl"
        path.write_bytes(data)
        total = 0
        for unit in iter_units(discover(path), chunk_size=chunk):
            assert isinstance(unit, RecordBatch)
            assert unit.records_read == len(unit.frame) + len(unit.quarantined)
            assert unit.records_read <= chunk
            assert unit.frame["record_id"].notna().all()
            total += unit.records_read
        # Every non-blank line is one record (read, or quarantined). A file with "\r"
        # but no "\n" has classic-Mac line ends, and ingest reads them as such.
        ends = b"\r" if b"\r" in data and b"\n" not in data else b"\n"
        assert total <= len([line for line in data.split(ends) if line.strip()])
