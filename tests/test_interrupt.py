"""SIGINT / SIGTERM mid-run: exit 130 / 143, report.json incomplete and failing.

Run for real: ``corpus-qa check`` in a subprocess on a dump large enough to still be
running when the signal arrives.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from corpus_qa.run.record_outputs import QUARANTINE_MARKER
from corpus_qa.testing.synth import write_jsonl


@pytest.fixture(scope="module")
def big_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    seed = folder / "seed.jsonl"
    write_jsonl(seed, 1000, seed=3)
    block = seed.read_bytes()
    dump = folder / "dump" / "feed.jsonl"
    dump.parent.mkdir()
    dump.write_bytes(block * 40)  # 40,000 records: far longer than the test waits
    return dump.parent


def _started(out: Path, tmp: Path) -> bool:
    """Some chunks are done: the streamed findings file (in the run's staging folder
    inside ``out``) has content, and workers have written spill files to the run's
    temporary folder."""
    spilled = any(tmp.glob("corpus-qa-state-*/*.chunk*.arrow"))
    streamed = out.glob(".corpus-qa-staging-*/.findings.jsonl.*.tmp")
    return spilled and any(p.stat().st_size > 0 for p in streamed)


def _writing(clean: Path) -> bool:
    """The run's temporary --clean-out file beside ``clean`` has content."""
    return any(p.stat().st_size > 0 for p in clean.parent.glob(f".{clean.name}.*.tmp"))


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> bool:
    """Poll ``condition`` until it holds, the process ends, or a generous timeout; say
    whether it holds (a hang guard, not a measure: a loaded machine only waits longer)."""
    deadline = time.monotonic() + 300
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "code", "name", "group"),
    [
        (signal.SIGTERM, 143, "SIGTERM", False),
        (signal.SIGINT, 130, "SIGINT", False),
        # Ctrl-C in a terminal: the workers get the signal too.
        (signal.SIGINT, 130, "SIGINT", True),
    ],
)
def test_signal_mid_run_writes_an_incomplete_failing_report(
    big_dump: Path, tmp_path: Path, sig: int, code: int, name: str, group: bool
) -> None:
    out = tmp_path / "out"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    clean = tmp_path / "clean.jsonl"
    command = [
        sys.executable,
        "-m",
        "corpus_qa.cli",
        "check",
        str(big_dump),
        "--out",
        str(out),
        "--chunk-size",
        "500",
        "--jobs",
        "2",
        "--clean-out",
        str(clean),
        "--quarantine",
        str(tmp_path / "q"),
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(tmp)},
        start_new_session=group,
    )
    # Mid-run for certain: chunks checked, and clean records on their way to --clean-out.
    mid_run = _wait_for(lambda: _started(out, tmp) and _writing(clean), process)
    assert process.poll() is None, process.communicate()
    assert mid_run
    if group:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert f"run interrupted by {name}".encode() in err
    assert b"Traceback" not in err
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "incomplete"
    assert report["gate"]["verdict"] == "fail" and report["gate"]["passed"] is False
    assert report["gate"]["reasons"][0].startswith(f"run interrupted by {name}")
    counts = report["counts"]
    assert 0 < counts["records_read"] < 40_000
    assert counts["records_read"] == counts["records_checked"] + counts["records_quarantined"]
    for item in report["inputs"]:
        assert item["records_read"] == item["records_checked"] + item["records_quarantined"]
    # Nothing that looks finished is left behind.
    assert not (out / "findings.jsonl").exists()
    assert not clean.exists()
    assert not list(tmp_path.glob(".clean.jsonl.*"))
    assert [p.name for p in (tmp_path / "q").glob("*")] == [QUARANTINE_MARKER]
    # Nor any spill file, whether the parent or a worker wrote it.
    assert list(tmp.iterdir()) == []


def _gone(pid: int) -> bool:
    """Exited: no such process, or a zombie nobody reaps (PID 1 in a container)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _running(
    dump: Path, tmp_path: Path, chunk_size: str, output: int
) -> tuple[subprocess.Popen[bytes], Path, list[psutil.Process]]:
    """A ``--jobs 2`` run of ``dump`` that has checked some chunks: (process, its out
    folder, its two workers)."""
    out = tmp_path / "out"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    command = [sys.executable, "-m", "corpus_qa.cli", "check", str(dump)]
    command += ["--out", str(out), "--chunk-size", chunk_size, "--jobs", "2"]
    process = subprocess.Popen(
        command, stdout=output, stderr=output, env={**os.environ, "TMPDIR": str(tmp)}
    )
    _wait_for(lambda: _started(out, tmp), process)
    workers = psutil.Process(process.pid).children()
    assert process.poll() is None and len(workers) == 2
    return process, out, workers


@pytest.mark.slow
def test_workers_end_when_the_parent_is_killed(big_dump: Path, tmp_path: Path) -> None:
    """SIGKILL (or the OOM killer) gives the parent no chance to stop its workers: they
    must notice the closed pipe themselves, not block on it forever."""
    process, _, workers = _running(big_dump, tmp_path, "500", subprocess.DEVNULL)
    process.kill()
    process.wait(timeout=10)
    # Each worker finishes the chunk it holds, fails to hand it over, and exits.
    deadline = time.monotonic() + 60
    while not all(_gone(w.pid) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w.pid for w in workers if not _gone(w.pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.slow
def test_a_sigint_to_the_workers_alone_neither_stops_nor_breaks_the_run(
    big_dump: Path, tmp_path: Path
) -> None:
    """The parent decides when a run stops. A forked worker used to inherit its SIGINT
    handler and raise wherever it was (in recv, nothing caught it): a traceback on
    stderr, and a chunk lost, whenever Ctrl-C reached the process group at a bad time."""
    process, out, workers = _running(big_dump, tmp_path, "2000", subprocess.PIPE)
    for _ in range(5):  # busy or waiting for their next chunk: any moment will do
        for worker in workers:
            worker.send_signal(signal.SIGINT)
        time.sleep(0.1)
    _, err = process.communicate(timeout=300)
    assert process.returncode in (0, 1), err
    assert b"Traceback" not in err
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "complete"
    assert report["counts"]["records_read"] == 40_000
