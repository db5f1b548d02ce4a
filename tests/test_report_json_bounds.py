"""report.json stays bounded and free of raw control characters whatever the dump holds.

A hostile dump (one record with 200,000 images, 1 MB titles, outlet names with bidi
overrides, C1 and escape characters, 1,200 outlets) once made a report.json of 40-250
MB holding those characters raw. Now every cut is counted, the file validates against
the schema, and findings.jsonl keeps the raw evidence.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.reports.escape import _BIDI as _BIDI_CHARS
from corpus_qa.reports.escape import _escape as escape_char
from corpus_qa.reports.escape import is_printable, printable
from corpus_qa.reports.json_bound import MAX_REPORT_BYTES, dumps_report, escape_controls, shown_key
from tests.conftest import examples, run_check
from tests.report_schema import errors

# Raw in a text output, these could drive a terminal or reorder what a reader sees.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_OUTLETS = 1_200
_IMAGES = 200_000
_BIDI_OUTLET = "Zeit\u202eung\x9b\x1b[2J"


def _record(i: int, outlet: str, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://n{i}.example/a",
        "title": f"Haushalt {i} beschlossen",
        "author": "",
        "date": "",
        "text": "kurz",
        "sitename": outlet,
        **extra,
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    images = [f"https://n.example/i{i}.jpg" for i in range(_IMAGES)]
    records = [
        _record(0, _BIDI_OUTLET, images=images),
        # Its largest outlet: always listed.
        *(_record(i, _BIDI_OUTLET) for i in (-1, -2)),
        # Two outlets of two articles each, named alike for their first million characters.
        *(
            _record(i, "Ж" * 1_000_000 + str(i % 2), title="\u2066" + "T" * 1_000_000)
            for i in (1, 2, 11, 12)
        ),
        *(_record(i, f"Outlet {i}") for i in range(3, 3 + _OUTLETS)),
    ]
    dump = folder / "dump.jsonl"
    dump.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return dump, folder / "out"


@pytest.fixture(scope="module")
def checked(hostile: tuple[Path, Path]) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    dump, out = hostile
    code, report, findings = run_check(dump, out, "--samples", "2000")
    assert code == 1 and report["status"] == "complete"
    return (out / "report.json").read_text(encoding="utf-8"), report, findings


def test_report_json_is_bounded_and_valid(
    checked: tuple[str, dict[str, Any], list[dict[str, Any]]],
) -> None:
    text, report, _ = checked
    assert len(text.encode("utf-8")) <= MAX_REPORT_BYTES
    assert errors(report) == []
    assert _CONTROL.search(text) is None


def test_what_the_bounds_leave_out_is_counted(
    checked: tuple[str, dict[str, Any], list[dict[str, Any]]],
) -> None:
    _, report, findings = checked
    omitted = report["omitted"]
    assert omitted["outlets"] + len(report["outlets"]) == _OUTLETS + 3
    for check in report["checks"]:
        listed = len(check["samples"])
        assert check["samples_omitted"] == check["count"] - listed
        if check["by_outlet"]:  # framework checks have none
            assert check["by_outlet_omitted"] + len(check["by_outlet"]) == _OUTLETS + 3
    [view] = [v for v in report["records"].values() if v.get("images_total")]
    assert view["images_total"] == _IMAGES
    assert omitted["images"] == _IMAGES - len(view["images"])
    # Every finding is still in findings.jsonl, with its raw outlet name.
    by_check = {c["id"]: c["count"] for c in report["checks"]}
    assert sum(by_check.values()) == len(findings)
    assert any(f["outlet"] == _BIDI_OUTLET for f in findings)


def test_strings_are_cut_and_escaped_as_text(
    checked: tuple[str, dict[str, Any], list[dict[str, Any]]],
) -> None:
    _, report, _ = checked
    escaped = "Zeit\\u202eung\\x9b\\x1b[2J"
    assert escaped in report["outlets"]
    long_names = [o for o in report["outlets"] if o.startswith("ЖЖЖ")]
    assert len(long_names) == 2
    # Cut, marked, and still two outlets: a digest of the whole name tells them apart.
    assert all(re.search(r"1,000,001 characters, sha256 [0-9a-f]{12}\]$", o) for o in long_names)
    assert all(len(o) < 4_100 for o in long_names)
    titles = [v["title"] for v in report["records"].values() if "TTT" in (v["title"] or "")]
    assert titles and all(t.startswith("\\u2066TTT") for t in titles)
    assert all(t.endswith("[truncated, 1,000,001 characters]") for t in titles)


@pytest.mark.slow
def test_a_baseline_finds_its_outlets_under_their_escaped_names(
    hostile: tuple[Path, Path], checked: tuple[str, dict[str, Any], list[dict[str, Any]]]
) -> None:
    dump, out = hostile
    code, report, _ = run_check(dump, out.with_name("again"), "--baseline", str(out))
    assert code == 1, report.get("gate")
    rows = report["baseline"]["outlets"]["byline.missing"]
    assert rows[shown_key(_BIDI_OUTLET)]["then"] == 1.0
    long_rows = [row for outlet, row in rows.items() if outlet.startswith("ЖЖЖ")]
    assert [row["then"] for row in long_rows] == [1.0, 1.0]


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=30) | st.text(
    st.sampled_from(["\x1b", "\x85", "\u202e", "\u2066", "\ud800", "\u2028", "a", "\n"]),
    max_size=30,
)


@settings(max_examples=examples(200), deadline=None)
@given(outlet=_TEXT, evidence=_TEXT, reason=_TEXT)
def test_any_string_comes_out_escaped_in_valid_json(
    outlet: str, evidence: str, reason: str
) -> None:
    report = {
        "gate": {"verdict": "fail", "reasons": [reason]},
        "outlets": {outlet: 1},
        "checks": [
            {
                "id": "x.y",
                "count": 1,
                "by_outlet": {outlet: {"articles": 1, "records": 1, "rate": 1.0}},
                "samples": [{"record_id": "r", "evidence": evidence, "outlet": outlet}],
            }
        ],
        "records": {},
    }
    text = dumps_report(report)
    assert _CONTROL.search(text) is None
    back = json.loads(text)
    assert list(back["outlets"]) == [shown_key(outlet)]
    assert back["checks"][0]["samples_omitted"] == 0
    # Escaping is text: nothing a reader decodes is a control character but \n and \t.
    shown = back["checks"][0]["samples"][0]["evidence"]
    assert _CONTROL.search(shown.replace("\n", "").replace("\t", "")) is None


def _escaped_part_by_part(text: str) -> str:
    """What escape_controls gave before its whole-text test: every part escaped."""
    return "\n".join("\t".join(printable(p) for p in line.split("\t")) for line in text.split("\n"))


def _printable_char_by_char(text: str) -> str:
    """printable() without its fast test: every character looked at."""
    return "".join(
        escape_char(c)
        if c in _BIDI_CHARS
        or not c.isprintable()
        or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
        else c
        for c in text
    )


@settings(max_examples=examples(300), deadline=None)
@given(text=_TEXT | st.text(st.sampled_from(["\t", "\n", "b", "\u200f", "\x07", " "]), max_size=30))
def test_escaping_the_whole_text_at_once_is_escaping_each_part(text: str) -> None:
    assert printable(text) == _printable_char_by_char(text)
    assert escape_controls(text) == _escaped_part_by_part(text)
    assert is_printable(text) == (printable(text) == text)
