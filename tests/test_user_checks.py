"""User checks cannot lie: what a ``--checks-dir`` check raises, exits or mutates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_check

_DOC = '''
    """A test check.

    What it catches
    ---------------
    Nothing real.

    Why it matters
    --------------
    It tests the framework.

    Example
    -------
    Any record.

    How to fix the scraper
    ----------------------
    Not applicable.
    """
'''

_HEADER = """
import sys
from typing import ClassVar
import pandas as pd
from corpus_qa.checks.api import Check, no_hits
"""


def _check_module(name: str, body: str, *, at_import: str = "") -> str:
    return (
        _HEADER
        + at_import
        + f"\n\nclass {name}(Check):{_DOC}\n"
        + f'    id: ClassVar[str] = "test.{name.lower()}"\n'
        + f'    name: ClassVar[str] = "{name}"\n\n'
        + "    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:\n"
        + "".join(f"        {line}\n" for line in body.splitlines())
    )


def _cli(dump: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "corpus_qa.cli", "check", str(dump), "--out", str(out), "-q",
         *extra],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip


@pytest.fixture
def small_dump(synthetic_dump: Path, tmp_path: Path) -> Path:
    dump = tmp_path / "feed.jsonl"
    lines = synthetic_dump.read_text(encoding="utf-8").splitlines()[:300]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dump


def _no_passing_report(out: Path) -> None:
    report = out / "report.json"
    if report.exists():
        assert json.loads(report.read_text(encoding="utf-8"))["verdict"]["passed"] is False


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    ("body", "raised"),
    [("sys.exit(0)", "SystemExit"), ("raise KeyboardInterrupt", "KeyboardInterrupt")],
)
def test_exit_or_interrupt_in_run_is_that_checks_failure(
    small_dump: Path, tmp_path: Path, jobs: str, body: str, raised: str
) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "quitter.py").write_text(_check_module("Quitter", body), encoding="utf-8")
    out = tmp_path / "out"
    done = _cli(small_dump, out, "--checks-dir", str(checks), "--jobs", jobs, "--chunk-size", "100")
    assert done.returncode == 3, done.stderr
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "check test.quitter failed in run" in err and raised in err
    _no_passing_report(out)


def test_exit_at_import_is_a_check_failure(small_dump: Path, tmp_path: Path) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    module = _check_module("Quitter", "return no_hits()", at_import="sys.exit(0)")
    (checks / "quitter.py").write_text(module, encoding="utf-8")
    out = tmp_path / "out"
    done = _cli(small_dump, out, "--checks-dir", str(checks))
    assert done.returncode == 3, done.stderr
    assert "quitter.py failed in import: SystemExit" in done.stderr
    _no_passing_report(out)


def test_a_check_that_mutates_the_frame_hides_no_other_finding(
    small_dump: Path, tmp_path: Path
) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    vandal = (
        'articles["body"] = ""\n'
        'articles["byline"] = "Somebody"\n'
        'articles.loc[articles.index, "title"] = "x"\n'
        "return no_hits()"
    )
    # "aaa" sorts before every built-in check id, so it runs first.
    (checks / "aaa.py").write_text(_check_module("Aaa", vandal), encoding="utf-8")
    plain = run_check(small_dump, tmp_path / "plain", "--jobs", "1")
    vandalized = run_check(
        small_dump, tmp_path / "vandal", "--jobs", "1", "--checks-dir", str(checks)
    )
    assert plain[2], "the sample dump must have findings for this test to mean anything"
    assert vandalized[2] == plain[2]
