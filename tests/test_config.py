"""Configuration files: discovery, precedence, `corpus-qa config`, unknown keys."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_qa.config import discover
from tests.conftest import SEED_DUMP

CLI = Path(sys.executable).parent / "corpus-qa"

PYPROJECT = """\
[project]
name = "newsroom-scraper"

[tool.corpus-qa]
out = "qa-reports"
samples = 7
jobs = 1
no-html = true
reference-time = 2025-07-25T09:00:00+00:00

[tool.corpus-qa.policy]
fail_on = "warning"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scraper project: a dump, a pyproject.toml, and a subfolder to run from."""
    shutil.copytree(SEED_DUMP, tmp_path / "dump")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "src" / "scraper").mkdir(parents=True)
    return tmp_path


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_check_with_no_flags_uses_the_pyproject_table(project: Path) -> None:
    run = _run(project / "src" / "scraper", "check", "../../dump", "-q")
    assert run.returncode == 1, run.stderr
    # out is relative to the pyproject's folder, not to where the command ran.
    report = json.loads((project / "qa-reports" / "report.json").read_text(encoding="utf-8"))
    assert not (project / "qa-reports" / "report.html").exists()  # no-html = true
    assert report["gate"]["fail_on"] == "warning"  # the [tool.corpus-qa.policy] table
    assert report["policy"]["path"] == str(project / "pyproject.toml")
    # samples = 7: at most seven evidence samples per check.
    assert max(len(check["samples"]) for check in report["checks"]) <= 7


def test_flags_beat_the_file_and_config_names_every_source(project: Path) -> None:
    run = _run(project, "config", "--samples", "3")
    assert run.returncode == 0, run.stderr
    lines = {line.split(" = ")[0]: line for line in run.stdout.splitlines() if " = " in line}
    assert lines["samples"] == "samples = 3  # flag --samples"
    assert lines["jobs"].endswith(f"# {project / 'pyproject.toml'} [tool.corpus-qa]")
    assert lines["out"].startswith(f'out = "{project / "qa-reports"}"')
    assert lines["engine"] == 'engine = "pandas"  # default'


def test_isolated_and_explicit_config(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    isolated = _run(project, "config", "--isolated")
    assert 'out = "reports"  # default' in isolated.stdout
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "corpus-qa.toml").write_text('samples = 11\nfail-on = "error"\n')
    explicit = _run(project, "config", "--config", str(elsewhere / "corpus-qa.toml"))
    assert f"samples = 11  # {elsewhere / 'corpus-qa.toml'}" in explicit.stdout
    both = _run(project, "config", "--isolated", "--config", "x.toml")
    assert both.returncode == 2


def test_corpus_qa_toml_wins_over_pyproject_in_its_folder(project: Path) -> None:
    (project / "corpus-qa.toml").write_text("samples = 9\n")
    found = discover(project / "src")
    assert found is not None and found.path == project / "corpus-qa.toml"
    # A pyproject.toml without the table does not stop the search.
    (project / "src" / "pyproject.toml").write_text('[project]\nname = "inner"\n')
    found = discover(project / "src" / "scraper")
    assert found is not None and found.path == project / "corpus-qa.toml"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("sample = 7", "pyproject.toml:6: unknown key 'sample'; did you mean 'samples'?"),
        ("checks_dir = 'x'", "unknown key 'checks_dir'; did you mean 'checks-dir'?"),
        ("fail-on = 'sometimes'", "fail-on: invalid choice 'sometimes'"),
        ("samples = -1", "samples: must be 0 or more"),
        ("no-html = 'yes'", "no-html: expected true or false"),
        ("reference-time = '2025-07-25'", "reference-time: give a time zone"),
    ],
)
def test_bad_keys_are_exit_2_naming_the_file(project: Path, line: str, message: str) -> None:
    key = line.split(" = ")[0]
    lines = PYPROJECT.replace("samples = 7", line).splitlines()
    text = "\n".join(o for o in lines if o == line or not o.startswith(f"{key} = ")) + "\n"
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    run = _run(project, "check", "dump")
    assert run.returncode == 2
    assert message in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_a_policy_path_in_the_file(project: Path) -> None:
    (project / "qa").mkdir()
    (project / "qa" / "policy.toml").write_text('fail_on = "warning"\n')
    text = PYPROJECT.split("[tool.corpus-qa.policy]")[0] + 'policy = "qa/policy.toml"\n'
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    run = _run(project / "src", "config")
    assert f'policy = "{project / "qa" / "policy.toml"}"' in run.stdout


def test_policy_show_and_checks_read_the_same_file(project: Path) -> None:
    show = _run(project / "src", "policy", "show")
    assert show.returncode == 0, show.stderr
    assert f'fail_on = "warning"  # {project / "pyproject.toml"}' in show.stdout
    # `out` is check's own: export's --out is never taken from the file.
    export = _run(project, "export", "pandera")
    assert export.returncode == 2 and "--out" in export.stderr


def test_a_corpus_qa_toml_with_its_own_policy_table(tmp_path: Path) -> None:
    shutil.copytree(SEED_DUMP, tmp_path / "dump")
    (tmp_path / "corpus-qa.toml").write_text(
        'out = "qa"\njobs = 1\n\n[policy]\nfail_on = "warning"\n\n'
        '[policy.checks."byline.missing"]\nmax_rate = 1.0\n',
        encoding="utf-8",
    )
    run = _run(tmp_path, "check", "dump", "-q")
    assert run.returncode == 1, run.stderr
    report = json.loads((tmp_path / "qa" / "report.json").read_text(encoding="utf-8"))
    assert report["policy"]["path"] == str(tmp_path / "corpus-qa.toml")
    byline = next(c for c in report["checks"] if c["id"] == "byline.missing")
    assert byline["max_rate"] == 1.0 and byline["status"] == "pass"


def test_a_missing_or_tableless_config_file_is_exit_2(project: Path) -> None:
    missing = _run(project, "check", "dump", "--config", "nowhere.toml")
    assert missing.returncode == 2
    assert "nowhere.toml: cannot read configuration" in missing.stderr
    (project / "other").mkdir()
    (project / "other" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    tableless = _run(project, "check", "dump", "--config", "other/pyproject.toml")
    assert tableless.returncode == 2
    assert "no [tool.corpus-qa] table" in tableless.stderr
    broken = project / "broken.toml"
    broken.write_text("samples = \n")
    invalid = _run(project, "check", "dump", "--config", str(broken))
    assert invalid.returncode == 2 and "invalid configuration" in invalid.stderr
    assert "Traceback" not in invalid.stderr + tableless.stderr + missing.stderr
