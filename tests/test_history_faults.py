"""--history under real faults, through the real CLI in a subprocess.

A signal mid-run (SIGINT, SIGTERM) is recorded as an incomplete run that is never a
reference; a damaged, foreign, future-schema or locked history file is exit 2 with one
line naming it, no traceback, and the run's reports written (docs/bad-input.md).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from corpus_qa.history import store
from tests.conftest import run_check
from tests.test_interrupt import _started, _wait_for, big_dump

__all__ = ["big_dump"]  # the fixture, used by name

# Real subprocesses, signals and a second process locking the file: the full suite.
pytestmark = pytest.mark.slow


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "corpus_qa.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signalled_run_is_recorded_interrupted_and_never_a_reference(
    big_dump: Path, dumps: tuple[Path, Path], tmp_path: Path, sig: int, code: int
) -> None:
    history = tmp_path / "h.duckdb"
    first, _, _ = run_check(dumps[0], tmp_path / "first", "--history", str(history))
    assert first == 0
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    tmp.mkdir()
    process = _cli("check", str(big_dump), "--out", str(out), "--history", str(history),
                   "--chunk-size", "500", "--jobs", "2", "-q", env={"TMPDIR": str(tmp)})  # fmt: skip
    # Mid-run for certain: chunks are checked (a hang guard waits, not a timing).
    mid_run = _wait_for(lambda: _started(out, tmp), process)
    assert process.poll() is None, process.communicate()
    assert mid_run
    process.send_signal(sig)
    _, err = process.communicate(timeout=120)
    assert process.returncode == code, err
    assert b"Traceback" not in err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["status"] == "incomplete" and report["gate"]["passed"] is False
    runs = _rows(history, "SELECT status, accepted, articles FROM runs ORDER BY started_at")
    assert [(status, accepted) for status, accepted, _ in runs] == [
        ("complete", "accepted"),
        ("incomplete", "void"),
    ]
    assert 0 < int(str(runs[1][2])) < 40_000  # what it counted before the signal
    # The next run is judged against the accepted run alone.
    again, later, _ = run_check(dumps[0], tmp_path / "again", "--history", str(history))
    assert again == 0 and later["history"]["references"] == 1
    # And no one can make the interrupted run a reference.
    [(run_id,)] = _rows(history, "SELECT run_id FROM runs WHERE status = 'incomplete'")
    mark = subprocess.run(
        [sys.executable, "-m", "corpus_qa.cli", "history", "mark", str(history), str(run_id),
         "accepted"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert mark.returncode == 2 and "never be a reference" in mark.stderr
    assert "Traceback" not in mark.stderr


def _truncated(history: Path) -> None:
    data = history.read_bytes()
    history.write_bytes(data[: len(data) // 2])


def _future(history: Path) -> None:
    with duckdb.connect(str(history)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")


def _garbage(history: Path) -> None:
    history.write_bytes(b"\x00\x01corrupt" * 4096)


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_truncated, ""),
        (_garbage, "not a corpus-qa history"),
        (_future, "newer corpus-qa"),
    ],
    ids=["cut-in-half", "garbage", "future-schema"],
)
def test_a_bad_history_file_is_one_line_exit_2_and_the_reports_stay(
    dumps: tuple[Path, Path], tmp_path: Path, damage: object, words: str
) -> None:
    history = tmp_path / "h.duckdb"
    code, _, _ = run_check(dumps[0], tmp_path / "first", "--history", str(history))
    assert code == 0
    assert callable(damage)
    damage(history)
    out = tmp_path / "out"
    process = _cli("check", str(dumps[0]), "--out", str(out), "--history", str(history), "-q")
    _, raw = process.communicate(timeout=300)
    err = raw.decode().strip()
    assert process.returncode == 2, err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.startswith("corpus-qa: error")]
    assert str(history) in line and words in line
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["status"] == "complete" and report["history"]["error"]
    assert (out / "summary.md").exists() and (out / "findings.jsonl").exists()


def test_a_locked_history_is_exit_2_naming_it(dumps: tuple[Path, Path], tmp_path: Path) -> None:
    history = tmp_path / "h.duckdb"
    store.connect(history, write=True).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
         "sys.stdin.read()", str(history)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        out = tmp_path / "out"
        process = _cli("check", str(dumps[0]), "--out", str(out), "--history", str(history), "-q")
        _, raw = process.communicate(timeout=300)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    err = raw.decode().strip()
    assert process.returncode == 2, err
    assert "Traceback" not in err
    assert f"{history}: history is locked by another run" in err
    assert (out / "report.json").exists() and (out / "summary.md").exists()
