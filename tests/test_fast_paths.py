"""Fast paths agree with the plain forms they replace, on any text."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_qa.checks.api import find_spans, hits
from corpus_qa.checks.builtin import email, text
from corpus_qa.checks.builtin.email import _ADDRESS_RE, _addresses
from corpus_qa.ingest.depth import bracket_positions
from corpus_qa.ingest.jsonl import _braced_lines
from corpus_qa.lexicons import phrases
from corpus_qa.text.re2 import contains, tail
from tests.conftest import examples

# Multi-byte characters (2, 3 and 4 UTF-8 bytes) so that byte windows split them.
TEXT = st.text(alphabet=st.sampled_from("ab .\n@-_%+9Zé中😀ß"), max_size=60)


@given(st.lists(st.one_of(st.none(), TEXT), max_size=12), st.integers(1, 25))
def test_tail_is_a_negative_slice(values: list[str | None], chars: int) -> None:
    series = pd.Series(values, dtype="str")
    got, want = tail(series, chars), series.str.slice(-chars)
    assert got.index.equals(want.index)
    assert got.fillna("<NA>").tolist() == want.fillna("<NA>").tolist()


@given(TEXT)
def test_addresses_are_the_regex_matches(text: str) -> None:
    found = [(m.start(), m.end(), m.group(0)) for m in _addresses(text)]
    assert found == [(m.start(), m.end(), m.group(0)) for m in _ADDRESS_RE.finditer(text)]


@given(st.lists(st.sampled_from([b"\n", b"{", b"a"]), max_size=12).map(b"".join), st.integers(1, 5))
def test_braced_lines_count_line_starts(block: bytes, window: int) -> None:
    # Small windows: a newline and its "{" fall on both sides of a window's edge.
    expected = block.count(b"\n{", 0, max(0, len(block) - 1)) + block.startswith(b"{")
    assert _braced_lines(block) == expected
    assert _braced_lines(block, window) == expected
    # Given the newlines the depth screen found (the reader's path): the same count.
    assert _braced_lines(block, newlines=bracket_positions(block, window)[1]) == expected


# Placeholders cut, fused and doubled, among multi-byte characters and line breaks.
PLACEHOLDER_TEXT = st.lists(
    st.sampled_from(
        [
            "[email",
            "[email protected]",
            " protected]",
            "&nbsp;",
            "\n",
            "/cdn-cgi/l/email-protection",
            "#a1",
            ")",
            "[",
            "/",
            "é",
            "中",
            "😀",
        ]
    ),
    max_size=10,
).map("".join)


@given(PLACEHOLDER_TEXT)
def test_placeholder_finditer_is_the_regex_finditer(text: str) -> None:
    found = [(m.start(), m.end()) for m in email._OBFUSCATED_FINDITER(text)]
    assert found == [(m.start(), m.end()) for m in re.finditer(email._OBFUSCATED, text)]


@given(st.lists(st.tuples(st.one_of(st.none(), PLACEHOLDER_TEXT), PLACEHOLDER_TEXT), max_size=6))
def test_email_obfuscated_finds_what_a_full_scan_finds(rows: list[tuple[str | None, str]]) -> None:
    articles = pd.DataFrame(
        {"title": [t for t, _ in rows], "body": [b for _, b in rows]}, dtype="str"
    )
    plain = [
        hits(
            s["row"].to_numpy(),
            field,
            "e-mail protection placeholder instead of an address",
            start=s["start"].tolist(),
            end=s["end"].tolist(),
        )
        for field in email.TEXT_FIELDS
        if not (s := find_spans(articles[field], email._OBFUSCATED)).empty
    ]
    want = pd.concat(plain, ignore_index=True) if plain else hits([], "", "")
    got = email.EmailObfuscated().run(articles, pd.DataFrame())
    pd.testing.assert_frame_equal(got, want)


def _plain_flattened(body: pd.Series, min_chars: int) -> pd.DataFrame:
    """text.flattened with every body measured and searched in full."""
    body = body.astype("str").fillna("")
    length = body.str.len().to_numpy()
    one_line = ~body.str.contains("\n", regex=False).to_numpy() & (length >= min_chars)
    seam = [re.search(text._DECK_IN_FIRST_SENTENCE, value) is not None for value in body]
    candidates = np.asarray(seam, dtype=bool) & (length >= min_chars // 2)
    joiners = frozenset(phrases("text_seams.joiners", ["en"]))
    has_seam = np.zeros(len(body), dtype=bool)
    rows, starts, ends = [], [], []
    for row in np.flatnonzero(candidates).tolist():
        opening = body.iloc[row][: text._DECK_WINDOW]
        match = text.find_seam(opening, joiners)
        if match is not None:
            has_seam[row] = True
            rows.append(row)
            starts.append(opening.rfind(" ", 0, match.start() + 1) + 1)
            ends.append(match.end() - 1)
    message = "a deck or standfirst runs into the first sentence (no break before it)"
    flat = np.flatnonzero(one_line & ~has_seam)
    return pd.concat(
        [
            hits(rows, "body", message, start=starts, end=ends),
            hits(
                flat,
                "body",
                pd.Series(
                    [
                        f"body of {length[r]} characters on one line: paragraph breaks were lost"
                        for r in flat.tolist()
                    ],
                    dtype="str",
                ),
                start=[0] * len(flat),
                end=np.minimum(length[flat], 80).tolist(),
            ),
        ],
        ignore_index=True,
    )


# Openings around 20 and 300 characters (one- to four-byte characters), a seam, and
# the breaks that end a first sentence.
OPENING = st.lists(
    st.sampled_from(
        ["word ", "é中😀 ", "😀" * 5, "x" * 150, "ß" * 19, "y" * 20, "grow As ", ". ", "\n", "?"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=examples(300))
@given(st.lists(st.one_of(st.none(), OPENING), max_size=6), st.integers(0, 120))
@example(["x" * 280 + " grow As ", "x" * 300 + " grow As ", "😀" * 9 + "x" * 20 + " grow As "], 16)
@example(["😀" * 5, "😀" * 6, "é" * 6, "x" * 6], 6)
def test_text_flattened_flags_what_full_measures_flag(
    bodies: list[str | None], min_chars: int
) -> None:
    articles = pd.DataFrame({"body": pd.Series(bodies, dtype="str")})
    got = text.TextFlattened({"min_chars": min_chars}).run(articles, pd.DataFrame())
    pd.testing.assert_frame_equal(got, _plain_flattened(articles["body"], min_chars))


@given(
    st.lists(st.one_of(st.none(), TEXT), max_size=8), st.sampled_from(["é", "^a", "\\n9", "中$"])
)
@example([], "é")
def test_contains_is_arrows_search_even_with_no_rows(
    values: list[str | None], pattern: str
) -> None:
    series = pd.Series(values, dtype="str", index=range(5, 5 + len(values)))
    found = pc.match_substring_regex(pa.array(series.astype("str")), pattern)
    want = np.asarray(pc.fill_null(found, False), dtype=bool)
    got = contains(series, pattern)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tolist() == want.tolist()
