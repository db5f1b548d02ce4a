"""SIGTERM stops the parent and every worker, whenever it arrives: while the workers
are being forked, and mid-run. Run for real, in a subprocess with ``--jobs 2``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.test_interrupt import _gone, _started, _wait_for, big_dump

__all__ = ["big_dump"]  # the fixture, used by name

#: A hang guard, not a measure: a loaded machine only takes longer.
_GUARD_SECONDS = 30


def _start(dump: Path, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path, Path]:
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    command = [sys.executable, "-m", "corpus_qa.cli", "check", str(dump), "--out", str(out)]
    command += ["--chunk-size", "500", "--jobs", "2"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    return process, out, tmp


def _tree(pid: int) -> set[int]:
    """The process and its descendants now (none if it is gone)."""
    try:
        root = psutil.Process(pid)
        return {pid, *(child.pid for child in root.children(recursive=True))}
    except psutil.NoSuchProcess:
        return set()


def _stop_and_wait(process: subprocess.Popen[bytes], seen: set[int]) -> None:
    """SIGTERM the parent; assert the whole tree ``seen`` (and any newer child) is gone."""
    seen |= _tree(process.pid)
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    deadline = sent + _GUARD_SECONDS
    while time.monotonic() < deadline:
        seen |= _tree(process.pid)
        if process.poll() is not None and all(_gone(pid) for pid in seen):
            break
        time.sleep(0.02)
    waited = time.monotonic() - sent
    left = sorted(pid for pid in seen if not _gone(pid))
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    if process.poll() is None:
        process.kill()
    _, err = process.communicate(timeout=_GUARD_SECONDS)
    assert left == [], f"{left} still running {waited:.2f} s after SIGTERM (a hang guard)"
    assert process.returncode == 143, err
    assert b"Traceback" not in err, err


@pytest.mark.slow
@pytest.mark.parametrize("children", [1, 2])
def test_sigterm_while_forking_workers_ends_the_tree(
    big_dump: Path, tmp_path: Path, children: int
) -> None:
    process, _, _ = _start(big_dump, tmp_path)
    seen: set[int] = set()
    deadline = time.monotonic() + 300
    # Poll tightly: the signal goes out as soon as the first (or second) worker exists.
    while process.poll() is None and time.monotonic() < deadline:
        seen |= _tree(process.pid)
        if len(seen) > children:
            break
    assert process.poll() is None, process.communicate()
    _stop_and_wait(process, seen)


def test_sigterm_mid_run_ends_the_tree(big_dump: Path, tmp_path: Path) -> None:
    process, out, tmp = _start(big_dump, tmp_path)
    assert _wait_for(lambda: _started(out, tmp), process), process.communicate()
    workers = psutil.Process(process.pid).children()
    assert len(workers) == 2
    _stop_and_wait(process, {w.pid for w in workers})
