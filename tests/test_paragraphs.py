"""Bodies split into keyed paragraphs: the C pass and the Arrow path agree exactly."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.text.paragraphs import Paragraphs, split_paragraphs

PIECES = st.sampled_from(
    [
        "Ein Absatz über Übersee, lang genug.",
        "A plain ASCII paragraph that runs past eight bytes",
        "ΣΊΣΥΦΟΣ und Straße",
        "ﬁne ligatures defer",
        "😀 emoji and 𠀋 beyond the table",
        "short",
        "",
        " \t ",
        "\n",
        "line\nbreak inside",
        "한국어 문단입니다",
    ]
)
BREAKS = st.sampled_from(["\n\n", "\n\n\n", "\n\n\n\n", "\n", " \n\n "])
BODY = st.lists(st.tuples(PIECES, BREAKS), max_size=6).map(
    lambda parts: "".join(p + b for p, b in parts)
)
BODIES = st.lists(st.one_of(BODY, st.text(max_size=30), st.none()), max_size=6)


def _same(a: Paragraphs, b: Paragraphs) -> None:
    for name in ("row", "position", "start", "end", "keys", "chars"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert a.evidence.to_pylist() == b.evidence.to_pylist()


@given(BODIES, st.integers(0, 40), st.integers(0, 30), st.booleans())
def test_native_split_equals_arrow_split(
    bodies: list[str | None], min_chars: int, evidence_chars: int, lines: bool
) -> None:
    strings = pa.array(bodies, type=pa.large_string())
    _same(
        split_paragraphs(strings, min_chars, evidence_chars, native=True, lines=lines),
        split_paragraphs(strings, min_chars, evidence_chars, native=False, lines=lines),
    )


@given(BODIES, st.booleans())
def test_pieces_span_their_text(bodies: list[str | None], lines: bool) -> None:
    found = split_paragraphs(pa.array(bodies, pa.large_string()), 1, 1000, lines=lines)
    for row, start, end, evidence in zip(
        found.row, found.start, found.end, found.evidence.to_pylist(), strict=True
    ):
        body = bodies[row] or ""
        assert body[start:end] == evidence
        assert ("\n" in evidence) == (not lines and "\n" in body[start:end])


def test_lines_of_one_paragraph_share_its_position() -> None:
    body = "Title line\nSecond line of it\n\nNext paragraph\nand its line"
    found = split_paragraphs(pa.array([body], pa.large_string()), 1, 100, lines=True)
    assert found.position.tolist() == [0, 0, 1, 1]
    assert found.evidence.to_pylist() == body.replace("\n\n", "\n").split("\n")


def test_paragraphs_carry_their_place_and_evidence() -> None:
    body = "Erster Absatz über nichts.\n\n\nZweiter, mit Straße.\n\nkurz"
    found = split_paragraphs(pa.array([None, body], pa.large_string()), 10, 8, native=True)
    assert found.row.tolist() == [1, 1]
    assert found.position.tolist() == [0, 1]
    # The second paragraph starts after the first and one "\n\n"; the third "\n" is its.
    assert found.start.tolist() == [0, len("Erster Absatz über nichts.") + 2]
    assert found.evidence.to_pylist() == ["Erster A", "\nZweiter"]


def test_sliced_arrays_split_from_their_own_offsets() -> None:
    bodies = pa.array(["skip me please\n\nnot this", "Kept paragraph one\n\nkept two ok"])
    found = split_paragraphs(bodies.slice(1), 5, 120, native=True)
    assert found.row.tolist() == [0, 0]
    assert found.evidence.to_pylist() == ["Kept paragraph one", "kept two ok"]
    _same(found, split_paragraphs(bodies.slice(1), 5, 120, native=False))


@given(BODIES, st.integers(0, 40), st.booleans())
def test_a_higher_min_chars_keeps_the_lines_with_that_many_chars(
    bodies: list[str | None], min_chars: int, native: bool
) -> None:
    strings = pa.array(bodies, pa.large_string())
    every = split_paragraphs(strings, 1, 50, native=native, lines=True)
    kept = split_paragraphs(strings, min_chars, 50, native=native, lines=True)
    wanted = every.chars >= min_chars
    for name in ("row", "position", "start", "end", "keys", "chars"):
        assert getattr(every, name)[wanted].tolist() == getattr(kept, name).tolist(), name
    assert (kept.chars >= max(min_chars, 1)).all()
