"""Outputs are safe and consistent: never over an input, never a mix of two runs."""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

from corpus_qa.cli import main
from corpus_qa.run.output_set import OutputSet
from corpus_qa.run.record_outputs import QUARANTINE_MARKER, original_path, safe_relative
from tests.conftest import run_check


@pytest.fixture
def dump(synthetic_dump: Path, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "feed.jsonl"
    path.parent.mkdir()
    lines = synthetic_dump.read_text(encoding="utf-8").splitlines()[:120]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("option", ["--html", "--junit", "--summary-md"])
def test_a_side_output_pointed_at_an_input_is_refused(
    dump: Path, tmp_path: Path, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump.read_bytes()
    code = main(["check", str(dump), "--out", str(tmp_path / "out"), option, str(dump)])
    assert code == 2
    assert f"{option} {dump} is an input file" in capsys.readouterr().err
    assert dump.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_a_side_output_inside_the_dump_folder_is_refused(dump: Path, tmp_path: Path) -> None:
    code = main(["check", str(dump.parent), "--out", str(tmp_path / "out"),
                 "--junit", str(dump.parent / "junit.xml")])  # fmt: skip
    assert code == 2
    assert sorted(p.name for p in dump.parent.iterdir()) == ["feed.jsonl"]


def test_the_quarantine_refuses_a_folder_of_user_files(dump: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "notes.txt").write_text("keep me", encoding="utf-8")
    code = main(["check", str(dump), "--out", str(tmp_path / "out"), "--quarantine", str(folder)])
    assert code == 2
    assert (folder / "raw" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_the_quarantine_replaces_its_own_previous_run(dump: Path, tmp_path: Path) -> None:
    folder = tmp_path / "q"
    for run in ("first", "second"):
        main(["check", str(dump), "--out", str(tmp_path / run), "--quarantine", str(folder), "-q"])
        assert (folder / QUARANTINE_MARKER).exists()
    assert (folder / "reasons.jsonl").exists()


@pytest.mark.parametrize(
    "name", ["a\nb.jsonl", "a_b.jsonl", "a%0Ab.jsonl", "..", "x/../y", "caf\udce9.jsonl", "é"]
)
def test_stored_names_are_reversible_and_stay_inside(name: str) -> None:
    stored = safe_relative(name)
    assert ".." not in stored.split("/")
    assert all(c.isprintable() for c in stored)
    assert original_path(stored) == "/".join(p for p in name.split("/") if p not in ("", "."))


def test_two_input_names_never_share_a_stored_name() -> None:
    names = ["a\nb.jsonl", "a_b.jsonl", "a%0Ab.jsonl", "a b.jsonl", "a\tb.jsonl"]
    assert len({safe_relative(n) for n in names}) == len(names)


def test_a_failed_run_leaves_the_previous_set_untouched(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_check(dump, out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bad_policy = tmp_path / "bad.toml"
    bad_policy.write_text('[checks."byline.missing"]\nmax_rate = "high"\n', encoding="utf-8")
    assert main(["check", str(dump), "--out", str(out), "--policy", str(bad_policy)]) == 2
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    assert not list(out.glob(".corpus-qa-staging-*"))


def test_a_run_without_html_removes_the_previous_html(dump: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_check(dump, out)
    assert (out / "report.html").exists()
    run_check(dump, out, "--no-html")
    assert not (out / "report.html").exists()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["outputs"]["findings"] == str(out / "findings.jsonl")


def test_a_second_run_on_one_out_is_refused_while_the_first_holds_it(
    dump: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    held = os.open(out / ".corpus-qa.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main(["check", str(dump), "--out", str(out)]) == 2
        assert "another corpus-qa run is writing there" in capsys.readouterr().err
        assert not (out / "report.json").exists()
    finally:
        os.close(held)
    assert main(["check", str(dump), "--out", str(out), "-q"]) in (0, 1)


def test_commit_never_leaves_the_old_verdict_beside_new_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text('{"old": true}', encoding="utf-8")
    (out / "report.html").write_text("old", encoding="utf-8")
    outputs = OutputSet(out)
    outputs.open()
    outputs.staged("findings.jsonl").write_text("", encoding="utf-8")
    outputs.staged("report.json").write_text('{"new": true}', encoding="utf-8")
    outputs.commit()
    outputs.close()
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == {"new": True}
    assert not (out / "report.html").exists()
