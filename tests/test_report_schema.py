"""`corpus-qa schema report`: the JSON Schema of report.json, and reports against it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from corpus_qa.cli import main
from corpus_qa.reports.json_report import interrupted_stub
from corpus_qa.reports.version import SCHEMA_VERSION
from tests.conftest import SEED_DUMP, run_check
from tests.report_schema import errors


def test_schema_command_prints_a_valid_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "report"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["pattern"] == r"^1\.[0-9]+$"
    assert SCHEMA_VERSION.startswith("1.")


def test_a_run_with_baseline_and_quarantine_validates(tmp_path: Path) -> None:
    code, first, _ = run_check(SEED_DUMP, tmp_path / "a", "--jobs", "1")
    assert code == 1
    assert errors(first) == []
    code, second, _ = run_check(
        SEED_DUMP,
        tmp_path / "b",
        "--baseline",
        str(tmp_path / "a" / "report.json"),
        "--quarantine",
        str(tmp_path / "q"),
        "--jobs",
        "1",
    )
    assert "baseline" in second and second["outputs"]["quarantine"]
    assert errors(second) == []


def test_the_schema_catches_what_consumers_rely_on(tmp_path: Path) -> None:
    _, report, _ = run_check(SEED_DUMP, tmp_path / "a", "--jobs", "1")
    broken = copy.deepcopy(report)
    broken["gate"]["verdict"] = "ok"
    assert any("gate.verdict" in e for e in errors(broken))
    broken = copy.deepcopy(report)
    broken["gate"]["passed"] = True  # verdict says fail
    assert errors(broken)
    broken = copy.deepcopy(report)
    del broken["counts"]
    assert any("'counts' is a required property" in e for e in errors(broken))
    broken = copy.deepcopy(report)
    broken["checks"][0]["status"] = "ok"
    assert any("status" in e for e in errors(broken))
    # A new key is a minor version: consumers (and the schema) let it through.
    extended = copy.deepcopy(report)
    extended["something_new"] = {"x": 1}
    assert errors(extended) == []


def test_the_stub_of_a_run_stopped_before_counting_validates() -> None:
    stub = interrupted_stub("dump/", "SIGTERM")
    assert errors(stub) == []
    # It can never pass: an incomplete report that says pass breaks the schema.
    stub["gate"] = {"verdict": "pass", "passed": True, "reasons": []}
    assert errors(stub)
