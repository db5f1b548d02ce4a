"""The one-pass C keying (corpus_qa.text._textkeys) gives the Arrow path's keys, bit for bit.

Global checks compare keys across chunks, workers and runs (baselines): a value keyed
differently by the two paths would split a duplicate pair or a recurring paragraph.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.text import keys as text_keys
from corpus_qa.text.keys import _FOLD_SS, fold_table, joined_keys
from corpus_qa.text.minhash import string_hashes, word_hashes
from corpus_qa.text.paragraphs import split_paragraphs
from tests.test_paragraphs import _same

# Runs of ASCII words (the eight-byte path), whitespace runs of every kind, and letters
# that fold to other letters, to "ss", to several code points or beyond the fold table.
WORDS = st.sampled_from(
    [
        "The",
        "QUICK",
        "brown",
        "fox",
        "JUMPS",
        "over",
        "Straße",
        "ÜBER",
        "Ärger",
        "ΣΊΣΥΦΟΣ",
        "ﬁne",
        "İstanbul",
        "ŉ",
        "Ǆemal",
        "Кириллица",
        "한국어",
        "😀",
        "𝐀𝐁",
        "𠀋",
        "K\u212a",
        "x" * 17,
        "ABCDEFGHIJ",
    ]
)
SPACE = st.sampled_from([" ", "  ", "\t", "\n", "\n\n", " \r\n ", "\v\f", "\u00a0", ""])
TEXT = st.one_of(
    st.lists(st.tuples(SPACE, WORDS), max_size=12).map(lambda p: "".join(a + b for a, b in p)),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
)
VALUES = st.lists(st.one_of(TEXT, st.none()), max_size=10)


def _array(values: list[str | None], skip: int) -> pa.Array:
    # Sliced too: the offsets and data buffers then start mid-way.
    return pa.array(["  lead  ", *values], type=pa.large_string()).slice(min(skip, 1))


def _same_paragraphs(strings: pa.Array, min_chars: int) -> None:
    _same(
        split_paragraphs(strings, min_chars, 30, native=True),
        split_paragraphs(strings, min_chars, 30, native=False),
    )


@given(VALUES, st.integers(0, 25), st.integers(0, 1))
def test_paragraph_keys_native_equal_arrow(
    values: list[str | None], min_chars: int, skip: int
) -> None:
    _same_paragraphs(_array(values, skip), min_chars)


@given(st.lists(st.tuples(st.one_of(TEXT, st.none()), st.one_of(TEXT, st.none())), max_size=10))
def test_joined_keys_native_equal_arrow(rows: list[tuple[str | None, str | None]]) -> None:
    titles = pa.array([t for t, _ in rows], type=pa.large_string())
    bodies = pa.array([b for _, b in rows], type=pa.large_string())
    keys, nonempty = joined_keys(titles, bodies, native=True)
    keys_arrow, nonempty_arrow = joined_keys(titles, bodies, native=False)
    assert keys.tolist() == keys_arrow.tolist()
    assert nonempty.tolist() == nonempty_arrow.tolist()


def test_long_values_cross_every_word_boundary() -> None:
    # Lengths around multiples of eight, whitespace at each offset: every alignment of
    # the eight-byte path against SipHash's words.
    values = []
    for length in range(1, 40):
        base = "AbCdEfGhIj" * 4
        for at in range(0, length, 3):
            values.append(base[:at] + " \t " + base[at:length] + " ")
            values.append(base[:at] + "ü" + base[at:length])
    strings = pa.array(values, type=pa.large_string())
    for min_chars in (0, 8, 33):
        _same_paragraphs(strings, min_chars)
    assert joined_keys(strings, strings[::-1], native=True)[0].tolist() == (
        joined_keys(strings, strings[::-1], native=False)[0].tolist()
    )


def test_joined_keys_of_bytes_that_look_like_whitespace_without_their_high_bit() -> None:
    # Collapsing passes non-ASCII bytes eight at a time: continuation bytes 0x89-0x8D
    # and 0xA0 (in "ĉ", "č", "Ġ", the no-break space) read as \t-\r and a space once
    # their high bit is dropped, and must neither collapse nor end a run of spaces.
    pieces = ["ĉ", "č", "Ġ", "\u00a0", "한", " ", "  ", "\t", "\n\n", "ab"]
    values = []
    for pad in range(9):
        for a in pieces:
            for b in pieces:
                values.append("x" * pad + a + " " + b + "  " + a + b)
                values.append(" " * (pad % 3) + a + b + " " * pad)
    strings = pa.array(values, type=pa.large_string())
    native = joined_keys(strings, strings[::-1], native=True)
    arrow = joined_keys(strings, strings[::-1], native=False)
    assert native[0].tolist() == arrow[0].tolist()
    assert native[1].tolist() == arrow[1].tolist()


def test_fold_table_is_casefold_of_each_code_point() -> None:
    table = fold_table()
    checked = 0
    for point in range(0, len(table), 7):
        if 0xD800 <= point <= 0xDFFF:
            continue
        folded = chr(point).casefold()
        entry = int(table[point])
        if len(folded) == 1:
            assert entry == ord(folded), hex(point)
        elif folded == "ss":
            assert entry == _FOLD_SS, hex(point)
        else:
            assert entry == 0xFFFFFFFF, hex(point)
        checked += 1
    assert checked > 18_000


def test_empty_and_all_null_arrays() -> None:
    for values in ([], [None, None], ["", ""]):
        strings = pa.array(values, type=pa.large_string())
        for min_chars in (0, 1):
            _same_paragraphs(strings, min_chars)
        assert np.array_equal(
            joined_keys(strings, strings, native=True)[0],
            joined_keys(strings, strings, native=False)[0],
        )


def test_extension_is_built() -> None:
    # The tests above compare it with the Arrow path: without it they compare the Arrow
    # path with itself. `make test` builds it with the machine's C compiler.
    assert text_keys.NATIVE, "corpus_qa.text._textkeys was not built: is a C compiler installed?"


@given(
    st.lists(
        st.one_of(
            TEXT,
            st.none(),
            # Words around the 8-, 16- and 24-byte reads, non-ASCII bytes inside them.
            st.lists(st.text(st.sampled_from("aZé😀0"), min_size=1, max_size=30), max_size=6).map(
                " ".join
            ),
        ),
        max_size=8,
    )
)
def test_word_hashes_native_equal_arrow(values: list[str | None]) -> None:
    body = pd.Series(values, dtype="str")
    words, counts = word_hashes(body, native=True)
    words_arrow, counts_arrow = word_hashes(body, native=False)
    assert counts.tolist() == counts_arrow.tolist()
    assert words.tolist() == words_arrow.tolist()


def test_word_hashes_of_every_length_up_to_the_whole_reads() -> None:
    # Each word length is loaded differently (overlapping 4-byte reads, single bytes):
    # every length from 1 to 30 bytes, with distinct bytes so a misplaced one shows.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123é"
    values = [alphabet[:n] for n in range(1, len(alphabet) + 1)]
    body = pd.Series([" ".join(values), *values], dtype="str")
    assert word_hashes(body, native=True)[0].tolist() == word_hashes(body, native=False)[0].tolist()


# Bytes whose low seven bits are ASCII whitespace but are not (U+00A0 is C2 A0, "ɉ" is
# C9 89, U+0085 is C2 85), every ASCII whitespace byte, and runs of them long enough to
# cross the 64-byte blocks the C pass reads words in.
LONG = st.lists(
    st.one_of(
        st.sampled_from([" ", "\t", "\n", "\r", "\v", "\f", "\x1c", "\u00a0", "ɉ", "\u0085"]),
        st.text(st.sampled_from(" \t\na"), min_size=60, max_size=70),
        st.text(st.sampled_from("abé😀"), min_size=1, max_size=70),
    ),
    max_size=30,
).map("".join)


@given(st.lists(st.one_of(LONG, st.none()), max_size=5))
def test_words_across_blocks_native_equal_arrow(values: list[str | None]) -> None:
    body = pd.Series(values, dtype="str")
    words, counts = word_hashes(body, native=True)
    words_arrow, counts_arrow = word_hashes(body, native=False)
    assert counts.tolist() == counts_arrow.tolist()
    assert words.tolist() == words_arrow.tolist()


def test_words_at_every_block_edge() -> None:
    # A word or a whitespace run ending at each byte around the 64- and 128-byte marks,
    # values of exactly 64 and 128 bytes, and values that are only whitespace.
    values = [
        "a" * at + " " * run + "b" * (130 - at - run) for at in range(56, 72) for run in (1, 2, 9)
    ]
    values += ["x" * 64, "y" * 128, " " * 64, " " * 65, "\n" * 128, "", " ", "a "]
    body = pd.Series(values, dtype="str")
    words, counts = word_hashes(body, native=True)
    words_arrow, counts_arrow = word_hashes(body, native=False)
    assert counts.tolist() == counts_arrow.tolist()
    assert words.tolist() == words_arrow.tolist()


def test_words_split_at_exactly_the_ascii_whitespace_bytes() -> None:
    # Each ASCII byte between two words, alone and in a run across a 16-byte lane of
    # the vector test: only space and \t-\r separate (below 9 and 14-31 do not).
    values = [f"ab{chr(c)}cd" for c in range(1, 128)]
    values += [
        ("w" * (13 + k)) + chr(c) * 4 + "z" for c in (8, 9, 13, 14, 31, 32) for k in range(6)
    ]
    body = pd.Series(values, dtype="str")
    words, counts = word_hashes(body, native=True)
    words_arrow, counts_arrow = word_hashes(body, native=False)
    assert counts.tolist() == counts_arrow.tolist()
    assert words.tolist() == words_arrow.tolist()
    assert counts[:127].tolist() == [
        2 if c in (9, 10, 11, 12, 13, 32) else 1 for c in range(1, 128)
    ]


@given(
    st.lists(st.one_of(LONG, st.text(max_size=40), st.none()), max_size=8),
    st.integers(0, 3),
)
def test_string_hashes_native_equal_arrow(values: list[str | None], skip: int) -> None:
    # Whole values (whitespace, long ones and empty ones too) as the code book hashes a
    # chunk's distinct record ids, from both string types and from a sliced array.
    for kind in (pa.string(), pa.large_string()):
        strings = pa.array(values, kind).slice(min(skip, len(values)))
        native = string_hashes(strings, native=True)
        arrow = string_hashes(strings, native=False)
        assert native.dtype == np.uint64
        assert native.tolist() == arrow.tolist()


def test_string_hashes_tell_values_of_every_length_apart() -> None:
    # Lengths 0 to 40 cross the 8-, 16- and 24-byte reads and the SipHash path beyond;
    # each value differs from the next in one byte, so a dropped byte would collide.
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789é-_#"
    values = [alphabet[:n] for n in range(len(alphabet) + 1)]
    values += [v[:-1] + "X" for v in values[1:]]
    strings = pa.array(values, pa.large_string())
    native = string_hashes(strings, native=True)
    assert native.tolist() == string_hashes(strings, native=False).tolist()
    assert len(set(native.tolist())) == len(values)


# Line keys (corpus_qa.text.keys.line_keys): the C pass's plain-line path patches
# folded letters into the word in place, so letters that fold to as many bytes are
# put at every offset of a word, and straddling two.
FOLDS = [
    "Ä",
    "ß",
    "Σ",
    "ς",
    "Ж",
    "é",
    "ẞ",
    "İ",
    "Ⅻ",
    "\u2126",
    "\u2019",
    "K\u212a",
    "ﬁ",
    "😀",
    "\u00a0",
]


def _reference_line_key(value: str) -> int:
    """The line key by its definition, in Python integers."""
    mask = (1 << 64) - 1

    def mix(x: int) -> int:
        x ^= x >> 33
        x = (x * 0xFF51AFD7ED558CCD) & mask
        x ^= x >> 33
        x = (x * 0xC4CEB9FE1A85EC53) & mask
        return x ^ (x >> 33)

    data = re.sub(r"[\t\n\v\f\r ]+", " ", value).strip(" ").casefold().encode()
    total = 0
    for j in range(0, len(data), 8):
        word = int.from_bytes(data[j : j + 8].ljust(8, b"\0"), "little")
        total = (total + mix(word ^ ((j // 8 + 1) * 0x9E3779B97F4A7C15 & mask))) & mask
    return mix(total ^ (len(data) * 0xD6E8FEB86659FD93 & mask))


def _line_values() -> list[str]:
    values = []
    for pad in range(10):
        for fold in FOLDS:
            values.append("a" * pad + fold + "Bc" * 5)
            values.append("Quote " * (pad % 3) + fold + " x" * pad + " ")
    return values


def test_line_keys_across_sixteen_byte_blocks() -> None:
    """The plain-line path's byte tests run sixteen bytes at a time: folded letters,
    capitals, doubled spaces and control characters at every offset of two blocks and
    the tail after them key as by the definition, and as the Arrow path keys them."""
    values = []
    for pad in range(40):
        for fold in [*FOLDS, "  ", "\t", "\x0b", "Z", "@", "["]:
            values.append("Ab" * (pad // 2) + "x" * (pad % 2) + fold + "Quote Ünd" * 3)
    strings = pa.array(values, type=pa.large_string())
    native = text_keys.line_keys(strings, 1, native=True)
    arrow = text_keys.line_keys(strings, 1, native=False)
    assert native[1].tolist() == arrow[1].tolist()
    assert native[1].tolist() == [_reference_line_key(v) for v in values]
    _same(
        split_paragraphs(strings, 1, 20, native=True, lines=True),
        split_paragraphs(strings, 1, 20, native=False, lines=True),
    )


@given(st.lists(st.one_of(TEXT, st.sampled_from(_line_values()), st.none()), max_size=12))
def test_line_keys_native_equal_arrow(values: list[str | None]) -> None:
    strings = pa.array(values, type=pa.large_string())
    for min_chars in (0, 1, 9):
        native = text_keys.line_keys(strings, min_chars, native=True)
        arrow = text_keys.line_keys(strings, min_chars, native=False)
        assert native[0].tolist() == arrow[0].tolist()
        assert native[1].tolist() == arrow[1].tolist()
    _same(
        split_paragraphs(strings, 1, 20, native=True, lines=True),
        split_paragraphs(strings, 1, 20, native=False, lines=True),
    )


def test_line_keys_follow_their_definition() -> None:
    values = [v for v in _line_values() if "ﬁ" not in v and "İ" not in v] + ["", "a", "x" * 64]
    keep, keys = text_keys.line_keys(pa.array(values, pa.large_string()))
    assert keep.all()
    assert keys.tolist() == [_reference_line_key(v) for v in values]
    assert text_keys.mixed_keys(pa.array(["ab"], pa.large_string())).tolist() == [
        _reference_line_key("ab")
    ]


def test_line_keys_tell_moved_words_and_padding_apart() -> None:
    values = ["abcdefgh12345678", "12345678abcdefgh", "abcdefgh", "abcdefgh\0", "ABCDEFGH"]
    keys = text_keys.line_keys(pa.array(values, pa.large_string()))[1].tolist()
    assert len(set(keys[:4])) == 4
    assert keys[2] == keys[4]
