"""Closing lines read from the buffer, and the one line split a chunk's checks share:
each equals its plain per-row definition."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.checks.builtin import bio
from corpus_qa.text import lines
from corpus_qa.text.keys import NATIVE
from corpus_qa.text.lines import body_lines, closing_lines, closing_starts
from corpus_qa.text.paragraphs import split_paragraphs

NAMES = ("Jane Doe", "Anna Weber", "Jürgen Groß")
LINES = st.sampled_from(
    [
        "Jane Doe is a staff writer covering city hall.",
        "Anna Weber schreibt seit 2015 über Wirtschaft.",
        "• Jürgen Groß ist Redakteur im Ressort Politik.",
        "The council approved the budget on Tuesday after a long debate.",
        "Jane Doe said the plan would cost more than expected.",
        "",
        "a",
        " Ok ",
        " \t ",
        "\u00a0\u3000",  # blank to str.isspace, not to bytes.strip
        "\x1c\u0085 \u2028\u2029\u202f\u205f\u1680\u2000\u200a",  # blank too
        "\u200b",  # a zero-width space is no whitespace to str.isspace
        "\u2007x\u2030",  # whitespace beside neighbours of whitespace code points
        "한국어 문단입니다 Jane Doe is a reporter",
        "x" * 700,
        "Straße " * 150,
        "Anna Weber is a reporter. " + "word " * 300,
    ]
)
BODY = st.lists(LINES, max_size=8).map("\n".join)
BODIES = st.lists(st.one_of(BODY, st.none()), min_size=1, max_size=6)


@given(BODIES, st.integers(1, 3), st.booleans())
def test_closing_lines_are_the_values_last_lines(
    bodies: list[str | None], count: int, native: bool
) -> None:
    rows = list(range(len(bodies)))
    closing = closing_lines(pd.Series(bodies, dtype="str"), rows, count, native=native)
    for row, found in zip(rows, closing, strict=True):
        text = bodies[row] or ""
        assert text.encode()[found.byte :].decode() == found.text
        assert text.endswith(found.text)
        whole = len(found.text) == len(text)
        assert whole or text[len(text) - len(found.text) - 1] == "\n"
        kept = [line for line in found.text.split("\n") if line.strip()]
        # Exactly the last `count` non-blank lines, or all of them from the start.
        assert len(kept) == count or (whole and len(kept) <= count)
        assert whole or found.text.split("\n")[0].strip()


@given(BODIES, st.integers(1, 3), st.lists(st.integers(0, 5), max_size=8))
def test_native_closing_starts_equal_python(
    bodies: list[str | None], count: int, picks: list[int]
) -> None:
    values = pd.Series(bodies, dtype="str")
    rows = np.array([p % len(bodies) for p in picks], dtype=np.int64)
    python = closing_starts(values, rows, count, native=False)
    if NATIVE:
        assert closing_starts(values, rows, count, native=True).tolist() == python.tolist()


NEEDLES = st.lists(
    st.lists(
        st.one_of(
            st.sampled_from(["", "Jane Doe", "Groß", "ß", "a", "x" * 600, "\n"]).map(str.encode),
            st.binary(max_size=4),
        ),
        max_size=3,
    ).map(tuple),
    min_size=1,
    max_size=4,
)


@given(
    BODIES,
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3000), st.integers(-1, 3)), max_size=8),
    NEEDLES,
)
def test_native_tails_holding_equals_python(
    bodies: list[str | None],
    picks: list[tuple[int, int, int]],
    needles: list[tuple[bytes, ...]],
) -> None:
    values = pd.Series(bodies, dtype="str")
    rows = np.array([r % len(bodies) for r, _, _ in picks], dtype=np.int64)
    sizes = [len((bodies[r] or "").encode()) for r in rows.tolist()]
    # A start anywhere in the value, its end included.
    starts = np.array([s % (n + 1) for (_, s, _), n in zip(picks, sizes, strict=True)], np.int64)
    codes = np.array([-1 if c < 0 else c % len(needles) for _, _, c in picks], dtype=np.int64)
    python = lines.tails_holding(values, rows, starts, codes, needles, native=False)
    expected = [
        code >= 0 and any(n in (bodies[row] or "").encode()[start:] for n in needles[code])
        for row, start, code in zip(rows.tolist(), starts.tolist(), codes.tolist(), strict=True)
    ]
    assert python.tolist() == expected
    if NATIVE:
        native = lines.tails_holding(values, rows, starts, codes, needles, native=True)
        assert native.tolist() == expected


def _bio_by_tail(bylines: list[str], bodies: list[str | None]) -> list[tuple[int, int, int]]:
    """boilerplate.bio per row as first written: the last 1,200 characters of each body."""
    found = []
    for row, (writer, body) in enumerate(zip(bylines, bodies, strict=True)):
        text = body or ""
        end = text[-bio._BIO_CHARS * 2 :]
        if not writer or not any(n in end for n in bio._names(writer)):
            continue
        span = bio.bio_line(end, writer, bio._verb_pattern())
        if span is not None:
            shift = len(text) - len(end)
            found.append((row, span[0] + shift, span[1] + shift))
    return found


@given(st.lists(st.tuples(st.sampled_from(["", *NAMES, "Tom Berg; Anna Weber"]), BODY), max_size=8))
def test_bio_equals_its_per_row_definition(rows: list[tuple[str, str]]) -> None:
    bylines = [b for b, _ in rows]
    bodies: list[str | None] = [t for _, t in rows]
    articles = pd.DataFrame({"byline": bylines, "body": bodies}, dtype="str")
    hits = bio.TrailingBio().run(articles, pd.DataFrame())
    found = list(zip(hits["row"], hits["start"], hits["end"], strict=True))
    assert found == _bio_by_tail(bylines, bodies)


def test_a_bio_after_long_lines_is_found_where_it_stands() -> None:
    bio_line = "Anna Weber ist Redakteurin im Ressort Wirtschaft."
    body = "Straße " * 400 + "\n\n" + bio_line + "\n \u3000\n"
    hits = bio.TrailingBio().run(
        pd.DataFrame({"byline": ["Anna Weber"], "body": [body]}, dtype="str"), pd.DataFrame()
    )
    assert [body[s:e] for s, e in zip(hits["start"], hits["end"], strict=True)] == [bio_line]
    assert sitetext.lines(body)[-1] == (int(hits["start"][0]), int(hits["end"][0]))


MIN_CHARS = st.one_of(st.sampled_from([0, 1, 2, 10, 20]), st.integers(0, 30))
EVIDENCE = st.one_of(st.sampled_from([0, 120, 161]), st.integers(0, 200))
ASKS = st.lists(st.tuples(MIN_CHARS, EVIDENCE), min_size=1, max_size=4)


@given(BODIES, ASKS)
def test_shared_line_split_equals_each_callers_own(
    bodies: list[str | None], asks: list[tuple[int, int]]
) -> None:
    series = pd.Series(bodies, dtype="str")
    strings = pa.array(bodies, pa.large_string())
    for min_chars, evidence_chars in asks:
        shared = body_lines(series, min_chars, evidence_chars)
        own = split_paragraphs(strings, min_chars, evidence_chars, lines=True)
        for name in ("row", "position", "start", "end", "keys", "chars"):
            assert getattr(shared, name).tolist() == getattr(own, name).tolist(), name
        assert shared.evidence.to_pylist() == own.evidence.to_pylist()


@given(
    st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=8),
    st.lists(st.integers(0, 7), max_size=10),
    st.integers(0, 200),
)
def test_native_prefixes_equal_arrows_slice(
    values: list[str], picks: list[int], chars: int
) -> None:
    strings = pa.array(values, pa.large_string())
    rows = np.asarray([p for p in picks if p < len(values)], dtype=np.int64)
    found = lines.prefixes(strings, rows, chars)
    sliced = pc.utf8_slice_codeunits(strings.take(pa.array(rows, pa.int64())), 0, chars)
    assert found.type == pa.large_string()
    assert found.to_pylist() == sliced.to_pylist()
    assert found.to_pylist() == [values[r][:chars] for r in rows.tolist()]


@given(
    BODIES,
    st.sampled_from([1, 10]),
    st.sampled_from([(20, 120), (10, 161), (10, 40), (30, 161)]),
    st.booleans(),
)
def test_narrowed_views_equal_with_and_without_the_c_pass(
    bodies: list[str | None], shortest: int, ask: tuple[int, int], native: bool
) -> None:
    series = pd.Series(bodies, dtype="str")
    held_split = lines.split_paragraphs(series, shortest, 161, lines=True, native=native)
    column = pa.chunked_array([pa.array([], pa.string())])
    held = lines._Split(column, (), 161, shortest, held_split)
    view = lines._narrowed(held, *ask, native=native)
    own = split_paragraphs(pa.array(bodies, pa.large_string()), *ask, lines=True, native=False)
    for name in ("row", "position", "start", "end", "keys", "chars"):
        assert getattr(view, name).tolist() == getattr(own, name).tolist(), name
    assert view.evidence.to_pylist() == own.evidence.to_pylist()


def _lines_by_strip(text: str) -> list[tuple[int, int]]:
    """The site-text checks' line spans as first written: each line stripped with
    ``_strip``'s character loop."""
    spans = []
    at = 0
    for line in text.split("\n"):
        start, end = sitetext._strip(text, at, at + len(line))
        if end > start:
            spans.append((start, end))
        at += len(line) + 1
    return spans


@given(st.one_of(BODY, st.text(alphabet=" \t\r\n\x0b\x0c\x1c\x85\xa0\u2028\u3000ab", max_size=30)))
def test_site_text_lines_equal_their_stripped_definition(text: str) -> None:
    assert sitetext.lines(text) == _lines_by_strip(text)
