"""--jobs: worker processes give the same findings as one process, and die loudly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_check

# A check that SIGKILLs the worker process holding the chunk with a marked record:
# the kill happens for real, mid-run, inside a worker.
_KILLER = '''
import os, signal
from typing import ClassVar
import pandas as pd
from corpus_qa.checks.api import Check, no_hits


class Killer(Check):
    """Kills its worker.

    What it catches
    ---------------
    Nothing; it kills the worker process on the marked record.

    Why it matters
    --------------
    Tests that a dead worker fails the run.

    Example
    -------
    ``KILL-ME`` in a title.

    How to fix the scraper
    ----------------------
    Not applicable.
    """

    id: ClassVar[str] = "test.killer"
    name: ClassVar[str] = "Killer"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        if articles["title"].astype("str").str.contains("KILL-ME", regex=False).any():
            os.kill(os.getpid(), signal.SIGKILL)
        return no_hits()
'''


@pytest.mark.slow
def test_jobs_2_gives_the_same_findings_as_jobs_1(synthetic_dump: Path, tmp_path: Path) -> None:
    one = run_check(synthetic_dump, tmp_path / "one", "--jobs", "1", "--chunk-size", "150")
    two = run_check(synthetic_dump, tmp_path / "two", "--jobs", "2", "--chunk-size", "150")
    assert one[0] == two[0]
    assert one[2] == two[2]  # same findings, same order
    assert one[1]["checks"] == two[1]["checks"]
    assert any(f["check"] == "record.duplicate" for f in two[2])


def test_a_killed_worker_fails_the_run_naming_the_chunk(
    synthetic_dump: Path, tmp_path: Path
) -> None:
    lines = synthetic_dump.read_text(encoding="utf-8").splitlines()[:400]
    victim = json.loads(lines[250])
    victim["title"] = "KILL-ME " + victim["title"]
    lines[250] = json.dumps(victim)
    dump = tmp_path / "feed.jsonl"
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "killer.py").write_text(_KILLER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "corpus_qa.cli", "check", str(dump), "--out", str(tmp_path / "o"),
         "--checks-dir", str(checks), "--jobs", "2", "--chunk-size", "100", "-q"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert done.returncode == 3
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert f"killed by signal {int(signal.SIGKILL)}" in err
    # Records 201-300 form the fourth chunk: its file and first line are named.
    assert "feed.jsonl:201" in err
    assert not (tmp_path / "o" / "findings.jsonl").exists()
