"""--engine dask on a real LocalCluster (loopback): same findings as the pandas engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_check

pytest.importorskip("distributed")


def test_dask_engine_matches_pandas_with_a_duplicate_across_partitions(
    synthetic_dump: Path, tmp_path: Path, dask_cluster: str
) -> None:
    lines = synthetic_dump.read_text(encoding="utf-8").splitlines()[:300]
    first = json.loads(lines[0])
    # The copy lands in the last chunk: a different partition from its original.
    lines.append(json.dumps({**first, "id": "late-copy"}))
    dump = tmp_path / "feed.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ("--chunk-size", "100")
    pandas_run = run_check(dump, tmp_path / "pandas", *args, "--jobs", "1")
    dask_run = run_check(
        dump, tmp_path / "dask", *args, "--engine", "dask", "--scheduler", dask_cluster
    )
    assert dask_run[0] == pandas_run[0]
    assert dask_run[2] == pandas_run[2]
    assert dask_run[1]["checks"] == pandas_run[1]["checks"]
    copies = [f for f in dask_run[2] if f["check"] == "record.duplicate"]
    assert "late-copy" in {f["record_id"] for f in copies}
