"""Adopting corpus-qa in CI: the Action and the README's workflow against GitHub's
schemas (check-jsonschema's vendored copies: nothing is fetched), the Action's own
scripts run as the runner runs them, the Dockerfile linted with hadolint, and a
throwaway repository whose configuration a run with no flags picks up."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO, SEED_PAGE

BIN = Path(sys.executable).parent
ACTION = REPO / "action.yml"
#: How the runner runs a composite step's ``shell: bash``.
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def readme_workflow() -> str:
    """The workflow in the README's "In CI" section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## In CI\n", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    return block


def _load(text: str) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data = yaml.safe_load(text)
    if True in data:
        data["on"] = data.pop(True)
    return dict(data)


def _validate(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_action_and_workflow_match_githubs_schemas(tmp_path: Path) -> None:
    action = _validate("vendor.github-actions", ACTION)
    assert action.returncode == 0, action.stdout + action.stderr
    workflow = tmp_path / "corpus-qa.yml"
    workflow.write_text(readme_workflow(), encoding="utf-8")
    valid = _validate("vendor.github-workflows", workflow)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    # The validator bites: the README's old workflow had no `on:`.
    broken = tmp_path / "broken.yml"
    broken.write_text(re.sub(r"(?ms)^on:.*?(?=^permissions:)", "", readme_workflow()))
    assert "on" not in _load(broken.read_text())
    assert _validate("vendor.github-workflows", broken).returncode == 1


def test_workflow_uses_the_action_with_minimal_permissions() -> None:
    workflow = _load(readme_workflow())
    assert workflow["permissions"] == {"contents": "read", "actions": "read"}
    assert {"push", "pull_request"} <= set(workflow["on"])
    steps = workflow["jobs"]["corpus-qa"]["steps"]
    [step] = [s for s in steps if str(s.get("uses", "")).startswith("corpus-qa/corpus-qa@")]
    inputs = _load(ACTION.read_text(encoding="utf-8"))["inputs"]
    assert set(step["with"]) <= set(inputs)
    assert {name for name, spec in inputs.items() if spec.get("required")} <= set(step["with"])


def test_action_expressions_name_declared_inputs_and_steps() -> None:
    text = ACTION.read_text(encoding="utf-8")
    action = _load(text)
    steps = action["runs"]["steps"]
    ids = {step["id"] for step in steps if "id" in step}
    assert set(re.findall(r"inputs\.([\w-]+)", text)) <= set(action["inputs"])
    assert set(re.findall(r"steps\.([\w-]+)\.", text)) <= ids
    for step in steps:
        if "run" in step:
            # Inputs reach scripts through env only (no ${{ }} spliced into bash).
            assert "${{" not in step["run"], step["name"]
            syntax = subprocess.run(
                ["bash", "-n"], input=step["run"], capture_output=True, text=True
            )
            assert syntax.returncode == 0, (step["name"], syntax.stderr)
    uses = [step["uses"] for step in steps if "uses" in step]
    assert any(u.startswith("actions/download-artifact@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


def _step(name: str) -> dict[str, Any]:
    steps = _load(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    [step] = [s for s in steps if s["name"] == name]
    return dict(step)


def _run_step(
    name: str, env: dict[str, str], cwd: Path, github: Path
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """One of the Action's bash steps as the runner runs it: its env (the test gives
    each value the expression would have), GITHUB_OUTPUT and the job summary file."""
    step = _step(name)
    assert set(env) == set(step.get("env", {})), "the test gives every env of the step"
    output = github / "output"
    output.write_text("", encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    full = {
        **base,
        **env,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(cwd),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(github / "summary"),
    }
    done = subprocess.run(
        [*BASH, "-c", step["run"]], cwd=cwd, env=full, capture_output=True, text=True, timeout=900
    )
    outputs = dict(
        line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
    )
    return done, outputs


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throwaway repository: a dump, [tool.corpus-qa] and the README's workflow."""
    repo = tmp_path / "repo"
    (repo / "dumps" / "latest").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "qa").mkdir()
    shutil.copy(SEED_PAGE, repo / "dumps" / "latest" / "page.txt")
    (repo / ".github" / "workflows" / "corpus-qa.yml").write_text(
        readme_workflow(), encoding="utf-8"
    )
    (repo / "qa" / "policy.toml").write_text(
        '[checks."date.relative"]\nseverity = "error"\n', encoding="utf-8"
    )
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "news-dumps"\nversion = "1"\n\n'
        '[tool.corpus-qa]\nout = "qa-reports"\npolicy = "qa/policy.toml"\nsamples = 2\n',
        encoding="utf-8",
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    return repo


@pytest.mark.slow
def test_throwaway_repo_runs_the_gate_with_its_configuration(repo: Path, tmp_path: Path) -> None:
    workflow = repo / ".github" / "workflows" / "corpus-qa.yml"
    valid = _validate("vendor.github-workflows", workflow)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    dump = _load(workflow.read_text(encoding="utf-8"))["jobs"]["corpus-qa"]["steps"][1]["with"][
        "dump"
    ]
    # `corpus-qa check DUMP` with no flags, from a folder below the configuration.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    done = subprocess.run(
        [str(BIN / "corpus-qa"), "check", f"../{dump}"],
        cwd=repo / "qa",
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads((repo / "qa-reports" / "report.json").read_text(encoding="utf-8"))
    assert Path(report["policy"]["path"]).resolve() == (repo / "qa" / "policy.toml").resolve()
    relative = next(c for c in report["checks"] if c["id"] == "date.relative")
    assert relative["severity"] == "error" and relative["status"] == "fail"
    assert max(len(c["samples"]) for c in report["checks"]) == 2


@pytest.mark.slow
def test_the_actions_steps_gate_summarize_and_fail(repo: Path, tmp_path: Path) -> None:
    github = tmp_path / "github"
    github.mkdir()
    action = _load(ACTION.read_text(encoding="utf-8"))
    defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    workflow = _load((repo / ".github" / "workflows" / "corpus-qa.yml").read_text())
    given = {**defaults, **workflow["jobs"]["corpus-qa"]["steps"][1]["with"]}
    gate_env = {
        "DUMP": given["dump"],
        "POLICY": given["policy"],
        "CONFIG": given["config"],
        "BASELINE": given["baseline"],
        "DOWNLOADED": "",  # no earlier run: nothing downloaded
        "HISTORY": given["history"],
        "OUT": given["out"],
        "MAX_ANNOTATIONS": given["max-annotations"],
        "ARGS": "--jobs 1",
    }
    gate, outputs = _run_step("Run the gate", gate_env, repo, github)
    assert gate.returncode == 0, gate.stderr  # the gate's code is an output, not the step's
    assert outputs["exit-code"] == "1"
    assert outputs["report"] == "corpus-qa-reports/report.json"
    report = json.loads((repo / outputs["report"]).read_text(encoding="utf-8"))
    assert report["gate"]["verdict"] == "fail"
    assert max(len(c["samples"]) for c in report["checks"]) == 2  # from [tool.corpus-qa]
    errors = [line for line in gate.stdout.splitlines() if line.startswith("::error file=")]
    assert errors and all("file=dumps/latest/page.txt,line=" in line for line in errors)
    summary = (github / "summary").read_text(encoding="utf-8")
    assert "fail" in summary.lower()

    # The accepted report of a previous run, as download-artifact leaves it.
    downloaded = tmp_path / "baseline"
    downloaded.mkdir()
    shutil.copy(repo / outputs["report"], downloaded / "report.json")
    again, outputs = _run_step(
        "Run the gate", {**gate_env, "DOWNLOADED": str(downloaded)}, repo, github
    )
    assert outputs["exit-code"] == "1", again.stderr
    compared = json.loads((repo / outputs["report"]).read_text(encoding="utf-8"))
    assert compared["baseline"] is not None

    url = "https://github.com/corpus-qa/news-dumps/actions/runs/1/artifacts/2"
    link, _ = _run_step(
        "Link the reports from the job summary",
        {"URL": url, "NAME": given["artifact-name"]},
        repo,
        github,
    )
    assert link.returncode == 0
    assert f"[corpus-qa-reports]({url})" in (github / "summary").read_text(encoding="utf-8")

    for code, expected in (("0", 0), ("1", 1), ("2", 2), ("", 3)):
        fail, _ = _run_step("Fail on the gate's exit code", {"CODE": code}, repo, github)
        assert fail.returncode == expected, (code, fail.stdout)

    found, outputs = _run_step(
        "Find the baseline run",
        {"GH_TOKEN": "", "RUN_ID": "12345", "BRANCH": "main", "WORKFLOW": "corpus-qa"},
        repo,
        github,
    )
    assert found.returncode == 0 and outputs["run-id"] == "12345"
    # Runs cannot be listed (no token here): a warning, and the gate runs without a baseline.
    unlisted, outputs = _run_step(
        "Find the baseline run",
        {"GH_TOKEN": "", "RUN_ID": "", "BRANCH": "main", "WORKFLOW": "corpus-qa"},
        repo,
        github,
    )
    assert unlisted.returncode == 0 and outputs["run-id"] == ""
    assert "::warning title=corpus-qa baseline::cannot list runs" in unlisted.stdout


def test_dockerfile_passes_hadolint_and_builds_the_package() -> None:
    linted = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(REPO / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [script] = project["project"]["scripts"]
    assert f'ENTRYPOINT ["{script}"]' in text
    copied = {
        source
        for line in text.splitlines()
        if line.startswith("COPY ") and "--from=" not in line
        for source in line.split()[1:-1]
    }
    assert all((REPO / source).exists() for source in copied)
    # Every folder the wheel is built from, and the files pyproject names, are copied.
    needed = {"pyproject.toml", "corpus_qa", project["project"]["readme"]}
    needed |= set(project["project"]["license-files"])
    needed |= {path.split("/")[0] for path in project["tool"]["setuptools"]["package-dir"].values()}
    assert needed <= copied
