"""Literal screens and the checks that use them agree with the plain full scans."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.text.keys import NATIVE
from corpus_qa.text.screens import (
    key_patterns,
    lead_bytes,
    rows_closing_a_line,
    rows_with_any_byte,
    screen,
)
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


def test_literals_with_only_common_characters_get_one_plain_scan() -> None:
    shares = np.zeros(256)
    shares[ord("e")] = shares[ord("t")] = 0.2
    assert key_patterns(["tee", "ete"], shares) == ["tee|ete"]
    # Rare characters: one keyed pass, each literal searched from its first "e".
    assert key_patterns(["tee", "eXe"], np.zeros(256)) == ["eXe|ee"]


CJK = st.text(
    alphabet=st.sampled_from(
        ["登", "録", "下", "载", "关", "注", "한", "국", "é", "a", " ", "\n", "😀"]
    ),
    max_size=12,
)


@given(st.lists(CJK, min_size=1, max_size=5), st.lists(st.one_of(CJK, st.none()), max_size=6))
def test_lead_bytes_cover_every_literal_and_rows_hold_them(
    literals: list[str], values: list[str | None]
) -> None:
    wanted = lead_bytes(literals)
    for literal in literals:
        assert not literal or set(literal.encode()) & set(wanted)
    rows = rows_with_any_byte(pd.Series(values, dtype="str"), wanted)
    expected = [i for i, v in enumerate(values) if v and set(v.encode()) & set(wanted)]
    assert rows.tolist() == expected


def test_rows_holding_a_lead_byte_of_chinese_phrases_skip_hangul() -> None:
    values = pd.Series(["서울시는 밝혔다", "请关注我们", None, "plain", "登録"], dtype="str")
    assert rows_with_any_byte(values, lead_bytes(["关注我们", "登録"])).tolist() == [1, 4]


# Long values (the C pass reads eight bytes a test) of ASCII, two- and three-byte
# characters, with the wanted bytes anywhere: lead bytes just below and above the
# lowest wanted one, and continuation bytes that are never lead bytes.
WIDE = st.lists(
    st.one_of(
        st.text(st.sampled_from("ab \n"), min_size=1, max_size=20),
        st.sampled_from(["é", "–", "€", "中", "登録", "한", "😀", "\u0800", "\uffff"]),
    ),
    max_size=30,
).map("".join)


@given(
    st.lists(st.one_of(WIDE, st.none()), max_size=6),
    st.sets(st.integers(0x80, 0xFF), min_size=1, max_size=4),
)
def test_native_rows_with_any_byte_equal_the_re2_passes(
    values: list[str | None], wanted: set[int]
) -> None:
    series = pd.Series(values, dtype="str")
    expected = [i for i, v in enumerate(values) if v and set(v.encode()) & wanted]
    assert rows_with_any_byte(series, wanted, native=False).tolist() == expected
    if NATIVE:
        assert rows_with_any_byte(series, wanted, native=True).tolist() == expected


@given(
    st.lists(st.tuples(st.integers(0, 140), st.one_of(WIDE, st.none())), max_size=5),
    st.sets(st.integers(0x80, 0xFF), min_size=1, max_size=4),
)
def test_native_rows_with_any_byte_in_long_values(
    padded: list[tuple[int, str | None]], wanted: set[int]
) -> None:
    # ASCII before each value moves its wide bytes to every lane of the C pass's
    # blocks of 64 bytes, where only bytes equal to the lowest wanted one or past the
    # next are looked up (é's 0xC3 lead between a wanted 0xC2 and 0xE3, say).
    values = [None if v is None else "x" * pad + v + "y" * (pad % 7) for pad, v in padded]
    series = pd.Series(values, dtype="str")
    expected = [i for i, v in enumerate(values) if v and set(v.encode()) & wanted]
    assert rows_with_any_byte(series, wanted, native=False).tolist() == expected
    if NATIVE:
        assert rows_with_any_byte(series, wanted, native=True).tolist() == expected
    if NATIVE and 0xC2 in wanted:
        latin = ["é" * 40 + "©", "é" * 70, "ü" * 33 + "中"]
        found = rows_with_any_byte(pd.Series(latin, dtype="str"), wanted, native=True)
        assert found.tolist() == [i for i, v in enumerate(latin) if set(v.encode()) & wanted]


# A few wanted bytes of any value, ASCII punctuation among them (the tag lines'
# screen asks for "#", ":" and the lead of "："): the C pass's memchr a byte.
PUNCTUATED = st.lists(
    st.one_of(WIDE, st.sampled_from(["#", ":", "：", "Tags: a, b", "#Klima", "\x00", "\x7f"])),
    max_size=8,
).map("".join)


@given(
    st.lists(st.one_of(PUNCTUATED, st.none()), max_size=6),
    st.sets(st.one_of(st.sampled_from([0x23, 0x3A, 0xEF, 0x00]), st.integers(0, 0xFF)), max_size=4),
)
def test_native_rows_with_a_few_bytes_of_any_value_equal_the_re2_passes(
    values: list[str | None], wanted: set[int]
) -> None:
    series = pd.Series(values, dtype="str")
    expected = [i for i, v in enumerate(values) if v and set(v.encode()) & wanted]
    assert rows_with_any_byte(series, wanted, native=False).tolist() == expected
    if NATIVE:
        assert rows_with_any_byte(series, wanted, native=True).tolist() == expected


# Lines closing on ")" and near misses: blanks after it (a no-break space is no tab),
# a newline or "\r" next, text after it, and wide characters around it.
CLOSING = st.lists(
    st.sampled_from(
        [")", " ", "\t", "\n", "\r", "\u00a0", "(AP Photo)", "a", "é", "中", "x)y", "\n\n"]
    ),
    max_size=14,
).map("".join)


def _closes_a_line(value: str) -> bool:
    return any(line.rstrip(" \t").endswith(")") for line in value.split("\n"))


@given(st.lists(st.one_of(CLOSING, st.none()), max_size=8))
def test_rows_closing_a_line_equal_re2_and_the_line_definition(
    values: list[str | None],
) -> None:
    series = pd.Series(values, dtype="str")
    expected = [i for i, v in enumerate(values) if v is not None and _closes_a_line(v)]
    assert rows_closing_a_line(series, ")", native=False).tolist() == expected
    if NATIVE:
        assert rows_closing_a_line(series, ")", native=True).tolist() == expected
