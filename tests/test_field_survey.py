"""No silent pass on schema drift: unmapped or empty columns fail the gate, --field is checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_check

FIXTURES = Path(__file__).parent / "fixtures" / "extractors"


def _dump(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def _article(i: int) -> dict[str, Any]:
    return {
        "id": f"a{i}",
        "url": f"https://www.lokalzeitung-beispiel.de/region/artikel-{i}",
        "title": f"Gemeinderat tagt zum {i}. Mal",
        "author": "Karin Vogel",
        "date": f"2024-04-0{1 + i % 9}",
        "text": f"Der Gemeinderat hat in seiner {i}. Sitzung über den Haushalt beraten. " * 8,
    }


def test_fifty_records_with_empty_text_do_not_pass(tmp_path: Path) -> None:
    dump = _dump(tmp_path / "empty.jsonl", [dict(_article(i), text="") for i in range(50)])
    code, report, findings = run_check(dump, tmp_path / "out")
    assert code == 1
    assert report["counts"]["records_quarantined"] == 0
    assert report["counts"]["articles"] == 50
    unmapped = [f for f in findings if f["check"] == "schema.field_unmapped"]
    assert [f["field"] for f in unmapped] == ["body"]
    assert "empty on 50 of the first 50 records" in unmapped[0]["message"]
    assert report["fields"]["roles"]["body"]["present"] == ["text"]


def test_renamed_fields_fail_with_field_unmapped(tmp_path: Path) -> None:
    records = []
    for i in range(50):
        article = _article(i)
        article["article_body"] = article.pop("text")
        article["headline"] = article.pop("title")
        records.append(article)
    code, report, findings = run_check(_dump(tmp_path / "drift.jsonl", records), tmp_path / "out")
    assert code == 1
    unmapped = [f for f in findings if f["check"] == "schema.field_unmapped"]
    assert len(unmapped) == 1
    message = unmapped[0]["message"]
    assert message.startswith("no field for body")
    assert "--field body=article_body" in message
    assert "schema.field_unmapped" in " ".join(report["gate"]["reasons"])
    assert report["fields"]["roles"]["title"]["fields"] == {"headline": 50}


def test_field_option_naming_no_field_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = [
        {"url": "https://www.diario-ejemplo.es/a", "title": "t", "maintext": "Texto. " * 40}
    ] * 3
    dump = _dump(tmp_path / "np.jsonl", records)
    code, _, _ = run_check(dump, tmp_path / "out", "--field", "body=maintxt")
    assert code == 2
    err = capsys.readouterr().err
    assert "did you mean maintext?" in err
    assert len(err.strip().splitlines()) == 1


def test_native_dumps_pass_the_survey_with_no_field_option(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    shutil.copy(FIXTURES / "trafilatura.jsonl", dump)
    _, report, findings = run_check(dump / "trafilatura.jsonl", tmp_path / "out")
    assert not [f for f in findings if f["check"].startswith("schema.")]
    roles = report["fields"]["roles"]
    assert roles["body"]["fields"] == {"text": 3}
    assert roles["outlet"]["fields"] == {
        "source-hostname (registrable domain)": 1,
        "source-hostname": 1,
        "source (registrable domain)": 1,
    }
    assert set(report["outlets"]) == {"Stadtanzeiger", "journal-exemple.fr", "example.co.uk"}


def test_records_with_only_id_and_url_are_checked(tmp_path: Path) -> None:
    records = [_article(i) for i in range(20)] + [
        {"id": f"x{i}", "url": f"https://www.lokalzeitung-beispiel.de/x{i}"} for i in range(3)
    ]
    code, report, findings = run_check(_dump(tmp_path / "d.jsonl", records), tmp_path / "out")
    assert report["counts"]["records_quarantined"] == 0
    missing = {f["record_id"] for f in findings if f["check"] == "byline.missing"}
    assert {"x0", "x1", "x2"} <= missing
    assert code == 1


def test_one_drifted_file_does_not_hide_behind_the_others(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    _dump(dump / "a.jsonl", [_article(i) for i in range(40)])
    drifted = [_article(i) for i in range(40, 80)]
    for article in drifted:
        article["content_html"] = article.pop("text")
    _dump(dump / "b.jsonl", drifted)
    code, _, findings = run_check(dump, tmp_path / "out")
    unmapped = [f for f in findings if f["check"] == "schema.field_unmapped"]
    assert [(f["field"], f["source_path"]) for f in unmapped] == [("body", "b.jsonl")]
    assert "in 1 of 2 files surveyed" in unmapped[0]["message"]
    assert code == 1


@pytest.mark.slow
def test_the_survey_meanwhile_gives_the_same_outputs_with_workers(tmp_path: Path) -> None:
    """Without --field the survey runs once the workers hold their first chunks: its
    finding still opens findings.jsonl, and every output equals the in-process run's."""
    records = []
    for i in range(240):
        article = _article(i)
        article["article_body"] = article.pop("text")
        records.append(article)
    dump = _dump(tmp_path / "drift.jsonl", records)
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        code, report, findings = run_check(dump, out, "--jobs", jobs, "--chunk-size", "40")
        assert code == 1
        assert findings[0]["check"] == "schema.field_unmapped"
        assert sum(f["check"] == "schema.field_unmapped" for f in findings) == 1
        for key in ("started_at", "finished_at", "duration_seconds", "outputs"):
            report.pop(key)
        outputs[jobs] = ((out / "findings.jsonl").read_bytes(), report)
    assert outputs["1"] == outputs["2"]
    assert outputs["2"][1]["fields"]["roles"]["body"]["present"] == []
