"""Findings never depend on chunking or on ``--jobs``: the contract's uniqueness included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.testing.synth import generate_records
from tests.conftest import examples, run_check


def _dump(folder: Path, n: int, seed: int, repeats: list[tuple[int, int]]) -> Path:
    records = list(generate_records(n, seed=seed))
    for source, target in repeats:
        records[target % n]["id"] = records[source % n]["id"]
    path = folder / "feed.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_a_repeated_id_in_two_chunks_is_found_as_in_one(tmp_path: Path) -> None:
    dump = _dump(tmp_path, 40, 3, [(2, 37)])
    together = run_check(dump, tmp_path / "one", "--jobs", "1")
    apart = run_check(dump, tmp_path / "apart", "--jobs", "1", "--chunk-size", "10")
    found = [f for f in together[2] if f["check"] == "schema.articles.record_id"]
    # Pandera's semantics: every row holding the repeated value, the first one too.
    assert [f["line"] for f in found] == [3, 38]
    assert together[2] == apart[2]


@pytest.mark.slow
@settings(max_examples=examples(40), deadline=None)
@given(
    n=st.integers(min_value=3, max_value=40),
    seed=st.integers(min_value=0, max_value=10_000),
    repeats=st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=4),
    chunk=st.integers(min_value=1, max_value=12),
)
def test_findings_do_not_depend_on_chunking_or_jobs(
    tmp_path_factory: object, n: int, seed: int, repeats: list[tuple[int, int]], chunk: int
) -> None:
    folder = tmp_path_factory.mktemp("chunking")  # type: ignore[attr-defined]
    dump = _dump(folder, n, seed, repeats)
    whole = run_check(dump, folder / "whole", "--jobs", "1")
    chunked = run_check(dump, folder / "chunked", "--jobs", "1", "--chunk-size", str(chunk))
    parallel = run_check(dump, folder / "parallel", "--jobs", "2", "--chunk-size", str(chunk))
    assert whole[0] == chunked[0] == parallel[0]
    assert whole[2] == chunked[2] == parallel[2]
    assert whole[1]["checks"] == chunked[1]["checks"] == parallel[1]["checks"]
