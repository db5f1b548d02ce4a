"""The closing lines of text values, read from their ends without copying the column.

Checks that look at a body's last lines (``boilerplate.bio``) need a few hundred
characters of each body. Slicing the column's tails in Arrow copies a window of four
bytes per character wanted (a character is up to four UTF-8 bytes), which for news
bodies is most of the text, and taking the bylined rows first copies it again: fresh
memory for every chunk, costlier than the check itself. :func:`closing_lines` reads
each value's last bytes from the column's own buffer instead, widening the window
only when the lines wanted run past it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.text import keys as text_keys
from corpus_qa.text.chunk_caches import per_chunk
from corpus_qa.text.keys import arrow_strings, offsets_and_data
from corpus_qa.text.paragraphs import Paragraphs, split_paragraphs

#: Bytes read first from the end of a value; four times more each time that falls short.
_WINDOW = 2048


@dataclass(frozen=True)
class Closing:
    """A value's closing lines: ``text`` is its suffix from the start of a line."""

    text: str
    #: Where ``text`` starts in the value, in UTF-8 bytes.
    byte: int


def closing_starts(
    values: pd.Series | pa.Array | pa.ChunkedArray,
    rows: np.ndarray,
    count: int,
    *,
    native: bool = text_keys.NATIVE,
) -> np.ndarray:
    """Per position in ``rows``, the UTF-8 byte of that value where the line of its
    ``count``-th last non-blank line starts (blank: ``str.isspace`` or empty), or 0
    when it has no more non-blank lines than that; missing values are empty. Lines are
    split at ``\\n`` only, as :func:`str.split` does. The C pass and the Python
    loop give the same (tests/test_lines.py)."""
    offsets, data = offsets_and_data(arrow_strings(values))
    at = np.ascontiguousarray(rows, dtype=np.int64)
    if native and text_keys.textkeys is not None:
        starts = np.empty(len(at), dtype=np.int64)
        text_keys.textkeys.closing_starts(offsets, data, at, count, starts)
        return starts
    found = np.zeros(len(at), dtype=np.int64)
    for k, row in enumerate(at.tolist()):
        first, stop = int(offsets[row]), int(offsets[row + 1])
        size = _WINDOW
        while True:
            low = max(first, stop - size)
            cut = _line_cut(data[low:stop].tobytes(), count, whole=low == first)
            if cut >= 0:
                break
            size *= 4
        found[k] = low + cut - first
    return found


def tails_holding(
    values: pd.Series | pa.Array | pa.ChunkedArray,
    rows: np.ndarray,
    starts: np.ndarray,
    codes: np.ndarray,
    needles: list[tuple[bytes, ...]],
    *,
    native: bool = text_keys.NATIVE,
) -> np.ndarray:
    """Per position in ``rows``: whether that value's UTF-8 from its byte ``starts[k]``
    to its end holds one of ``needles[codes[k]]`` (``codes[k] < 0``: none). Missing
    values are empty. The C pass (``memchr`` to each needle's first byte) and the
    Python loop give the same (tests/test_lines.py)."""
    offsets, data = offsets_and_data(arrow_strings(values))
    at = np.ascontiguousarray(rows, dtype=np.int64)
    begin = np.ascontiguousarray(starts, dtype=np.int64)
    code = np.ascontiguousarray(codes, dtype=np.int64)
    if native and text_keys.textkeys is not None:
        flat = [needle for group in needles for needle in group]
        group_starts = np.zeros(len(needles) + 1, dtype=np.int64)
        np.cumsum([len(group) for group in needles], out=group_starts[1:])
        needle_offsets = np.zeros(len(flat) + 1, dtype=np.int64)
        np.cumsum([len(needle) for needle in flat], out=needle_offsets[1:])
        needle_data = np.frombuffer(b"".join(flat) or b"\0", dtype=np.uint8)
        held = np.zeros(len(at), dtype=np.uint8)
        text_keys.textkeys.tails_holding(
            offsets, data, at, begin, code, group_starts, needle_offsets, needle_data, held
        )
        return held.astype(bool)
    found = np.zeros(len(at), dtype=bool)
    picked = zip(at.tolist(), begin.tolist(), code.tolist(), strict=True)
    for k, (row, first, group) in enumerate(picked):
        if group < 0:
            continue
        tail = data[int(offsets[row]) + first : int(offsets[row + 1])].tobytes()
        found[k] = any(needle in tail for needle in needles[group])
    return found


