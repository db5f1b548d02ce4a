"""Work a policy turns off is not done: the record contract (Pandera) when every
``schema.*`` id is off, each uniqueness rule whose id is off."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corpus_qa.gate.policy import load_policy
from corpus_qa.tables.contract import contract_enabled, contract_ids, enabled_findings
from corpus_qa.testing.synth import generate_records
from tests.conftest import run_check

CONTRACT_OFF = '[checks."schema.*"]\nenabled = false\n'


def _policy(folder: Path, text: str) -> Path:
    path = folder / "policy.toml"
    path.write_text("version = 1\n" + text, encoding="utf-8")
    return path


def _dump(folder: Path) -> Path:
    """40 generated records; the id of line 3 is repeated on line 38."""
    records = list(generate_records(40, seed=3))
    records[37]["id"] = records[2]["id"]
    path = folder / "feed.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_the_contract_is_on_unless_every_id_of_it_is_off(tmp_path: Path) -> None:
    assert contract_enabled(load_policy())
    assert not contract_enabled(load_policy(_policy(tmp_path, CONTRACT_OFF)))
    images_off = '[checks."schema.images.*"]\nenabled = false\n'
    assert contract_enabled(load_policy(_policy(tmp_path, images_off)))
    # A user's own contract (--schema) names its own columns: it is always validated.
    assert contract_enabled(load_policy(_policy(tmp_path, CONTRACT_OFF)), user_schema=True)
    assert "schema.articles.record_id" in contract_ids()
    assert "schema.images.frame" in contract_ids()


def test_enabled_findings_drops_only_the_ids_turned_off(tmp_path: Path) -> None:
    policy = load_policy(_policy(tmp_path, '[checks."schema.images.*"]\nenabled = false\n'))
    findings = pd.DataFrame(
        {"check": ["schema.articles.title", "schema.images.src", "schema.articles.frame"]}
    )
    kept = enabled_findings(findings, policy)
    assert kept["check"].tolist() == ["schema.articles.title", "schema.articles.frame"]
    assert enabled_findings(findings.iloc[:0], policy).empty


def test_a_contract_turned_off_finds_nothing_of_it_and_the_rest_as_before(
    tmp_path: Path,
) -> None:
    dump = _dump(tmp_path)
    _, on_report, on = run_check(dump, tmp_path / "on", "--jobs", "1", "--chunk-size", "10")
    assert [f["line"] for f in on if f["check"] == "schema.articles.record_id"] == [3, 38]
    policy = _policy(tmp_path, CONTRACT_OFF)
    _, off_report, off = run_check(
        dump, tmp_path / "off", "--jobs", "1", "--chunk-size", "10", "--policy", str(policy)
    )
    assert not [f for f in off if f["check"].startswith("schema.")]
    assert off == [f for f in on if not f["check"].startswith("schema.")]
    checks = {c["id"] for c in off_report["checks"]}
    assert not any(c.startswith("schema.") for c in checks)
    assert off_report["counts"]["articles"] == on_report["counts"]["articles"] == 40


def test_a_uniqueness_rule_turned_off_is_not_tested(tmp_path: Path) -> None:
    policy = _policy(tmp_path, '[checks."schema.articles.record_id"]\nenabled = false\n')
    _, _, found = run_check(_dump(tmp_path), tmp_path / "out", "--policy", str(policy))
    assert not [f for f in found if f["check"] == "schema.articles.record_id"]
    # The duplicate-id check itself still runs (it names the repeat, not the first).
    assert [f["line"] for f in found if f["check"] == "record.duplicate_id"] == [38]


PANDERA_LOADED = """
import sys
from corpus_qa.cli import main
code = main(sys.argv[1:])
print(sorted(m for m in ("pandera", "pydantic") if m in sys.modules))
sys.exit(code)
"""


@pytest.mark.slow
@pytest.mark.parametrize("contract", ["on", "off"])
def test_pandera_loads_only_for_a_policy_that_validates(tmp_path: Path, contract: str) -> None:
    argv = ["check", str(_dump(tmp_path)), "--out", str(tmp_path / "out"), "-q", "--jobs", "2"]
    if contract == "off":
        argv += ["--policy", str(_policy(tmp_path, CONTRACT_OFF))]
    done = subprocess.run(
        [sys.executable, "-c", PANDERA_LOADED, *argv], capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))
    assert loaded == ([] if contract == "off" else ["pandera", "pydantic"])
