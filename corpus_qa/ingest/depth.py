"""JSON nesting depth, screened before any C parser sees a line.

pyarrow's JSON reader recurses per level and crashes the process (SIGSEGV) on lines
nested some thousands deep. :func:`deep_lines` finds the lines of a block that may
pass ``max_depth`` (a line cannot nest deeper than it has opening brackets: counting
those is one vectorized pass), and :func:`json_depth` measures each such line exactly
(brackets inside strings do not count).
"""

from __future__ import annotations

import re

import numpy as np

#: A JSON string literal (escapes included): its brackets are text, not nesting.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_WINDOW = 1 << 20
_OPEN = np.frombuffer(b"{[", dtype=np.uint8)
_CLOSE = np.frombuffer(b"}]", dtype=np.uint8)


def json_depth(line: bytes) -> int:
    """Deepest bracket nesting of one JSON text (an unclosed string ends the scan)."""
    bare = _STRING.sub(b"", line)
    raw = np.frombuffer(bare, dtype=np.uint8)
    step = np.isin(raw, _OPEN).astype(np.int32) - np.isin(raw, _CLOSE).astype(np.int32)
    return int(np.cumsum(step).max()) if len(step) else 0


def deep_lines(block: bytes, max_depth: int) -> dict[int, int]:
    """Lines of ``block`` (0-based, split at ``\\n``) nested deeper than ``max_depth``,
    with their depth."""
    raw = np.frombuffer(block, dtype=np.uint8)
    opens: list[np.ndarray] = []
    for start in range(0, len(raw), _WINDOW):
        window = raw[start : start + _WINDOW]
        found = np.flatnonzero((window == 0x7B) | (window == 0x5B))
        if len(found):
            opens.append(found + start)
    total = sum(len(o) for o in opens)
    if total <= max_depth:
        return {}  # the common case: too few brackets in the whole block
    where = np.concatenate(opens)
    newlines = np.flatnonzero(raw == 0x0A)
    line_of = np.searchsorted(newlines, where)
    counts = np.bincount(line_of)
    deep: dict[int, int] = {}
    for index in np.flatnonzero(counts > max_depth):
        start = 0 if index == 0 else int(newlines[index - 1]) + 1
        stop = int(newlines[index]) if index < len(newlines) else len(block)
        depth = json_depth(block[start:stop])
        if depth > max_depth:
            deep[int(index)] = depth
    return deep
