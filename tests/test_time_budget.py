"""A check that never returns is that check's failure (exit 3), never a hung gate."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_qa import signals
from corpus_qa.checks.guard import running
from corpus_qa.errors import CheckFailed, ConfigError
from corpus_qa.gate.policy import load_policy
from tests.test_user_checks import _check_module, _cli, _no_passing_report, small_dump

__all__ = ["small_dump"]  # the fixture, used by name

_HANGS = {
    "busy": "while True:\n    pass",
    "sleep": "import time\ntime.sleep(10**6)",
}


def _policy(tmp_path: Path, budget: float) -> Path:
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[checks."test.hanger"]\ntime_budget = {budget}\n', encoding="utf-8")
    return policy


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("hang", sorted(_HANGS))
def test_a_hanging_check_fails_on_its_time_budget(
    small_dump: Path,
    tmp_path: Path,
    jobs: str,
    hang: str,
) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "hanger.py").write_text(_check_module("Hanger", _HANGS[hang]), encoding="utf-8")
    out = tmp_path / "out"
    # _cli's own timeout is the hang guard: a hung gate fails the test there.
    done = _cli(
        small_dump,
        out,
        "--checks-dir",
        str(checks),
        "--policy",
        str(_policy(tmp_path, 1.5)),
        "--jobs",
        jobs,
        "--chunk-size",
        "100",
    )
    assert done.returncode == 3, done.stderr
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "check test.hanger failed in run" in err and "time budget of 1.5 s" in err
    _no_passing_report(out)


def test_a_budget_the_check_keeps_changes_nothing(
    small_dump: Path,
    tmp_path: Path,
) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "hanger.py").write_text(_check_module("Hanger", "return no_hits()"), "utf-8")
    policy = _policy(tmp_path, 30)
    done = _cli(small_dump, tmp_path / "out", "--checks-dir", str(checks), "--policy", str(policy))
    assert done.returncode in (0, 1), done.stderr


def test_default_budget_covers_every_check() -> None:
    policy = load_policy(None)
    assert policy.defaults.time_budget is not None and policy.defaults.time_budget > 0
    # A check the default names without a budget of its own takes the default one.
    assert policy.for_check("byline.missing").time_budget is None
    assert policy.time_budget("byline.missing") == policy.defaults.time_budget


@pytest.mark.parametrize("value", ["0", "-1", '"60"', "true", "1e9"])
def test_a_bad_time_budget_is_a_one_line_config_error(tmp_path: Path, value: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(f'[checks."byline.missing"]\ntime_budget = {value}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape('byline.missing".time_budget: expected')):
        load_policy(path)


def test_a_checks_own_budget_overrides_the_default(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[checks."byline.missing"]\ntime_budget = 12\n', encoding="utf-8")
    assert load_policy(path).time_budget("byline.missing") == 12


@pytest.mark.slow
def test_a_worker_whose_check_swallows_the_timer_is_killed(
    small_dump: Path,
    tmp_path: Path,
) -> None:
    # The worker's own timer cannot stop a check that catches everything: the parent
    # kills the worker past the budget, and the run fails naming the check.
    body = "import time\nwhile True:\n    try:\n        time.sleep(10**6)\n    except BaseException:\n        pass"
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "hanger.py").write_text(_check_module("Hanger", body), encoding="utf-8")
    policy = _policy(tmp_path, 1)
    out = tmp_path / "out"
    done = _cli(small_dump, out, "--checks-dir", str(checks), "--policy", str(policy),
                "--jobs", "2", "--chunk-size", "100")  # fmt: skip
    assert done.returncode == 3, done.stderr
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "check test.hanger failed in run" in err and "time budget of 1 s" in err
    _no_passing_report(out)


def _spin_forever() -> None:
    while True:
        pass


def test_running_fails_a_busy_loop_in_process() -> None:
    failed = r"check my\.loop failed in run: .*time budget of 0\.2 s"
    with pytest.raises(CheckFailed, match=failed), running("my.loop", "run", 0.2):
        _spin_forever()
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # no alarm left behind
    signals.raise_requested()  # and no stop left requested for whatever runs next


def test_the_budget_waits_for_a_deferred_block() -> None:
    # Never raised inside C code that calls back into Python (corpus_qa.signals).
    ended = []

    def check() -> None:
        with signals.deferred():
            time.sleep(0.5)
            ended.append(True)
        _spin_forever()

    with pytest.raises(CheckFailed, match="time budget"), running("my.deferred", "run", 0.1):
        check()
    assert ended == [True]
    signals.raise_requested()  # the handled budget stop is not raised a second time


_EDGE_RUN = """
import os, signal, sys, threading, time
from corpus_qa import signals
from corpus_qa.checks import guard
from corpus_qa.checks.guard import running
from corpus_qa.errors import CheckFailed

guard._REPEAT_SECONDS = 0.00005
# Threads asleep in system calls, as a test runner's or a Dask client's are: a signal
# sent to the process may wait for one of them to take it.
for _ in range(3):
    threading.Thread(target=os.read, args=(os.pipe()[0], 1), daemon=True).start()
def check(lasts):
    start = time.perf_counter()
    while time.perf_counter() - start < lasts:
        pass


outcomes = set()
for i in range(int(sys.argv[1])):
    lasts = 0.0001 * (i % 4)
    try:
        with running("my.edge", "run", 0.0002):
            check(lasts)
        outcomes.add("passed")
    except CheckFailed as failed:
        assert "time budget of 0.0002 s" in str(failed), failed
        outcomes.add("failed")
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0, f"timer left after block {i}"
    assert signal.getsignal(signal.SIGALRM) is guard._stray_alarm, f"handler after {i}"
signals.raise_requested()
print(" ".join(sorted(outcomes)), flush=True)
"""


def test_the_timer_raises_only_in_code_the_block_calls() -> None:
    # The block's own frame calls __exit__; a tick raised there, as __exit__ starts,
    # would leave the timer armed. Only frames the block called are interrupted.
    block = running("my.frames", "run", 60.0)
    here = sys._getframe()

    def called() -> tuple[bool, bool]:
        def deeper() -> bool:
            return block._called_by_block(sys._getframe())

        return block._called_by_block(sys._getframe()), deeper()

    with block:
        assert not block._called_by_block(here)
        assert called() == (True, True)
    assert (block.frame, block.armed) == (None, False)
    assert not block._called_by_block(here)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


@pytest.mark.slow
def test_a_timer_firing_as_its_block_ends_leaves_nothing_behind() -> None:
    # The timer repeats every 50 microseconds here, so over many blocks that end near
    # their budget, repeats land while a block is entered and left, and some wait for
    # a sleeping thread to take them. Each block must still end as a pass or the
    # check's failure, with the timer stopped and its handler gone; no late tick may
    # end the process (SIGALRM's default) or be reported as a lost signal.
    done = subprocess.run(
        [sys.executable, "-c", _EDGE_RUN, "15000"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["failed", "passed"]
    assert done.stderr == ""
