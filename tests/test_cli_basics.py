"""CLI basics: --version, no abbreviations, did-you-mean, status words, GX hint, modes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa import __version__
from corpus_qa.checks.catalog import describe_checks
from corpus_qa.cli import main
from corpus_qa.config import did_you_mean
from tests.conftest import SEED_DUMP, examples

CLI = Path(sys.executable).parent / "corpus-qa"


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args],
        capture_output=True,
        text=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([flag]) == 0
    assert capsys.readouterr().out.strip() == f"corpus-qa {__version__}"


def test_abbreviated_options_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(SEED_DUMP), "--ou", str(tmp_path / "o")]) == 2
    # Refused, and the option meant is named.
    assert "did you mean '--out'?" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_unknown_check_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "byline.mising"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'byline.missing'" in err
    # A suggestion, not the whole catalog.
    assert "title.missing" not in err
    assert err.count("\n") == 1


def test_unknown_check_with_nothing_close_points_at_the_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "zzzz"]) == 2
    assert "corpus-qa checks" in capsys.readouterr().err


def test_unknown_option_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SEED_DUMP), "--sampels", "3"]) == 2
    assert "did you mean '--samples'?" in capsys.readouterr().err


def test_unknown_command_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chekc", str(SEED_DUMP)]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'check'" in err


def test_checks_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checks", "--format", "json"]) == 0
    checks = json.loads(capsys.readouterr().out)
    ids = {check["id"] for check in checks}
    assert {"byline.missing", "title.missing"} <= ids
    first = checks[0]
    assert set(first) >= {"id", "name", "severity", "scope", "table", "options"}
    assert first["severity"] in {"error", "warning", "notice"}


def test_terminal_and_report_use_the_same_status_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(SEED_DUMP), "--out", str(tmp_path), "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines() if "." in line[:28]}
    for check in report["checks"]:
        assert rows[check["id"]] == check["status"]
    assert " ok" not in out
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.splitlines()[0] == f"## corpus-qa: gate {report['gate']['verdict']}"


def _without_gx(tmp_path: Path) -> dict[str, str]:
    """An environment where ``import great_expectations`` raises ImportError."""
    shim = tmp_path / "shim" / "great_expectations"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        'raise ImportError("great_expectations is not installed (test shim)")\n'
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(shim.parent), env.get("PYTHONPATH", "")])
    return env


def test_export_gx_without_gx_is_exit_2_with_the_install_hint(tmp_path: Path) -> None:
    env = _without_gx(tmp_path)
    export = _run("export", "gx", "--out", str(tmp_path / "suite.json"), env=env)
    assert export.returncode == 2, export.stderr
    assert export.stderr.strip().endswith("pip install 'corpus-qa[gx]'")
    assert "Traceback" not in export.stderr
    assert not (tmp_path / "suite.json").exists()
    check = _run("check", str(SEED_DUMP), "--gx", "--out", str(tmp_path / "o"), env=env)
    assert check.returncode == 2
    # The same hint, word for word, after the option that needed it.
    assert export.stderr.split("needs")[1] == check.stderr.split("needs")[1]


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_report_files_follow_the_umask(tmp_path: Path, mask: int, mode: int) -> None:
    out = tmp_path / "out"
    run = _run("check", str(SEED_DUMP), "--out", str(out), "-q", "--jobs", "1", umask=mask)
    assert run.returncode == 1, run.stderr
    files = sorted(out.glob("*.*"))
    names = {path.name for path in files}
    assert {"report.json", "findings.jsonl", "report.html", "junit.xml", "summary.md"} <= names
    for path in files:
        if path.name.startswith("."):
            continue
        assert stat.S_IMODE(path.stat().st_mode) == mode, path.name


@pytest.mark.parametrize("args", [["checks"], ["schema", "report"]])
def test_a_reader_that_leaves_ends_the_output_quietly(args: list[str]) -> None:
    """`corpus-qa checks | head -1`: no traceback, no "internal error", 128 + SIGPIPE."""
    process = subprocess.Popen(
        [str(CLI), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command writes: every write meets a closed pipe
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert stderr == ""


_IDS = sorted(info.id for info in describe_checks([]))


@settings(max_examples=examples(300))
@given(st.sampled_from(_IDS), st.data())
def test_one_typo_in_a_check_id_suggests_that_id(check_id: str, data: st.DataObject) -> None:
    """A character dropped, doubled or swapped with its neighbour: the id is suggested."""
    at = data.draw(st.integers(0, len(check_id) - 2))
    typo = data.draw(
        st.sampled_from(
            [
                check_id[:at] + check_id[at + 1 :],
                check_id[:at] + check_id[at] + check_id[at:],
                check_id[:at] + check_id[at + 1] + check_id[at] + check_id[at + 2 :],
            ]
        )
    )
    if typo in _IDS:
        return
    assert repr(check_id) in did_you_mean(typo, _IDS)
