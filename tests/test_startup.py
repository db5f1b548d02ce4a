"""The program's start-up: the cyclic GC off until the run forks its workers."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_qa.cli import main
from corpus_qa.cli.main import _checks_a_dump
from corpus_qa.run import collection
from tests.conftest import SEED_DUMP

CLI = Path(sys.executable).parent / "corpus-qa"


def test_collection_is_deferred_only_if_it_was_on() -> None:
    assert gc.isenabled()
    collection.defer_collection()
    try:
        assert not gc.isenabled()
    finally:
        collection.resume_collection()
    assert gc.isenabled()
    gc.disable()
    try:
        # Turned off by someone else: theirs to turn back on.
        collection.defer_collection()
        collection.resume_collection()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_run_leaves_the_collector_on(tmp_path: Path) -> None:
    # Called with arguments (a library or a test), main() leaves the collector alone;
    # the program turns it off at start and the run turns it back on.
    assert main(["check", str(SEED_DUMP), "--out", str(tmp_path / "o"), "--jobs", "1"]) in (0, 1)
    assert gc.isenabled()
    collection.defer_collection()
    try:
        assert main(["check", str(SEED_DUMP), "--out", str(tmp_path / "p"), "--jobs", "1"]) in (
            0,
            1,
        )
        assert gc.isenabled()
    finally:
        collection.resume_collection()
    assert gc.isenabled()


def test_the_program_checks_as_main_called_with_arguments(tmp_path: Path) -> None:
    # The program starts up with the collector off (and forks its workers so); called
    # with arguments, main() leaves it on. The same findings either way.
    args = [str(SEED_DUMP), "--no-html", "-q", "--jobs", "2"]
    done = subprocess.run(
        [str(CLI), "check", *args, "--out", str(tmp_path / "program")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert main(["check", *args, "--out", str(tmp_path / "called")]) == done.returncode
    program = (tmp_path / "program" / "findings.jsonl").read_bytes()
    assert program
    assert program == (tmp_path / "called" / "findings.jsonl").read_bytes()


@pytest.mark.parametrize(
    ("args", "checks"),
    [
        (["check", "dump.jsonl", "--jobs", "2"], True),
        (["hook", "a.jsonl", "b.jsonl"], True),
        # Other commands run as they always did, the collector on.
        (["history", "show", "check"], False),
        (["explain", "check"], False),
        (["-V"], False),
        ([], False),
    ],
)
def test_only_a_check_starts_up_without_the_collector(args: list[str], checks: bool) -> None:
    assert _checks_a_dump(args) is checks
