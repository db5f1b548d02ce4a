"""record.near_duplicate: syndicated copies come back as clusters with their members."""

from __future__ import annotations

from pathlib import Path

from corpus_qa.synth import Rates, write_jsonl
from tests.conftest import read_jsonl, run_check


def test_near_duplicate_clusters_match_the_planted_copies(tmp_path: Path) -> None:
    dump = tmp_path / "feed.jsonl"
    write_jsonl(dump, 600, seed=5, rates=Rates(record_near_duplicate=0.03, record_duplicate=0))
    policy = tmp_path / "policy.toml"
    policy.write_text('[checks."record.near_duplicate"]\nenabled = true\nmax_rate = 1\n')
    _, report, findings = run_check(dump, tmp_path / "out", "--policy", str(policy), "--jobs", "1")
    planted = {r["id"] for r in read_jsonl(dump) if "record.near_duplicate" in r["planted"]}
    found = [f for f in findings if f["check"] == "record.near_duplicate"]
    assert planted and {f["record_id"] for f in found} == planted
    assert all("cluster of" in f["message"] for f in found)
    assert report["checks"]
