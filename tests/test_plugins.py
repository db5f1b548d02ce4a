"""Checks from installed packages: a real distribution (a .dist-info with an
entry_points.txt) on sys.path of a subprocess, found by importlib.metadata."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from corpus_qa.testing.synth import write_jsonl
from tests.conftest import REPO, read_jsonl
from tests.example_check import example_check


def _install(
    site: Path, *, check_id: str = "team.shouting_title", severity: str = "warning"
) -> Path:
    """A distribution ``team-checks`` 1.0 as pip leaves one in site-packages."""
    package = site / "team_checks"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "checks.py").write_text(example_check(check_id, severity), encoding="utf-8")
    info = site / "team_checks-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: team-checks\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[corpus_qa.checks]\nteam = team_checks.checks\n", encoding="utf-8"
    )
    (info / "RECORD").write_text(
        "team_checks/__init__.py,,\nteam_checks/checks.py,,\nteam_checks-1.0.dist-info/METADATA,,\n",
        encoding="utf-8",
    )
    return site


def _cli(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "corpus_qa.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
    )


def test_an_installed_plugin_is_listed_with_its_origin(tmp_path: Path) -> None:
    site = _install(tmp_path / "site")
    listed = _cli(site, "checks", "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    checks = {c["id"]: c for c in json.loads(listed.stdout)}
    assert checks["team.shouting_title"]["origin"] == "plugin team-checks 1.0"
    assert checks["team.shouting_title"]["module"] == "team_checks.checks"
    assert checks["byline.missing"]["origin"] == "built-in"
    table = _cli(site, "checks", cwd=tmp_path).stdout
    [row] = [line for line in table.splitlines() if line.startswith("team.shouting_title")]
    assert "plugin team-checks 1.0" in row and row.endswith("Shouting title")
    explained = _cli(site, "explain", "team.shouting_title", cwd=tmp_path)
    assert "Select the headline element" in explained.stdout
    # Without the package on the path, the check is gone.
    alone = subprocess.run(
        [sys.executable, "-m", "corpus_qa.cli", "checks"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert "team.shouting_title" not in alone.stdout


@pytest.mark.slow
def test_a_plugins_check_runs_in_the_gate(tmp_path: Path) -> None:
    site = _install(tmp_path / "site")
    dump = tmp_path / "feed.jsonl"
    write_jsonl(dump, 200, seed=5)
    records = read_jsonl(dump)
    for record in records[:30]:
        record["title"] = str(record["title"]).upper()
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[checks."team.shouting_title"]\nseverity = "error"\nmax_rate = 0.05\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    done = _cli(
        site,
        "check",
        str(dump),
        "--out",
        str(out),
        "--policy",
        str(policy),
        "--quiet",
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    [result] = [c for c in report["checks"] if c["id"] == "team.shouting_title"]
    assert result["status"] == "fail" and result["records"] >= 30
    lines = {f["line"] for f in read_jsonl(out / "findings.jsonl") if f["check"] == result["id"]}
    assert set(range(1, 31)) <= lines


def test_a_plugin_is_validated_as_a_checks_dir_module(tmp_path: Path) -> None:
    site = _install(tmp_path / "site", severity="fatal")
    done = _cli(
        site,
        "check",
        str(REPO / "samples" / "seed-dump"),
        "--out",
        str(tmp_path / "o"),
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stderr.strip().endswith("check team.shouting_title has unknown severity 'fatal'")
    assert "team_checks/checks.py" in done.stderr and "Traceback" not in done.stderr


def test_a_plugin_cannot_take_a_built_in_id(tmp_path: Path) -> None:
    site = _install(tmp_path / "site", check_id="byline.missing")
    done = _cli(site, "checks", cwd=tmp_path)
    assert done.returncode == 2
    assert "two checks share the id 'byline.missing' (built-in and plugin team-checks 1.0)" in (
        textwrap.shorten(done.stderr, 10_000)
    )
