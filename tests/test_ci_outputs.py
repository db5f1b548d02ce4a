"""junit.xml and summary.md: what CI pages show of a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, Skipped

from corpus_qa.reports.junit import build_junit
from corpus_qa.reports.summary_md import build_summary, md
from tests.conftest import run_check


@pytest.fixture(scope="module")
def seed_run(seed_dump: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    out = tmp_path_factory.mktemp("seed-ci")
    policy = out / "policy.toml"
    shipped = Path(__file__).resolve().parents[1] / "checks" / "policy.toml"
    # A disabled check shows as a skipped test case.
    section = '[checks."record.duplicate_id"]\n'
    policy.write_text(shipped.read_text().replace(section, section + "enabled = false\n"))
    code, _, _ = run_check(seed_dump, out, "--policy", str(policy))
    return code, out


def test_every_run_writes_the_ci_reports(seed_run: tuple[int, Path]) -> None:
    code, out = seed_run
    assert code == 1
    for name in ("report.json", "findings.jsonl", "report.html", "junit.xml", "summary.md"):
        assert (out / name).stat().st_size > 0, name


def test_junit_has_one_case_per_check(seed_run: tuple[int, Path]) -> None:
    _, out = seed_run
    report = json.loads((out / "report.json").read_text())
    xml = JUnitXml.fromfile(str(out / "junit.xml"))
    (suite,) = list(xml)
    cases = {case.name: case for case in suite}
    assert set(cases) == {check["id"] for check in report["checks"]}
    skipped_ids = {check["id"] for check in report["checks"] if check["status"] == "skipped"}
    assert "record.duplicate_id" in skipped_ids
    assert suite.tests == len(cases) and suite.failures == 2
    assert suite.skipped == len(skipped_ids)

    (failure,) = cases["email.truncated"].result
    assert isinstance(failure, Failure)
    assert failure.message == "email.truncated: 1 of 4 records affected; rate 25.0% > max 0.5%"
    assert "1 findings in 1 of 4 records; rate 25.00% against max rate 0.5%" in failure.text
    assert "000_d1a80b0d19a21746.txt:29" in failure.text and "robertjfouser@" in failure.text

    (skipped,) = cases["record.duplicate_id"].result
    assert isinstance(skipped, Skipped) and skipped.message == "disabled by the policy"
    assert cases["boilerplate.leak"].is_passed
    assert cases["date.relative"].is_passed  # a warning does not fail the gate on error
    assert "warn: date.relative" in (cases["date.relative"].system_out or "")


def test_junit_lists_at_most_five_evidences_and_survives_control_characters(
    seed_run: tuple[int, Path], tmp_path: Path
) -> None:
    _, out = seed_run
    report = json.loads((out / "report.json").read_text())
    check = next(c for c in report["checks"] if c["id"] == "email.truncated")
    sample = check["samples"][0]
    check["samples"] = [{**sample, "evidence": f"bad\x00\x1b{i}]]>"} for i in range(9)]
    check["reason"] = "reason with \x00 and \x1b"
    path = tmp_path / "junit.xml"
    path.write_text(build_junit(report), encoding="utf-8")
    (suite,) = list(JUnitXml.fromfile(str(path)))
    (failure,) = next(case for case in suite if case.name == "email.truncated").result
    assert failure.text.count("bad\\x00\\x1b") == 5  # evidence is shown as a repr
    assert "]]>" in failure.text
    assert failure.message == "reason with \ufffd and \ufffd"


def test_summary_has_verdict_table_and_outlets(seed_run: tuple[int, Path]) -> None:
    _, out = seed_run
    text = (out / "summary.md").read_text()
    lines = text.splitlines()
    assert lines[0] == "## corpus-qa: gate fail"
    assert "- email\\.truncated" not in text  # only Markdown-active characters are escaped
    assert "- email.truncated: 1 of 4 records affected; rate 25.0% &gt; max 0.5%" in lines
    header = "| check | severity | findings | records | rate | limit | vs baseline | status |"
    assert header in lines
    assert "| `byline.missing` | error | 2 | 2 | 50.0% | 10.0% | - | **fail** |" in lines
    assert "| Korea Herald | 3 | `date.relative` | 100.0% |" in lines


def test_summary_is_appended_to_the_github_step_summary(
    seed_dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = tmp_path / "step.md"
    step.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    out = tmp_path / "out"
    code, _, _ = run_check(
        seed_dump,
        out,
        "--no-html",
        "--junit",
        str(tmp_path / "ci" / "gate.xml"),
        "--summary-md",
        str(tmp_path / "ci" / "gate.md"),
    )
    assert code == 1
    assert not (out / "report.html").exists() and not (out / "junit.xml").exists()
    assert (tmp_path / "ci" / "gate.xml").exists()
    summary = (tmp_path / "ci" / "gate.md").read_text()
    assert step.read_text() == "earlier step\n" + summary + "\n"


def test_an_unwritable_step_summary_only_warns(
    seed_dump: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing" / "step.md"))
    code, _, _ = run_check(seed_dump, tmp_path / "out")
    assert code == 1  # the verdict, not an internal error
    assert "cannot append to GITHUB_STEP_SUMMARY" in capsys.readouterr().err


def test_html_option_moves_the_page(seed_dump: Path, tmp_path: Path) -> None:
    run_check(seed_dump, tmp_path / "out", "--html", str(tmp_path / "page.html"))
    assert (tmp_path / "page.html").read_text().startswith("<!doctype html>")
    assert not (tmp_path / "out" / "report.html").exists()


def test_markdown_escapes_scraped_text() -> None:
    assert md("<img src=x onerror=alert(1)> | *bold* [x](javascript:y)") == (
        "&lt;img src=x onerror=alert(1)&gt; \\| \\*bold\\* \\[x\\](javascript:y)"
    )
    report = {
        "gate": {"passed": True, "fail_on": "error", "reasons": []},
        "counts": {"articles": 1, "images": 0, "findings": 0},
        "dump": {"path": "d|ump"},
        "checks": [],
    }
    assert "\nd\\|ump: 1 articles" in build_summary(report)


def test_junit_fails_warnings_when_the_gate_fails_on_warning(
    seed_dump: Path, tmp_path: Path
) -> None:
    code, _, _ = run_check(seed_dump, tmp_path, "--fail-on", "warning")
    assert code == 1
    (suite,) = list(JUnitXml.fromfile(str(tmp_path / "junit.xml")))
    failed = sorted(case.name for case in suite if not case.is_passed and not case.is_skipped)
    assert failed == [
        "byline.missing",
        "date.missing",
        "date.relative",
        "email.truncated",
        "image.duplicate_tag",
        "image.logo_as_content",
        "text.flattened",
    ]
