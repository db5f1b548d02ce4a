"""The nesting screen's C pass (``line_openings``) against its numpy fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from corpus_qa.ingest import depth
from corpus_qa.ingest.depth import bracket_positions, deep_lines

pytestmark = pytest.mark.skipif(depth.textkeys is None, reason="built without the C extension")

# JSON-ish pieces: brackets in and out of strings, escaped quotes and backslashes,
# newlines, multi-byte UTF-8 and the bytes one bit away from "{" and "[" ("k", ";").
_PIECES = st.sampled_from(
    [
        b"{",
        b"[",
        b"}",
        b"]",
        b'"',
        b'\\"',
        b"\\\\",
        b'"[{\\"',
        b"\n",
        b"\n\n",
        b"a",
        b" ",
        b"k",
        b";",
        b"K",
        b"\x7b\x5b",
        b"\xc3\xa9",
        b"\xff",
        b"0123456789abcdef",
        b"\r\n",
    ]
)
_BLOCKS = st.one_of(
    st.lists(_PIECES, max_size=120).map(b"".join),
    st.binary(max_size=300),
)


def _same(block: bytes) -> tuple[np.ndarray, np.ndarray]:
    native = bracket_positions(block)
    fallback = bracket_positions(block, window=37, native=False)
    for ours, theirs in zip(native, fallback, strict=True):
        assert ours.dtype == theirs.dtype == np.int64
        assert ours.tolist() == theirs.tolist()
    return native


@given(_BLOCKS)
@example(b"")
@example(b"\n")
@example(b"{" * 15 + b"\n" + b"[" * 17)  # a newline and openings at a lane's edge
@example(b"x" * 16 + b"\n" * 16 + b"{" * 16)
def test_line_openings_is_the_numpy_pass_bit_for_bit(block: bytes) -> None:
    counts, newlines = _same(block)
    assert len(counts) == len(newlines) + 1
    assert newlines.tolist() == [i for i, byte in enumerate(block) if byte == 0x0A]
    lines = block.split(b"\n")
    assert counts.tolist() == [line.count(b"{") + line.count(b"[") for line in lines]


@given(
    st.lists(st.lists(_PIECES, max_size=40).map(b"".join), min_size=1, max_size=6),
    st.integers(0, 8),
)
def test_deep_lines_agree_native_or_not(lines: list[bytes], max_depth: int) -> None:
    block = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    native = deep_lines(block, max_depth)
    fallback = deep_lines(block, max_depth, positions=bracket_positions(block, native=False))
    assert native == fallback


def test_a_generated_dump_is_screened_alike(synthetic_dump: Path) -> None:
    """Generated articles (the planted defects included), as one range."""
    block = synthetic_dump.read_bytes()
    counts, newlines = _same(block)
    assert len(newlines) == 2000 and counts[:-1].min() >= 1 and counts[-1] == 0
    assert deep_lines(block, 3) == deep_lines(
        block, 3, positions=bracket_positions(block, native=False)
    )