def closing_lines(
    values: pd.Series | pa.Array | pa.ChunkedArray,
    rows: np.ndarray,
    count: int,
    *,
    native: bool = text_keys.NATIVE,
) -> list[Closing]:
    """Per position in ``rows``, the suffix of that value from
    :func:`closing_starts`."""
    offsets, data = offsets_and_data(arrow_strings(values))
    starts = closing_starts(values, rows, count, native=native)
    return [
        Closing(data[int(offsets[r]) + b : int(offsets[r + 1])].tobytes().decode("utf-8"), b)
        for r, b in zip(np.asarray(rows, dtype=np.int64).tolist(), starts.tolist(), strict=True)
    ]


def _line_cut(window: bytes, count: int, *, whole: bool) -> int:
    """Where in ``window`` (a value's end) the line of its ``count``-th last non-blank
    line starts; 0 when ``window`` is the ``whole`` value and has fewer; -1 when it
    is not and has fewer (a line may run on before the window)."""
    pos, seen = len(window), 0
    while True:
        newline = window.rfind(b"\n", 0, pos)
        # Starts after a newline (or at the value's start) and ends at one or at the
        # value's end: whole characters.
        if (newline >= 0 or whole) and window[newline + 1 : pos].decode("utf-8").strip():
            seen += 1
            if seen >= count:
                return newline + 1
        if newline < 0:
            return 0 if whole else -1
        pos = newline


def chars_before(values: pd.Series | pa.Array | pa.ChunkedArray, row: int, byte: int) -> int:
    """How many characters of the value at ``row`` precede its UTF-8 byte ``byte``."""
    offsets, data = offsets_and_data(arrow_strings(values))
    head = data[int(offsets[row]) : int(offsets[row]) + byte]
    return int(np.count_nonzero((head & 0xC0) != 0x80))


@dataclass(frozen=True)
class _Split:
    #: Held, so while it is cached no other array can have its buffers' addresses:
    #: equal addresses are the same (immutable) values.
    column: pa.ChunkedArray
    identity: tuple[object, ...]
    evidence_chars: int
    #: The shortest line kept, in normalized characters.
    min_chars: int
    lines: Paragraphs
    #: Narrowed views already given, by (min_chars, evidence_chars): the headline
    #: check and both card screens ask for the same one.
    narrowed: dict[tuple[int, int], Paragraphs] = field(default_factory=dict)


#: The last body column split into lines: ``boilerplate.recurring`` and
#: ``boilerplate.foreign_headline`` read the same chunk's body lines.
_LAST: list[_Split] = per_chunk([])
#: The longest evidence asked for so far: later chunks are split for it at once.
_WIDEST = [0]
#: The shortest line asked for so far (lines always have one character): likewise.
_SHORTEST = [0]


