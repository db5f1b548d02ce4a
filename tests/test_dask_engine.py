"""--engine dask on a real LocalCluster (loopback): same findings as the pandas engine."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_check

pytest.importorskip("distributed")
pytestmark = pytest.mark.dask


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


def test_dask_workers_send_whole_states_for_the_client_to_spill(
    synthetic_dump: Path, tmp_path: Path, dask_cluster: str
) -> None:
    # A cluster's workers may not share the client's disk: unlike --jobs workers they
    # write no spill files, and the client's GlobalStates spills what they send.
    from corpus_qa.checks.catalog import load_checks
    from corpus_qa.checks.global_state import GlobalStates
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.ingest import FieldMap, discover, iter_plan
    from corpus_qa.run.chunk import ChunkContext, chunk_units, write_order
    from corpus_qa.run.dask_cluster import run_dask

    checks = [c for c in load_checks(()) if getattr(c, "spilled", ())]
    ctx = ChunkContext(checks=checks, policy=load_policy(None))
    planned = iter_plan(discover(str(synthetic_dump)), chunk_size=500, fields=FieldMap())
    with GlobalStates(checks) as states:
        assert states.folder is not None
        results = list(write_order(run_dask(chunk_units(planned, 500), ctx, dask_cluster, 2)))
        assert len(results) == 4
        for result in results:
            assert all(isinstance(s, pd.DataFrame) for s in result.states.values())
            states.add(result.states)
        # Written here, one file per chunk and check; none named as a worker names its own.
        names = [path.name for path in states.folder.glob("*.arrow")]
        assert names and not any(".chunk" in name for name in names)
