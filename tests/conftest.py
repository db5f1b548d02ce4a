"""Shared fixtures: the bundled sample dump and generated record dumps."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from corpus_qa.cli import main
from corpus_qa.testing.synth import Rates, generate_records, write_jsonl

# Property tests follow HYPOTHESIS_PROFILE: `dev` (the default, `make test`) is a quick
# pass for the edit loop, `full` (`make test-all`, CI) runs FULL_EXAMPLES per property and
# `fuzz` (`make fuzz`) a long run. A property that sets its own count wraps it in examples().
FULL_EXAMPLES = 2000
_PROFILE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", max_examples=50, **_PROFILE)  # type: ignore[arg-type]
settings.register_profile("full", max_examples=FULL_EXAMPLES, **_PROFILE)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=50_000, **_PROFILE)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def examples(full: int) -> int:
    """A property's own example count under `full`, scaled to the loaded profile.

    Costly properties ask for fewer examples than the profile's default; the ratio holds
    in every profile, and no property drops below a handful (or its own count).
    """
    scaled = full * settings.default.max_examples // FULL_EXAMPLES
    return max(scaled, min(full, 5))


REPO = Path(__file__).resolve().parents[1]
SEED_DUMP = REPO / "samples" / "seed-dump"
SEED_PAGE = SEED_DUMP / "000_d1a80b0d19a21746.txt"


@pytest.fixture(scope="session", autouse=True)
def reports_match_the_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """After the session: every report.json a test had corpus-qa write validates against
    `corpus-qa schema report` (an error here names the file, so the test)."""
    yield
    from tests.report_schema import invalid_reports

    problems = invalid_reports(tmp_path_factory.getbasetemp())
    assert not problems, "report.json against its schema:\n" + "\n".join(problems[:20])


@pytest.fixture(scope="session")
def seed_dump() -> Path:
    return SEED_DUMP


@pytest.fixture(scope="session")
def synthetic_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 generated records with planted defects (see corpus_qa.testing.synth)."""
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


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="session")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two clean 500-record dumps; in the second, Korea Herald's bylines are gone.

    Korea Herald is 20 of 500 articles (4%), so the dump's byline.missing rate stays
    under its 10% threshold and under max_increase: only the template break fails it.
    """
    clean = Rates(**{f.name: 0.0 for f in dataclasses.fields(Rates)})
    records = list(generate_records(500, seed=5, rates=clean))
    for record in records[:20]:
        record["outlet"] = "Korea Herald"
    folder = tmp_path_factory.mktemp("baseline-dumps")
    before = _write(folder / "before.jsonl", records)
    broken = [{**r, "author": None} if r["outlet"] == "Korea Herald" else r for r in records]
    after = _write(folder / "after.jsonl", broken)
    return before, after


@pytest.fixture(scope="session")
def accepted(dumps: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The last accepted run's report.json (the clean dump)."""
    out = tmp_path_factory.mktemp("accepted")
    code, report, _ = run_check(dumps[0], out)
    assert code == 0, report["gate"]["reasons"]
    return out / "report.json"


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[str]:
    """A real Dask cluster on loopback, two single-threaded worker processes, shared."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, processes=True, host="127.0.0.1", threads_per_worker=1,
        dashboard_address=None,
    ) as local:  # fmt: skip
        yield local.scheduler_address


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test process: Playwright's sync API runs an event loop,
    and a second one started beside a live first fails, so every browser test shares it."""
    from playwright.sync_api import sync_playwright

    from bench.chromium import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: install Debian's chromium (make browser)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
