"""Worker processes write the global checks' spilled columns to files themselves.

Real files and real worker processes: a chunk's answer carries the file's path, not
the columns; finalize reads hits from several workers' files in the dump's order;
the files go with the run's spill folder (after a run, a dead worker, an interrupt).
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from corpus_qa.checks.builtin.record import RecordDuplicate
from corpus_qa.checks.builtin.recurring import BoilerplateRecurring
from corpus_qa.checks.catalog import load_checks
from corpus_qa.checks.global_state import GlobalStates, Shrunk
from corpus_qa.gate.policy import load_policy
from corpus_qa.ingest import FieldMap, discover, iter_plan
from corpus_qa.run.chunk import ChunkContext, chunk_units, finalize_globals, write_order
from corpus_qa.run.workers import run_parallel
from corpus_qa.testing.synth import Rates, generate_records
from tests.conftest import REPO, read_jsonl

PROMO = "Nord Kurier – Ihre Zeitung für den Norden, jeden Morgen neu gedruckt."
#: Records (0-based) carrying the promo: three in the first chunk, three in the second.
PROMO_AT = (10, 40, 90, 120, 150, 199)


def _dump(folder: Path) -> Path:
    clean = Rates(**{f.name: 0.0 for f in dataclasses.fields(Rates)})
    records: list[dict[str, Any]] = list(generate_records(300, seed=7, rates=clean))
    for i in PROMO_AT:
        records[i] = {
            **records[i],
            "outlet": "Nord Kurier",
            "text": records[i]["text"] + "\n\n" + PROMO,
        }
    # A copy in the third chunk of a record of the first: original and repeat are
    # read back from different files.
    records[250] = {**records[5], "id": "late-copy"}
    path = folder / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_workers_spill_to_files_and_finalize_reads_hits_across_them(tmp_path: Path) -> None:
    dump = _dump(tmp_path)
    # Five pages needed: the promo reaches them only with both chunks' paragraphs.
    checks = [BoilerplateRecurring({"min_pages": 5}), RecordDuplicate()]
    ctx = ChunkContext(checks=checks, policy=load_policy(None))
    planned = iter_plan(discover(str(dump)), chunk_size=100, fields=FieldMap.from_options([]))
    with GlobalStates(checks) as states:
        folder = states.folder
        assert folder is not None
        for result in write_order(run_parallel(chunk_units(planned, 100), ctx, 2, folder)):
            for check in checks:
                shrunk = result.states[check.id]
                # What came through the pipe: small columns and a file's path.
                assert isinstance(shrunk, Shrunk)
                assert "evidence" not in shrunk.columns and "source_path" not in shrunk.columns
                assert shrunk.spill is not None
                assert Path(shrunk.spill.path) == folder / f"{check.id}.chunk{result.index}.arrow"
                assert Path(shrunk.spill.path).is_file()
            states.add(result.states)
        # Chunks 0 and 1 went to the two workers at once: their files hold the hits.
        assert len(list(folder.glob("boilerplate.recurring.chunk*.arrow"))) == 3
        spilled = finalize_globals(checks, states, ctx.policy)
    assert not folder.exists()

    # The same dump checked in this process, states whole: the same findings.
    with GlobalStates(checks, spill=False) as whole:
        from corpus_qa.run.chunk import process_chunk

        planned = iter_plan(discover(str(dump)), chunk_size=100, fields=FieldMap.from_options([]))
        for index, chunk in enumerate(chunk_units(planned, 100)):
            whole.add(process_chunk(index, chunk, ctx).states)
        expected = finalize_globals(checks, whole, ctx.policy)
    pd.testing.assert_frame_equal(spilled, expected)
    recurring = spilled[spilled["check"] == "boilerplate.recurring"]
    assert sorted(recurring["line"].tolist()) == [i + 1 for i in PROMO_AT]
    assert PROMO[:40] in recurring["evidence"].iloc[0]
    copies = spilled[spilled["check"] == "record.duplicate"]
    assert copies["record_id"].tolist() == ["late-copy"]
    assert "feed.jsonl:6" in copies["message"].iloc[0]


def _cli(dump: Path, out: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(tmp)}
    return subprocess.run(
        [sys.executable, "-m", "corpus_qa.cli", "check", str(dump), "--out", str(out),
         "--jobs", "2", "--chunk-size", "100", "-q", *extra],
        capture_output=True, text=True, timeout=180, env=env,
    )  # fmt: skip


@pytest.mark.slow
def test_a_run_leaves_no_spill_files_and_matches_one_process(tmp_path: Path) -> None:
    dump = _dump(tmp_path)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = _cli(dump, tmp_path / "two", tmp)
    assert done.returncode == 0, done.stderr
    assert list(tmp.iterdir()) == []
    one = _cli(dump, tmp_path / "one", tmp, "--jobs", "1")
    assert one.returncode == 0, one.stderr
    assert list(tmp.iterdir()) == []
    two = read_jsonl(tmp_path / "two" / "findings.jsonl")
    assert two == read_jsonl(tmp_path / "one" / "findings.jsonl")
    assert any(f["check"] == "boilerplate.recurring" for f in two)


_FAILING = '''
from typing import ClassVar
import pandas as pd
from corpus_qa.checks.api import Check, no_hits


class Failing(Check):
    """Fails on the third chunk.

    What it catches
    ---------------
    Nothing; it raises on the marked record.

    Why it matters
    --------------
    Tests that a failed worker leaves no spill files.

    Example
    -------
    ``late-copy`` as a record id.

    How to fix the scraper
    ----------------------
    Not applicable.
    """

    id: ClassVar[str] = "test.failing"
    name: ClassVar[str] = "Failing"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        if (articles["record_id"].astype("str") == "late-copy").any():
            raise RuntimeError("planted failure")
        return no_hits()
'''


def test_a_failed_worker_leaves_no_spill_files(tmp_path: Path) -> None:
    dump = _dump(tmp_path)
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "failing.py").write_text(_FAILING, encoding="utf-8")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = _cli(dump, tmp_path / "o", tmp, "--checks-dir", str(checks))
    assert done.returncode == 3, done.stderr
    assert "planted failure" in done.stderr
    assert list(tmp.iterdir()) == []


def test_checks_that_spill_are_in_the_catalog() -> None:
    # The default catalog has checks that spill: the tests above exercise real ones.
    assert any(getattr(c, "spilled", ()) for c in load_checks(()))


def test_a_run_sweeps_spill_folders_of_dead_runs_on_this_host_only(tmp_path: Path) -> None:
    """A run killed outright leaves its folder; the next run removes it, and only it."""
    dump = _dump(tmp_path)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()  # reaped: its pid names no process now
    host = socket.gethostname()
    dead = tmp / f"corpus-qa-state-{host}-{finished.pid}-abc_12"
    live = tmp / f"corpus-qa-state-{host}-{os.getpid()}-def_34"
    elsewhere = tmp / f"corpus-qa-state-other-host-{finished.pid}-ghi_56"
    unrelated = tmp / "corpus-qa-state-old_naming"
    for folder in (dead, live, elsewhere, unrelated):
        folder.mkdir()
        (folder / "boilerplate.recurring.chunk0.arrow").write_bytes(b"spilled")
    done = _cli(dump, tmp_path / "out", tmp)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp.iterdir()) == sorted(
        p.name for p in (live, elsewhere, unrelated)
    )
