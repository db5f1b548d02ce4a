"""Content keys and the Arrow text normalization behind the global checks' states."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.text.keys import (
    _FOLD_IN_PYTHON,
    FOLD_DIFFERS,
    _may_fold_in_python,
    casefold,
    collapse,
    content_keys,
    fold_keys,
    needs_collapse,
    string_keys,
)

# Any text Arrow can hold (no lone surrogates), with case-heavy and whitespace-heavy
# characters drawn often.
TEXT = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from("ßẞΣσςİıµſﬁ\u0345ΐ\u13a0\uab70 \t\n\r\v\fAaZz"),
    ),
    max_size=40,
)


def _differs() -> str:
    """Regenerate FOLD_DIFFERS: every code point Arrow lower-cases unlike ``casefold``."""
    points = np.arange(0x80, 0x110000, dtype=np.uint32)
    points = points[(points < 0xD800) | (points > 0xDFFF)]
    chars = points.astype("<u4").tobytes().decode("utf-32-le")
    lowered = pc.utf8_lower(pa.array(list(chars))).to_pylist()
    ranges: list[list[int]] = []
    for char, low in zip(chars, lowered, strict=True):
        if char.casefold() == low:
            continue
        if ranges and ranges[-1][1] == ord(char) - 1:
            ranges[-1][1] = ord(char)
        else:
            ranges.append([ord(char), ord(char)])
    parts = [f"\\x{{{a:X}}}" + ("" if a == b else f"-\\x{{{b:X}}}") for a, b in ranges]
    return "[" + "".join(parts) + "]"


def test_fold_table_matches_this_python_and_pyarrow() -> None:
    assert _differs() == FOLD_DIFFERS, "regenerate hashing.FOLD_DIFFERS with _differs()"


@given(st.lists(TEXT, max_size=8))
def test_casefold_is_python_casefold(values: list[str]) -> None:
    folded = casefold(pa.array(values, type=pa.large_string())).to_pylist()
    assert folded == [v.casefold() for v in values]


def test_python_fold_screen_flags_every_code_point_of_the_table() -> None:
    # Each code point Arrow lower-cases unlike casefold (but ß), alone and amid text.
    points = [
        chr(p)
        for low, high in re.findall(r"\\x\{([0-9A-F]+)\}(?:-\\x\{([0-9A-F]+)\})?", _FOLD_IN_PYTHON)
        for p in range(int(low, 16), int(high or low, 16) + 1)
    ]
    assert len(points) > 100
    values = [*points, *(f"Grüße „{c}“ 한국어 {c}" for c in points)]
    assert _may_fold_in_python(pa.array(values, type=pa.large_string())).all()


@given(st.lists(TEXT, max_size=8))
def test_python_fold_screen_never_misses(values: list[str]) -> None:
    strings = pa.array(values, type=pa.large_string())
    found = np.asarray(pc.match_substring_regex(strings, _FOLD_IN_PYTHON), dtype=bool)
    assert not (found & ~_may_fold_in_python(strings)).any()


@given(st.lists(TEXT, max_size=8), st.integers(0, 6))
def test_fold_keys_are_keys_of_casefold(values: list[str], min_chars: int) -> None:
    # Keyed in parts (ASCII, wider): the same keep mask and keys, in order, as keying
    # the whole folded column.
    keep, keys = fold_keys(pa.array(values, type=pa.large_string()), min_chars)
    folded = [v.casefold() for v in values]
    assert keep.tolist() == [len(f) >= min_chars for f in folded]
    kept = [f for f in folded if len(f) >= min_chars]
    assert keys.tolist() == string_keys(pa.array(kept, type=pa.large_string())).tolist()


@given(st.lists(TEXT, max_size=8))
def test_collapse_is_ascii_whitespace_runs_to_one_space(values: list[str]) -> None:
    expected = [re.sub(r"[\t\n\v\f\r ]+", " ", v).strip(" ") for v in values]
    assert collapse(pd.Series(values, dtype="str")).to_pylist() == expected


@given(st.lists(TEXT, max_size=8))
def test_string_keys_are_pandas_keys(values: list[str]) -> None:
    # The same keys hash_pandas_object gives, so states of earlier runs still compare.
    series = pd.Series(values, dtype="str")
    expected = pd.util.hash_pandas_object(series, index=False).to_numpy()
    assert string_keys(pa.array(values, type=pa.large_string())).tolist() == expected.tolist()


@given(st.lists(st.tuples(TEXT, TEXT), max_size=8))
def test_content_keys_equal_exactly_when_the_joined_texts_are(rows: list[tuple[str, str]]) -> None:
    titles = pa.array([t for t, _ in rows], type=pa.large_string())
    bodies = pa.array([b for _, b in rows], type=pa.large_string())
    keys = content_keys([titles, bodies]).tolist()
    joined = [f"{t}\0{b}" for t, b in rows]
    for i in range(len(rows)):
        for j in range(len(rows)):
            assert (keys[i] == keys[j]) == (joined[i] == joined[j])


def test_content_keys_are_deterministic_and_nulls_hash_as_empty() -> None:
    title = pa.array(["Title", None, ""], type=pa.large_string())
    body = pa.array(["Body", "x", None], type=pa.large_string())
    keys = content_keys([title, body])
    assert keys.dtype == np.uint64
    again = content_keys([pa.array(["Title", "", ""]), pa.array(["Body", "x", ""])])
    assert keys.tolist() == again.tolist()
    assert len(set(keys.tolist())) == 3


@given(st.lists(TEXT, max_size=8), st.integers(0, 3))
def test_needs_collapse_flags_every_value_collapse_changes(values: list[str], skip: int) -> None:
    # Sliced arrays too: the data and offsets buffers then start mid-way.
    strings = pa.array(["  x  ", *values], type=pa.large_string()).slice(min(skip, 1))
    need = needs_collapse(strings).tolist()
    for value, flagged in zip(strings.to_pylist(), need, strict=True):
        if re.search(r"[\t\n\v\f\r]| {2}", value):
            assert flagged, value


def test_needs_collapse_leaves_clean_values_alone() -> None:
    values = ["Ein Absatz über Übersee.", "", "a b c", " lead", "trail ", "한국어 문장", "x"]
    need = needs_collapse(pa.array(values, type=pa.large_string())).tolist()
    assert need == [False] * len(values)
    assert needs_collapse(
        pa.array(["a\u00a0\u2003b", "a\tb", "a  b"], pa.large_string())
    ).tolist() == [
        False,
        True,
        True,
    ]


@given(st.lists(TEXT, max_size=8))
def test_collapse_of_bodies_is_the_same_as_of_paragraphs(values: list[str]) -> None:
    # Both paths: paragraph breaks replaced first, or not; most values needing it, or few.
    series = pd.Series(values, dtype="str")
    assert collapse(series).to_pylist() == collapse(series, rare=True).to_pylist()