def body_lines(
    bodies: pd.Series, min_chars: int, evidence_chars: int, *, wider: bool = False
) -> Paragraphs:
    """:func:`~corpus_qa.text.paragraphs.split_paragraphs` of ``bodies`` at every line
    (``lines=True``), the lines of at least ``min_chars`` normalized characters, with
    their first ``evidence_chars`` characters as evidence.

    One split a chunk serves every check that asks: the column is split once (the
    shortest lines and the longest evidence asked for) and each caller gets its filter
    of it, equal to splitting with its own arguments (tests/test_lines.py). The arrays
    are shared: read-only. With ``wider``, the evidence may hold more characters than
    asked (the split's own, not a shorter copy of it): for a caller that cuts it later.
    """
    min_chars = max(min_chars, 1)
    _WIDEST[0] = max(_WIDEST[0], evidence_chars)
    _SHORTEST[0] = min(_SHORTEST[0] or min_chars, min_chars)
    column = getattr(bodies.array, "_pa_array", None)
    if not isinstance(column, pa.ChunkedArray):
        return split_paragraphs(bodies, min_chars, evidence_chars, lines=True)
    identity = tuple(
        (chunk.offset, len(chunk), *(0 if b is None else b.address for b in chunk.buffers()))
        for chunk in column.chunks
    )
    held = next(
        (
            s
            for s in _LAST
            if s.identity == identity
            and s.evidence_chars >= evidence_chars
            and s.min_chars <= min_chars
        ),
        None,
    )
    if held is None:
        split = split_paragraphs(bodies, _SHORTEST[0], _WIDEST[0], lines=True)
        for array in (split.row, split.position, split.start, split.end, split.keys, split.chars):
            array.setflags(write=False)
        held = _Split(column, identity, _WIDEST[0], _SHORTEST[0], split)
        _LAST[:] = [held]
    wanted = (min_chars, held.evidence_chars if wider else evidence_chars)
    if wanted not in held.narrowed:
        narrowed = _narrowed(held, *wanted)
        for array in (narrowed.row, narrowed.position, narrowed.start, narrowed.end):
            array.setflags(write=False)
        narrowed.keys.setflags(write=False)
        narrowed.chars.setflags(write=False)
        held.narrowed[wanted] = narrowed
    return held.narrowed[wanted]


def _narrowed(
    held: _Split, min_chars: int, evidence_chars: int, *, native: bool = text_keys.NATIVE
) -> Paragraphs:
    split = held.lines
    if min_chars <= held.min_chars and evidence_chars >= held.evidence_chars:
        return split
    if min_chars > held.min_chars:
        keep = split.chars >= min_chars
    else:
        keep = np.ones(len(split.row), dtype=bool)
    narrower = evidence_chars < held.evidence_chars
    if keep.all() and not narrower:
        # Every line is long enough (often: lines shorter than a headline are rare):
        # the split itself, no copy of its arrays or its evidence.
        return split
    if native and text_keys.textkeys is not None and narrower:
        # The kept lines' shorter evidence in one C pass: the filter and the slice
        # would each copy it.
        evidence = prefixes(split.evidence, np.flatnonzero(keep), evidence_chars)
    else:
        evidence = split.evidence.filter(pa.array(keep))
        if narrower:
            # Filtered first: the slice then copies only the lines kept.
            evidence = pc.utf8_slice_codeunits(evidence, 0, evidence_chars)
    return Paragraphs(
        split.row[keep],
        split.position[keep],
        split.start[keep],
        split.end[keep],
        split.keys[keep],
        evidence,
        split.chars[keep],
    )


def prefixes(strings: pa.Array, rows: np.ndarray, chars: int) -> pa.Array:
    """The first ``chars`` code points of ``strings`` at ``rows``, as
    ``pc.utf8_slice_codeunits(strings.take(rows), 0, chars)`` gives them (C pass,
    tests/test_lines.py); a large_string array."""
    offsets, data = offsets_and_data(arrow_strings(strings))
    at = np.ascontiguousarray(rows, dtype=np.int64)
    if text_keys.textkeys is None:
        taken = arrow_strings(strings).take(pa.array(at))
        return pc.utf8_slice_codeunits(taken, 0, chars).cast(pa.large_string())
    out_offsets = np.empty(len(at) + 1, dtype=np.int64)
    size = int((offsets[at + 1] - offsets[at]).sum()) if len(at) else 0
    out_data = np.empty(size, dtype=np.uint8)
    used = text_keys.textkeys.prefixes(offsets, data, at, chars, out_offsets, out_data)
    return pa.LargeStringArray.from_buffers(
        len(at), pa.py_buffer(out_offsets), pa.py_buffer(out_data[:used])
    )
