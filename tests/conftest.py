"""Shared fixtures: the bundled sample dump and generated record dumps."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from corpus_qa.cli import main
from corpus_qa.synth import write_jsonl

# Property tests: `ci` (the default, `make test`) runs 2,000 examples per property;
# `make fuzz` selects `fuzz` (HYPOTHESIS_PROFILE=fuzz) for a long run.
_PROFILE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", max_examples=2000, **_PROFILE)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=50_000, **_PROFILE)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
SEED_DUMP = REPO / "samples" / "seed-dump"
SEED_PAGE = SEED_DUMP / "000_d1a80b0d19a21746.txt"


@pytest.fixture(scope="session")
def seed_dump() -> Path:
    return SEED_DUMP


@pytest.fixture(scope="session")
def synthetic_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 generated records with planted defects (see corpus_qa.synth)."""
    path = tmp_path_factory.mktemp("synthetic") / "feed.jsonl"
    write_jsonl(path, 2000, seed=11)
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_check(
    dump: Path | str, out: Path, *extra: str
) -> tuple[int, dict[str, Any], list[dict[str, Any]]]:
    """Run ``corpus-qa check`` in-process; return exit code, report.json, findings."""
    code = main(["check", str(dump), "--out", str(out), "--quiet", *extra])
    report_path = out / "report.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    findings_path = out / "findings.jsonl"
    findings = read_jsonl(findings_path) if findings_path.exists() else []
    return code, report, findings
