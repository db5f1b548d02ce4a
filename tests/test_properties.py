"""Properties over generated dumps: spans point at their evidence, counts add up."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_qa.run.runner import RunOptions, run
from tests.conftest import examples, read_jsonl

FRAGMENTS = st.sampled_from(
    [
        "reach me at someone@ today",
        "write to desk@example.org now",
        "[email protected]",
        "see /cdn-cgi/l/email-protection#abc",
        "No comments yet...",
        "Sign up for our newsletter",
        "\n\nComments\n\n",
        "Der Bürgermeister sagte am Montag",
        "서울시는 밝혔다",
        "stakes grow As Japan and",
        "\n\n",
        " ",
        "(Yonhap)",
        "By Jane Doe",
    ]
)
TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=40)), max_size=12).map("".join)
RECORD = st.fixed_dictionaries(
    {
        "title": st.one_of(st.none(), TEXT),
        "text": TEXT,
        "author": st.one_of(st.none(), st.sampled_from(["Ana Souza", "", "Staff"])),
        "date": st.one_of(st.none(), st.sampled_from(["4 hours ago", "2025-07-25", "yesterday"])),
    }
)
FIELD_SOURCE = {"title": "title", "body": "text", "published_raw": "date"}


def _run(
    records: list[dict[str, Any]], folder: Path
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dump = folder / "dump.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    # Samples large enough that every finding's article is in the run's records.
    result = run(RunOptions(dump=str(dump), out_dir=folder / "out", chunk_size=7, samples=10_000))
    findings = read_jsonl(result.findings_path)
    return {"stats": result.stats, "result": result}, findings


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RECORD, min_size=1, max_size=20))
def test_every_span_points_at_its_evidence_and_counts_add_up(records: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        try:
            outcome, findings = _run(records, folder)
        except Exception as error:  # nothing usable: every record was quarantined
            assert "no article could be read" in str(error)
            return
        stats = outcome["stats"]
        assert stats.records_read == len(records)
        assert (
            stats.records_read
            == (stats.records_read - stats.records_quarantined) + stats.records_quarantined
        )
        assert stats.articles == stats.records_read - stats.records_quarantined
        by_line = {line: record for line, record in enumerate(records, start=1)}
        articles = outcome["result"].records
        for finding in findings:
            if finding["start"] is None:
                continue
            assert 0 <= finding["start"] <= finding["end"]
            source = FIELD_SOURCE.get(finding["field"])
            if source is None:
                continue
            # Exactly the table's field text from start to end ...
            if finding["field"] in ("title", "body"):
                table_text = articles[finding["record_id"]][finding["field"]]
                assert table_text[finding["start"] : finding["end"]] == finding["evidence"]
            # ... and text that really is in the scraped record.
            assert finding["evidence"] in by_line[finding["line"]][source]
