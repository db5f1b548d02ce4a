"""The pre-commit hooks, run by pre-commit itself on a throwaway repository's staged files.

The hooks are taken from .pre-commit-hooks.yaml as they are (entry, files pattern,
serial), in a ``repo: local`` configuration with ``language: system``: the published
``language: python`` would have pre-commit pip-install corpus-qa into a fresh
environment, which needs the network; system runs the corpus-qa of this venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

from tests.conftest import REPO, SEED_PAGE

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _pre_commit(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def _status(output: str, name: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(name + ".")]
    return line.rsplit(".", 1)[1].strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "dumps" / "latest").mkdir(parents=True)
    (repo / "qa").mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "qa@example.org")
    _git(repo, "config", "user.name", "QA")
    hooks = [
        {**hook, "language": "system"} for hook in load_manifest(REPO / ".pre-commit-hooks.yaml")
    ]
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (repo / ".gitignore").write_text("reports/\n", encoding="utf-8")
    shutil.copy(SEED_PAGE, repo / "dumps" / "latest" / "page.txt")
    (repo / "README.md").write_text("# not a dump\n", encoding="utf-8")
    (repo / "qa" / "policy.toml").write_text(
        '[checks."byline.missing"]\nmax_rate = 0.10\n', encoding="utf-8"
    )
    (repo / "pyproject.toml").write_text(
        '[tool.corpus-qa]\npolicy = "qa/policy.toml"\nsamples = 3\n', encoding="utf-8"
    )
    _git(repo, "add", "-A")
    return repo


def test_hooks_gate_staged_dumps_and_validate_policies(repo: Path) -> None:
    failed = _pre_commit(repo)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert _status(failed.stdout, "corpus-qa (dumps)") == "Failed"
    assert _status(failed.stdout, "corpus-qa (policies and configuration)") == "Passed"
    report = repo / "reports" / "pre-commit" / "dumps__latest__page.txt" / "report.json"
    assert report.is_file()
    assert (
        "corpus-qa: fail (reports/pre-commit/dumps__latest__page.txt/report.json)" in failed.stdout
    )
    assert "README.md" not in failed.stdout  # not under dumps/: not a dump

    # A typo in the staged policy fails the policy hook, naming the file.
    (repo / "qa" / "policy.toml").write_text(
        '[checks."byline.mising"]\nmax_rate = 0.6\n', encoding="utf-8"
    )
    _git(repo, "add", "qa/policy.toml")
    typo = _pre_commit(repo)
    assert _status(typo.stdout, "corpus-qa (policies and configuration)") == "Failed"
    assert 'qa/policy.toml: checks."byline.mising": no such check; did you mean' in typo.stdout

    # The policy the configuration names lets the sample pass: both hooks pass.
    (repo / "qa" / "policy.toml").write_text(
        '[checks."byline.missing"]\nmax_rate = 0.6\n[checks."email.truncated"]\nmax_rate = 0.3\n',
        encoding="utf-8",
    )
    _git(repo, "add", "-A")
    passed = _pre_commit(repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert _status(passed.stdout, "corpus-qa (dumps)") == "Passed"
