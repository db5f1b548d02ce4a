"""Whole runs on generated dumps with planted defects: findings match the truth."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from corpus_qa.findings.rows import conform
from corpus_qa.schemas import FindingsSchema
from corpus_qa.testing.synth import DEFECTS
from tests.conftest import read_jsonl, run_check

# Every defect the synthetic generator plants, it plants exactly (corpus_qa.testing.synth);
# record.near_duplicate is off in the default policy (tests/test_near_duplicate.py).
EXACT = tuple(d for d in DEFECTS if d != "record.near_duplicate")


def _planted(dump: Path) -> dict[str, set[str]]:
    truth: dict[str, set[str]] = defaultdict(set)
    for record in read_jsonl(dump):
        for check in record["planted"]:
            truth[check].add(record["id"])
    return truth


def test_findings_match_planted_defects(synthetic_dump: Path, tmp_path: Path) -> None:
    code, report, findings = run_check(synthetic_dump, tmp_path, "--chunk-size", "300")
    truth = _planted(synthetic_dump)
    found: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        found[finding["check"]].add(finding["record_id"])
    for check in EXACT:
        assert truth[check], f"the generator planted no {check}"
        # A duplicate record repeats its original's planted defects too.
        duplicates = truth["record.duplicate"] if check != "record.duplicate" else set()
        assert found[check] - duplicates == truth[check] - duplicates, check
    assert report["counts"]["records_read"] == 2000
    assert report["counts"]["articles"] == 2000
    assert code == 1


def test_findings_file_honours_its_contract(synthetic_dump: Path, tmp_path: Path) -> None:
    run_check(synthetic_dump, tmp_path)
    frame = pd.read_json(tmp_path / "findings.jsonl", lines=True, dtype=False)
    frame = conform(frame)
    FindingsSchema.validate(frame, lazy=True)


def test_every_span_points_at_its_evidence(synthetic_dump: Path, tmp_path: Path) -> None:
    _, _, findings = run_check(synthetic_dump, tmp_path)
    records = {r["id"]: r for r in read_jsonl(synthetic_dump)}
    field_source = {"body": "text", "title": "title", "published_raw": "date"}
    checked = 0
    for finding in findings:
        if finding["start"] is None or finding["field"] not in field_source:
            continue
        text = records[finding["record_id"]][field_source[finding["field"]]]
        assert text[finding["start"] : finding["end"]] == finding["evidence"]
        checked += 1
    assert checked > 50


@pytest.mark.slow
def test_chunk_size_does_not_change_findings(synthetic_dump: Path, tmp_path: Path) -> None:
    _, _, small = run_check(synthetic_dump, tmp_path / "small", "--chunk-size", "97")
    _, _, large = run_check(synthetic_dump, tmp_path / "large", "--chunk-size", "5000")
    assert small == large


def test_duplicate_split_across_files_is_found(synthetic_dump: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dump"
    folder.mkdir()
    lines = synthetic_dump.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    (folder / "a.jsonl").write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    again = {**first, "id": "copy-of-first"}
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(json.dumps(again) + "\n")
    _, report, findings = run_check(folder, tmp_path / "out")
    duplicates = [f for f in findings if f["check"] == "record.duplicate"]
    assert [(f["record_id"], f["source_path"]) for f in duplicates] == [
        ("copy-of-first", "b.jsonl.gz")
    ]
    assert first["id"] in duplicates[0]["message"]
    assert {i["path"] for i in report["inputs"]} == {"a.jsonl", "b.jsonl.gz"}


def test_record_and_page_dumps_mix_in_one_folder(seed_dump: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(next(seed_dump.glob("*.txt")), folder / "page.txt")
    record = {"id": "20240322000001", "title": "T", "text": "Body.", "author": ["A B", "C D"]}
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    _, report, findings = run_check(folder, tmp_path / "out")
    assert report["counts"]["articles"] == 5
    assert report["counts"]["roles"] == {"main": 1, "related": 3, "record": 1}
    ids = {f["record_id"] for f in findings}
    assert "page.txt#0" in ids
    assert not any(
        f["record_id"] == "20240322000001" and f["check"] == "byline.missing" for f in findings
    )


def test_image_findings_of_articles_sharing_an_id(tmp_path: Path) -> None:
    # Two records with one id, each with a logo: each image finding names its own line.
    records = [
        {"id": "a1", "title": "One", "text": "First body.", "images": ["https://x.test/logo.png"]},
        {"id": "a1", "title": "Two", "text": "Second body.", "images": ["https://x.test/logo.svg"]},
    ]
    dump = tmp_path / "dup.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, _, findings = run_check(dump, tmp_path / "out")
    logos = [f for f in findings if f["check"] == "image.logo_as_content"]
    assert [(f["line"], f["evidence"]) for f in logos] == [
        (1, "https://x.test/logo.png"),
        (2, "https://x.test/logo.svg"),
    ]
    assert any(f["check"] == "record.duplicate_id" for f in findings)
    assert code == 1


@pytest.mark.parametrize("flag", ["--format", "--input-format"])
def test_bad_arguments_exit_2(
    tmp_path: Path, flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus_qa.cli import main

    assert main(["check", str(tmp_path), flag, "nonsense"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_missing_dump_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus_qa.cli import main

    missing = tmp_path / "nope.jsonl"
    assert main(["check", str(missing), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err and "Traceback" not in err


def test_format_json_prints_the_report(
    seed_dump: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus_qa.cli import main

    assert main(["check", str(seed_dump), "--out", str(tmp_path), "--format", "json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
