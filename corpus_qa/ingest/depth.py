"""JSON nesting depth, screened before any C parser sees a line.

pyarrow's JSON reader recurses per level and crashes the process (SIGSEGV) on lines
nested some thousands deep. :func:`deep_lines` finds the lines of a block that may
pass ``max_depth`` (a line cannot nest deeper than it has opening brackets: counting
those is one pass, in C or vectorized), and :func:`json_depth` measures each such line exactly
(brackets inside strings do not count).
"""

from __future__ import annotations

import re

import numpy as np

try:
    from corpus_qa.text import _textkeys as textkeys
except ImportError:  # built without a C compiler: the numpy pass alone
    textkeys = None  # type: ignore[assignment]

#: A JSON string literal (escapes included): its brackets are text, not nesting.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPEN = np.frombuffer(b"{[", dtype=np.uint8)
_CLOSE = np.frombuffer(b"}]", dtype=np.uint8)


def json_depth(line: bytes) -> int:
    """Deepest bracket nesting of one JSON text (an unclosed string ends the scan)."""
    bare = _STRING.sub(b"", line)
    unclosed = bare.find(b'"')  # whole strings are gone: this one never ends
    if unclosed >= 0:
        bare = bare[:unclosed]
    raw = np.frombuffer(bare, dtype=np.uint8)
    step = np.isin(raw, _OPEN).astype(np.int32) - np.isin(raw, _CLOSE).astype(np.int32)
    return max(0, int(np.cumsum(step).max())) if len(step) else 0


def bracket_positions(
    block: bytes, window: int = 1 << 18, *, native: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Per line of ``block`` (split at ``\\n``: one more than its newlines) how many
    opening brackets it holds, and the positions of the newlines: what
    :func:`deep_lines` counts, and the newlines the JSONL reader needs too. One pass in
    C when the extension is built (``native``), else numpy ``window`` bytes at a time:
    the same arrays either way."""
    if native and textkeys is not None:
        ends, openings = textkeys.line_openings(block)
        return np.frombuffer(openings, dtype=np.int64), np.frombuffer(ends, dtype=np.int64)
    opens, newlines = _positions(np.frombuffer(block, dtype=np.uint8), window)
    counts = np.bincount(np.searchsorted(newlines, opens), minlength=len(newlines) + 1)
    return counts.astype(np.int64, copy=False), newlines.astype(np.int64, copy=False)


def _positions(raw: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the opening brackets and of the newlines of ``raw``, found
    ``window`` bytes at a time: over a whole 32 MiB block, the temporary masks fall
    out of the cache and slow the scan down."""
    opens: list[np.ndarray] = []
    newlines: list[np.ndarray] = []
    for start in range(0, len(raw), window):
        part = raw[start : start + window]
        # "[" is 0x5B and "{" 0x7B: with bit 0x20 set, both (and only they) are 0x7B.
        opens.append(np.flatnonzero((part | 0x20) == 0x7B) + start)
        newlines.append(np.flatnonzero(part == 0x0A) + start)
    empty = np.empty(0, dtype=np.intp)
    return (
        np.concatenate(opens) if opens else empty,
        np.concatenate(newlines) if newlines else empty,
    )


def deep_lines(
    block: bytes,
    max_depth: int,
    window: int = 1 << 18,
    positions: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[int, int]:
    """Lines of ``block`` (0-based, split at ``\\n``) nested deeper than ``max_depth``,
    with their depth (``window``: bytes scanned per numpy step; ``positions``: the
    block's :func:`bracket_positions`, when the caller has them already)."""
    counts, newlines = bracket_positions(block, window) if positions is None else positions
    deep: dict[int, int] = {}
    for index in np.flatnonzero(counts > max_depth):
        start = 0 if index == 0 else int(newlines[index - 1]) + 1
        stop = int(newlines[index]) if index < len(newlines) else len(block)
        depth = json_depth(block[start:stop])
        if depth > max_depth:
            deep[int(index)] = depth
    return deep
