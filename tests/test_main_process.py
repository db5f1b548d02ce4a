"""What the main process does while its workers check chunks, and how it ends.

Real worker processes and a real ``corpus-qa`` process: the work handed to
``meanwhile`` runs once, while the workers hold their first chunks and before any
answer is read; the program ends itself after its exit handlers, with its exit code.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing as mp
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corpus_qa.checks.builtin.byline import BylineMissing
from corpus_qa.gate.policy import load_policy
from corpus_qa.ingest import FieldMap, discover, iter_plan
from corpus_qa.run.chunk import ChunkContext, chunk_units, write_order
from corpus_qa.run.workers import run_parallel
from corpus_qa.testing.synth import Rates, generate_records
from tests.conftest import REPO


def test_meanwhile_runs_once_while_the_workers_hold_chunks(tmp_path: Path) -> None:
    clean = Rates(**{f.name: 0.0 for f in dataclasses.fields(Rates)})
    records: list[dict[str, Any]] = list(generate_records(300, seed=3, rates=clean))
    dump = tmp_path / "feed.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    ctx = ChunkContext(checks=[BylineMissing()], policy=load_policy(None))
    planned = iter_plan(discover(str(dump)), chunk_size=50, fields=FieldMap.from_options([]))
    seen: list[tuple[int, int]] = []
    answered: list[int] = []

    def meanwhile() -> None:
        seen.append((len(mp.active_children()), len(answered)))

    for result in write_order(
        run_parallel(chunk_units(planned, 50), ctx, 2, None, None, meanwhile)
    ):
        answered.append(result.index)
    assert seen == [(2, 0)]
    assert answered == list(range(6))


def _program(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )


@pytest.mark.slow
def test_the_program_ends_after_its_exit_handlers_with_its_code() -> None:
    done = _program(
        "import atexit, sys\n"
        "from corpus_qa.cli.main import main\n"
        "atexit.register(lambda: print('handler ran', flush=True))\n"
        "sys.argv = ['corpus-qa', 'explain', 'no.such_check']\n"
        "print('before', end='')\n"
        "sys.exit(main())\n"
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == "beforehandler ran\n"
    assert "no.such_check" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_a_thread_still_running_is_waited_for() -> None:
    done = _program(
        "import sys, threading, time\n"
        "from corpus_qa.cli.main import main\n"
        "def late():\n"
        "    time.sleep(0.5)\n"
        "    print('thread done', flush=True)\n"
        "threading.Thread(target=late).start()\n"
        "sys.argv = ['corpus-qa', '--version']\n"
        "sys.exit(main())\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "thread done"
