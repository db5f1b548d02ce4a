"""The reports stay small and free of control characters whatever the dump holds.

Two hostile dumps (one record with 200,000 images; four records with 1 MB titles and
outlet names) once made a 23-120 MB report.html and a 4 MB summary.md; a property
feeds strings from all of Unicode (controls, bidi overrides, lone surrogates) to every
text output.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.reports.html_report import build_html
from corpus_qa.reports.junit import build_junit
from corpus_qa.reports.summary_md import build_summary
from tests.conftest import examples, run_check

#: Documented in docs/bad-input.md.
MAX_HTML_BYTES = 5_000_000
MAX_SUMMARY_BYTES = 64_000
MB_TITLE = 1_000_000
# Raw in a text output, these could drive a terminal or reorder what a reader sees.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


def _body(n: int) -> str:
    return f"Die Stadt hat am Montag den Haushalt {n} beschlossen. " * 3


@pytest.fixture(scope="module")
def many_images(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("images")
    record = {
        "url": "https://zeitung.example/a",
        "title": "Haushalt beschlossen",
        "author": "",
        "date": "",
        "text": "kurz",
        "sitename": "Zeitung",
        "images": [f"https://zeitung.example/i{i}.jpg" for i in range(200_000)],
    }
    (folder / "dump.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    code, _, _ = run_check(folder / "dump.jsonl", folder / "out")
    assert code == 1
    return folder / "out"


@pytest.fixture(scope="module")
def huge_titles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("titles")
    letters = "AéЖ서"
    records = [
        {
            "url": f"https://news{i}.example/a",
            "title": letters[i] * MB_TITLE,
            "author": "",
            "date": "",
            "text": "kurz",
            "sitename": "\x1b[2J" + letters[i].lower() * MB_TITLE,
        }
        for i in range(4)
    ]
    dump = folder / "dump.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, _, _ = run_check(dump, folder / "out")
    assert code == 1
    return folder / "out"


def page_data(out: Path) -> dict[str, Any]:
    found = _DATA.search((out / "report.html").read_text(encoding="utf-8"))
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _sizes(out: Path) -> tuple[int, int]:
    return (out / "report.html").stat().st_size, (out / "summary.md").stat().st_size


def test_a_record_with_200000_images_makes_a_small_page(many_images: Path) -> None:
    html_bytes, summary_bytes = _sizes(many_images)
    assert html_bytes < MAX_HTML_BYTES, html_bytes
    assert summary_bytes < MAX_SUMMARY_BYTES, summary_bytes
    views = list(page_data(many_images)["records"].values())
    assert views and all(view["images_total"] == 200_000 for view in views)
    assert all(len(view["images"]) <= 100 for view in views)
    # report.json is bounded too, less tightly (tests/test_report_json_bounds.py).
    report = json.loads((many_images / "report.json").read_text(encoding="utf-8"))
    [view] = report["records"].values()
    assert view["images_total"] == 200_000 and len(view["images"]) <= 1_000


def test_1mb_titles_and_outlet_names_are_cut_and_marked(huge_titles: Path) -> None:
    html_bytes, summary_bytes = _sizes(huge_titles)
    assert html_bytes < MAX_HTML_BYTES, html_bytes
    assert summary_bytes < MAX_SUMMARY_BYTES, summary_bytes
    data = page_data(huge_titles)
    marker = f"… [truncated, {MB_TITLE + 4:,} characters]"
    assert all(outlet.endswith(marker) for outlet in data["outlets"])
    titles = [view["title"] for view in data["records"].values()]
    assert titles and all(t.endswith(f"… [truncated, {MB_TITLE:,} characters]") for t in titles)
    summary = (huge_titles / "summary.md").read_text(encoding="utf-8")
    assert "\\\\x1b\\[2J" in summary and "\x1b" not in summary
    assert "… \\[truncated, 1,000,004 characters\\]" in summary


# ---------------------------------------------------------------- control characters

HOSTILE = st.text(st.characters(exclude_categories=[]), max_size=30) | st.sampled_from(
    ["\x1b[2J", "\u202eevil", "\ud800", "\x85\x9b31m", "\r\x00\x0b"]
)


@pytest.fixture(scope="module")
def plain_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("plain")
    records = [
        {"url": f"https://a.example/{i}", "title": f"Titel {i}", "author": "", "text": _body(i)}
        for i in range(6)
    ]
    dump = folder / "dump.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    code, report, _ = run_check(dump, folder / "out")
    assert code == 1 and any(check["samples"] for check in report["checks"])
    return report


def _hostile(report: dict[str, Any], outlet: str, title: str, evidence: str) -> dict[str, Any]:
    report = json.loads(json.dumps(report))
    report["dump"]["path"] = f"dumps/{title}"
    report["gate"]["reasons"] = [f"template break: {outlet} byline.missing 0% -> 100%"]
    report["outlets"] = {outlet: 6}
    for check in report["checks"]:
        check["by_outlet"] = {outlet: {"articles": 6, "records": 1, "rate": 1 / 6}}
        for sample in check["samples"]:
            sample.update(outlet=outlet, evidence=evidence, message=evidence)
    for view in report["records"].values():
        view.update(title=title, outlet=outlet)
    return report


@settings(max_examples=examples(200), deadline=None)
@given(outlet=HOSTILE, title=HOSTILE, evidence=HOSTILE)
def test_no_raw_control_character_reaches_a_text_output(
    plain_report: dict[str, Any], outlet: str, title: str, evidence: str
) -> None:
    report = _hostile(plain_report, outlet, title, evidence)
    page = build_html(report)
    junit = build_junit(report)
    summary = build_summary(report)
    for text in (page, junit, summary):
        assert not _CONTROL.search(text), _CONTROL.search(text)
        text.encode("utf-8")  # no lone surrogate either
    ET.fromstring(junit.encode("utf-8"))
    found = _DATA.search(page)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["outlets"] and all("\n" not in line for line in summary.splitlines())


def test_page_data_round_trips_hostile_strings(plain_report: dict[str, Any]) -> None:
    # A control character is \u-escaped in the file, and still the same string in the page.
    report = _hostile(plain_report, "\x1b[2J\u202eNews", "Tít\x85le", "ev\ud800")
    found = _DATA.search(build_html(report))
    assert found is not None
    assert list(json.loads(found.group(1))["outlets"]) == ["\x1b[2J\u202eNews"]
