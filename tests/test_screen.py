"""Literal screens and the checks that use them agree with the plain full scans."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.api import find_spans, hits
from corpus_qa.checks.builtin.boilerplate import (
    LEAK_PHRASES,
    LINE_PHRASES,
    BoilerplateLeak,
    _alternation,
)
from corpus_qa.text.screens import key_patterns, screen
from tests.conftest import examples

# Pieces of the shipped phrases, their key characters alone, multi-byte characters
# and line breaks, so that phrases are cut, doubled, fused and put at line edges.
PIECES = st.sampled_from(
    [
        "Share",
        "Share this article",
        "Sign up for our newsletter",
        "can do for you:",
        "Comments",
        "Read more",
        "ADVERTISEMENT",
        "Skip to",
        "S",
        "A",
        ":",
        "\n",
        "\r\n",
        " ",
        "x",
        "é",
        "中",
        "😀",
        "ß",
    ]
)
TEXT = st.lists(PIECES, max_size=14).map("".join)
LITERAL = st.text(alphabet=st.sampled_from("Sab:\n é中😀"), min_size=0, max_size=6)


@settings(max_examples=examples(300))
@given(st.lists(st.one_of(st.none(), TEXT), max_size=8), st.lists(LITERAL, max_size=5))
def test_screen_marks_every_row_that_holds_a_literal(
    values: list[str | None], literals: list[str]
) -> None:
    found = screen(pd.Series(values, dtype="str"), literals)
    for value, marked in zip(values, found.tolist(), strict=True):
        if value is not None and any(literal in value for literal in literals):
            assert marked, (value, literals)
        if value is None:
            assert not marked


@given(
    st.lists(LITERAL.filter(bool), min_size=1, max_size=8),
    st.lists(st.floats(0, 1), min_size=256, max_size=256),
)
def test_every_literal_is_found_by_a_pattern(literals: list[str], shares: list[float]) -> None:
    # Whatever the byte counts say, each literal must be found by one of the patterns.
    patterns = key_patterns(sorted(set(literals)), np.asarray(shares))
    for literal in literals:
        assert any(re.search(p, literal) for p in patterns), (literal, patterns)
    if patterns == ["|".join(re.escape(literal) for literal in sorted(set(literals)))]:
        return  # keyed passes would cost more than this one plain scan
    # One key character leads every alternative: RE2 skips to it with memchr.
    for pattern in patterns:
        keys = {
            re.sub(r"\\(.)", r"\1", alternative, flags=re.S)[0]
            for alternative in pattern.split("|")
        }
        assert len(keys) == 1, pattern


def _plain_leak(articles: pd.DataFrame, options: dict[str, list[str]]) -> pd.DataFrame:
    """The check as full scans: every title and body searched for every phrase."""
    anywhere = _alternation([*LEAK_PHRASES, *options.get("phrases", [])])
    whole_line = _alternation([*LINE_PHRASES, *options.get("line_phrases", [])])
    body = articles["body"].astype("str").fillna("")
    lines = find_spans("\n" + body + "\n", "\n" + whole_line + "\n", prefilter="\n")
    title = find_spans(articles["title"].astype("str"), anywhere)
    frames = [
        hits(
            spans["row"].to_numpy(),
            field,
            "site UI text in the article",
            start=spans["start"].tolist(),
            end=(spans["end"] + shift).tolist(),
        )
        for spans, field, shift in [
            (title, "title", 0),
            (find_spans(body, anywhere), "body", 0),
            (lines, "body", -2),
        ]
    ]
    return pd.concat(frames, ignore_index=True)


@settings(max_examples=examples(300))
@given(
    st.lists(st.tuples(st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT)), max_size=8),
    st.lists(LITERAL.filter(bool), max_size=2),
    st.lists(LITERAL.filter(bool), max_size=2),
)
def test_boilerplate_leak_finds_what_full_scans_find(
    rows: list[tuple[str | None, str | None]], phrases: list[str], labels: list[str]
) -> None:
    articles = pd.DataFrame(
        {
            "title": pd.Series([t for t, _ in rows], dtype="str"),
            "body": pd.Series([b for _, b in rows], dtype="str"),
        },
        index=pd.RangeIndex(3, 3 + len(rows)),
    )
    options = {"phrases": phrases, "line_phrases": labels}
    got = BoilerplateLeak(options).run(articles, pd.DataFrame())
    pd.testing.assert_frame_equal(got, _plain_leak(articles, options))


def test_a_label_that_is_the_whole_first_line_is_found_when_newlines_are_rare() -> None:
    # No newline in the chunk: labels are keyed on the newline before them, which the
    # body's first line lacks.
    bodies = ["Comments", "Share", "Read more and more", "Comments and Comments"]
    articles = pd.DataFrame({"title": ["t"] * 4, "body": bodies}, dtype="str")
    got = BoilerplateLeak().run(articles, pd.DataFrame())
    assert got["row"].tolist() == [0, 1]
    pd.testing.assert_frame_equal(got, _plain_leak(articles, {}))


def test_literals_with_only_common_characters_get_one_plain_scan() -> None:
    shares = np.zeros(256)
    shares[ord("e")] = shares[ord("t")] = 0.2
    assert key_patterns(["tee", "ete"], shares) == ["tee|ete"]
    # Rare characters: one keyed pass, each literal searched from its first "e".
    assert key_patterns(["tee", "eXe"], np.zeros(256)) == ["eXe|ee"]
