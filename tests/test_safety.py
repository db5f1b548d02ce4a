"""Hostile data: nothing fetched or executed, outputs kept away from the dump, names escaped."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from corpus_qa.reports.escape import printable
from tests.conftest import read_jsonl, run_check

RECORD = {
    "id": "1",
    "title": "Council vote",
    "text": "The council met. See http://evil.example/x and https://169.254.169.254/latest.",
    "author": "Ana Souza",
    "date": "2025-07-24",
    "url": "http://evil.example/story",
    "images": [{"src": f"http://img{i}.evil.example/a.jpg?w=48", "alt": "x"} for i in range(5)],
}


def test_urls_in_a_dump_are_never_fetched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    dump = tmp_path / "d.jsonl"
    dump.write_text("".join(json.dumps(dict(RECORD, id=str(i))) + "\n" for i in range(50)))
    code, report, _ = run_check(dump, tmp_path / "out")
    assert code in (0, 1) and report["counts"]["images"] == 250
    assert attempts == []


def _dump(tmp_path: Path) -> Path:
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps(RECORD) + "\n")
    return folder


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--out", "{dump}/reports"], "inside the dump folder"),
        (["--quarantine", "{dump}/q"], "inside the dump folder"),
        (["--clean-out", "{dump}/a.jsonl"], "is an input file"),
        (["--clean-out", "{dump}/clean.jsonl"], "inside the dump folder"),
        (["--clean-out", "{tmp}/out/report.json"], "would overwrite the run's report.json"),
        (["--quarantine", "{tmp}"], "holds the input file a.jsonl"),
    ],
)
def test_outputs_may_not_collide_with_the_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], needle: str
) -> None:
    dump = _dump(tmp_path)
    args = [a.format(dump=dump, tmp=tmp_path) for a in extra]
    before = {p: p.read_bytes() for p in dump.rglob("*") if p.is_file()}
    code, _, _ = run_check(dump, tmp_path / "out", *args)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and needle in err
    assert {p: p.read_bytes() for p in dump.rglob("*") if p.is_file()} == before


def test_glob_dump_rejects_a_clean_out_it_would_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = _dump(tmp_path)
    code, _, _ = run_check(
        str(dump / "*.jsonl"), tmp_path / "out", "--clean-out", str(dump / "z.jsonl")
    )
    assert code == 2 and "matches the dump pattern" in capsys.readouterr().err


def test_file_names_are_escaped_on_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "d\x1b[2Jx"
    folder.mkdir()
    (folder / "a.jsonl").write_text(json.dumps(RECORD) + "\n")
    from corpus_qa.cli import main

    main(["check", str(folder), "--out", str(tmp_path / "out")])
    shown = capsys.readouterr()
    assert "\x1b" not in shown.out and "\\x1b[2J" in shown.out
    main(["check", str(tmp_path / "nope\x1b]0;pwned\x07"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;pwned\\x07" in err


def test_printable_escapes_controls_and_bidi_but_keeps_scripts() -> None:
    assert printable("서울 café") == "서울 café"
    assert printable("a\rb\x00c\u202ed\udcff") == "a\\x0db\\x00c\\u202ed\\udcff"


def test_policy_yaml_cannot_run_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = _dump(tmp_path)
    marker = tmp_path / "pwned"
    policy = tmp_path / "p.yaml"
    policy.write_text(f"fail_on: !!python/object/apply:os.system ['touch {marker}']\n")
    code, _, _ = run_check(dump, tmp_path / "out", "--policy", str(policy))
    assert code == 2 and not marker.exists()
    assert "p.yaml" in capsys.readouterr().err


def test_quarantine_and_clean_out_account_for_every_record(tmp_path: Path) -> None:
    good = [dict(RECORD, id=f"g{i}", images=[], title=f"Vote {i}") for i in range(6)]
    failing = dict(good[0], id="bad-email", text="Write to robertjfouser@ for details.")
    duplicate = dict(good[1], id="dup")  # same title and body as g1: record.duplicate
    lines = [json.dumps(r) for r in [*good, failing, duplicate]]
    lines.insert(3, '{"id": "broken", "text": ')
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "d.jsonl").write_text("\n".join(lines) + "\n")
    (dump / "p.txt").write_text("# Page title\n\nBy Ana Souza\n\nContact [email protected] now.\n")
    q, clean = tmp_path / "q", tmp_path / "clean.jsonl"
    code, report, _ = run_check(
        dump, tmp_path / "out", "--quarantine", str(q), "--clean-out", str(clean)
    )
    assert code == 1
    reasons = read_jsonl(q / "reasons.jsonl")
    kept = read_jsonl(clean)
    failed = read_jsonl(q / "records.jsonl")
    unread = [r for r in reasons if r["kind"].startswith("input.")]
    assert [(r["line"], r["stored"]) for r in unread] == [(4, "raw/d.jsonl")]
    assert (q / "raw" / "d.jsonl").read_text() == '{"id": "broken", "text": \n'
    assert {r["record_id"] for r in failed} >= {"bad-email", "dup"}
    page = [r for r in reasons if r["source_path"] == "p.txt"]
    assert page and page[0]["stored"] == "raw/p.txt" and page[0]["kind"] == "email.obfuscated"
    assert "[email protected]" in (q / "raw" / "p.txt").read_text()
    assert len(kept) + len(failed) + len(unread) == report["counts"]["records_read"]
    assert not {r["record_id"] for r in kept} & {r["record_id"] for r in failed}
    for reason in reasons:
        assert set(reason) >= {"source_path", "line", "byte_offset", "kind", "reason"}
    assert report["outputs"]["records"] == {
        "clean": len(kept),
        "quarantined": 1,
        "failed": len(failed),
    }
