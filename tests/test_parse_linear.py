"""The page parser's work is linear in the page's size; a page past its budget is
quarantined (``input.too_complex``) and the rest of the dump is read.

Work is counted, never timed: the Python lines the parser executes (``sys.settrace``),
a deterministic count that a quadratic scan (every ``![`` scanning to the end of the
line for its ``]``) multiplies by four when the input doubles.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corpus_qa
from corpus_qa.parse.budget import PageTooComplex, page_budget
from corpus_qa.parse.layouts import parse_page
from tests.conftest import examples, run_check

_PACKAGE = os.path.dirname(corpus_qa.__file__)


def work(text: str) -> int:
    """Python lines of corpus_qa executed to parse ``text``."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(_PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        parse_page(text, "page.md")
    finally:
        sys.settrace(previous)
    return count


def shape(tokens: list[str], k: int) -> str:
    """Each token ``k`` times in a row: ``["![", "]("]`` -> ``![![![...](](](``."""
    return "".join(token * k for token in tokens)


def placed(text: str) -> None:
    """Parsed within the default budget, every non-blank line in an article or a span."""
    page = parse_page(text, "page.md")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    covered = set()
    for item in [*page.articles, *page.chrome]:
        covered.update(range(item.line_start, item.line_end + 1))
    assert all(no in covered for no, line in enumerate(lines, 1) if line.strip())


TOKENS = st.sampled_from(
    ["![", "](", "[", "]", "(", ")", "<", ">", '"', "\\", "*", "_", "`", "#", "- ", "> ",
     "1. ", "|", " ", "\t", "\n", "\n\n", "word ", "By ", "Ana Souza", "Von ", "기자 ",
     "Par ", "2024-05-01 ", "http://x.co/a.jpg", "![a](b)", "[![a](b)](c)", "---"]
)  # fmt: skip


@settings(max_examples=examples(200))
@given(st.lists(TOKENS, min_size=1, max_size=4), st.integers(min_value=40, max_value=80))
def test_parse_work_grows_linearly_with_the_page(tokens: list[str], k: int) -> None:
    once, twice = work(shape(tokens, k)), work(shape(tokens, 2 * k))
    # Linear work a + b*k doubles at most; a quadratic term quadruples. The additive
    # slack covers fixed costs that vary with the shape (a layout switching on length).
    assert twice <= 2.5 * once + 2_000, (tokens, k, once, twice)


@pytest.mark.parametrize(
    ("name", "tokens", "k"),
    [
        ("image-openers", ["![", "]("], 50_000),
        ("brackets-unclosed", ["["], 100_000),
        ("nested-list-markers", ["- "], 100_000),
        ("list-lines", ["  - x\n"], 100_000),
        ("quotes", ["> "], 100_000),
        ("stars-10MB", ["*"], 10_000_000),
        ("long-line", ["word "], 1_000_000),
        ("parens", ["("], 100_000),
        ("angle-destinations", ["![a](<"], 50_000),
        ("linked-images", ["[![a](b)](", "![a](b)"], 20_000),
    ],
)
def test_pathological_pages_parse_within_budget(name: str, tokens: list[str], k: int) -> None:
    """Full size: parse_page raises PageTooComplex past the default budget, so this
    completing bounds the time without measuring it."""
    placed(shape(tokens, k))


@pytest.mark.parametrize("tokens", [["![", "]("], ["- ", "x\n"], ["[", "(", "]"]])
def test_pathological_shapes_double_linearly(tokens: list[str]) -> None:
    small, large = work(shape(tokens, 500)), work(shape(tokens, 1_000))
    assert large <= 2.2 * small


def test_budget_is_proportional_to_size() -> None:
    assert page_budget(0) > 0
    assert page_budget(2_000_000) - page_budget(1_000_000) == pytest.approx(
        page_budget(1_000_000) - page_budget(0)
    )


def test_a_page_over_its_cap_is_quarantined_and_the_rest_read(tmp_path: Path) -> None:
    dump = tmp_path / "pages"
    dump.mkdir()
    small = {
        "de.md": "# Haushalt beschlossen\n\nVon Anna Weber\n\nDer Rat hat den Haushalt beschlossen.\n",
        "fr.md": "# Le budget adopté\n\nPar Marie Dubois\n\nLe conseil a adopté le budget.\n",
        "ko.md": "# 예산안 통과\n\n김민수 기자\n\n시의회가 예산안을 통과시켰다.\n",
    }
    for name, text in small.items():
        (dump / name).write_text(text, encoding="utf-8")
    big = "# Big\n\n" + "\n".join("![" * 50 + "](" * 50 + f" line {i}" for i in range(3_000)) + "\n"
    (dump / "big.md").write_text(big, encoding="utf-8")
    out, quarantine = tmp_path / "out", tmp_path / "q"
    # A cap no page of thousands of lines can meet; the three small pages spend
    # fewer steps than the budget is checked after.
    code, report, findings = run_check(
        dump, out, "--max-page-seconds", "1e-9", "--quarantine", str(quarantine)
    )
    assert code == 1
    inputs = {i["path"]: i for i in report["inputs"]}
    assert inputs["big.md"]["records_quarantined"] == 1 and inputs["big.md"]["records_checked"] == 0
    for name in small:
        assert inputs[name]["records_checked"] == 1 and inputs[name]["records_quarantined"] == 0
    complex_ = [f for f in findings if f["check"] == "input.too_complex"]
    assert [(f["source_path"], f["severity"]) for f in complex_] == [("big.md", "error")]
    assert "page too complex to parse" in complex_[0]["message"]
    assert (quarantine / "raw" / "big.md").read_text(encoding="utf-8") == big
    reasons = (quarantine / "reasons.jsonl").read_text(encoding="utf-8").splitlines()
    too_complex = [r for r in map(json.loads, reasons) if r["kind"] == "input.too_complex"]
    assert [(r["source_path"], r["stored"]) for r in too_complex] == [("big.md", "raw/big.md")]
    assert report["counts"]["records_read"] == 4 and report["counts"]["records_checked"] == 3


def test_parse_page_raises_past_its_cap() -> None:
    with pytest.raises(PageTooComplex, match="page too complex"):
        parse_page("\n".join(f"line {i} ![a](" for i in range(5_000)), "p.md", max_seconds=1e-9)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_a_bad_page_cap_is_exit_2(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.md").write_text("# Vote\n\nThe council voted.\n", encoding="utf-8")
    code, report, _ = run_check(tmp_path / "p.md", tmp_path / "out", "--max-page-seconds", value)
    err = capsys.readouterr().err.strip()
    assert code == 2 and not report
    assert err == (
        f"corpus-qa: error: argument --max-page-seconds: {value!r} is not a number of "
        "seconds above 0 (see --help)"
    )
