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
from pathlib import Path

import pytest

from corpus_qa.synth import write_jsonl


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
    """Some chunks are done: the streamed findings file has content, and workers have
    written spill files to the run's temporary folder."""
    spilled = any(tmp.glob("corpus-qa-state-*/*.chunk*.arrow"))
    return spilled and any(p.stat().st_size > 0 for p in out.glob(".findings.jsonl.*.tmp"))


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
    deadline = time.monotonic() + 60
    while not _started(out, tmp) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert process.poll() is None, process.communicate()
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
    assert not list((tmp_path / "q").glob("*"))
    # Nor any spill file, whether the parent or a worker wrote it.
    assert list(tmp.iterdir()) == []
