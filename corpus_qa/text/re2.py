"""Regex extraction over a whole column in pyarrow's RE2 engine.

``Series.str.extract`` on pandas 3's ``str`` dtype runs Python's ``re`` row by row;
``pyarrow.compute.extract_regex`` runs RE2 over the column in C++. Patterns must
use named groups only and RE2 syntax; ``$`` is the end of the value there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def extract(values: pd.Series, pattern: str) -> pd.DataFrame:
    """The named groups of each row's first match of ``pattern`` (NaN where none)."""
    strings = values.astype("str")
    matches = pc.extract_regex(pa.array(strings), pattern)
    return pd.DataFrame(
        {
            f.name: pd.Series(
                pd.array(pc.struct_field(matches, f.name), dtype="str"), index=values.index
            )
            for f in matches.type
        },
        index=values.index,
    )


def contains(values: pd.Series, pattern: str) -> np.ndarray:
    """Whether each row holds a match of ``pattern``, in RE2 whatever the data.

    pandas hands ``$`` to Python's ``re`` as soon as a value holds a newline; call
    this for patterns whose ``$`` means the same in both engines. No rows, no pass:
    Arrow compiles the pattern on every call, whatever the rows.
    """
    if not len(values):
        return np.zeros(0, dtype=bool)
    strings = pa.array(values.astype("str"))
    found = pc.match_substring_regex(strings, pattern)
    return np.asarray(pc.fill_null(found, False), dtype=bool)


def group(values: pd.Series, pattern: str, name: str) -> pd.Series:
    """One named group of :func:`extract`."""
    return extract(values, pattern)[name]


def replace(values: pd.Series, pattern: str, replacement: str) -> pd.Series:
    """Replace every match of ``pattern`` in RE2 (``\\s`` is ASCII whitespace there)."""
    strings = values.astype("str")
    if not len(strings):
        return pd.Series(pd.array([], dtype="str"), index=values.index)
    replaced = pc.replace_substring_regex(pa.array(strings), pattern, replacement)
    return pd.Series(pd.array(replaced, dtype="str"), index=values.index)


def tail(values: pd.Series, chars: int) -> pd.Series:
    """``values.str.slice(-chars)``, reading only the end of long values.

    Arrow counts characters from the start of a value even for a negative start, so
    slicing the last 80 characters of long bodies reads every byte. A character is at
    most four UTF-8 bytes: the last ``4 * chars`` bytes hold the characters wanted.
    Cutting bytes can split the window's first character; its stray continuation
    bytes (at most three) become spaces, which the final slice never reaches.
    """
    strings = pa.array(values.astype("str"))
    if chars <= 0 or len(strings) == 0:
        return values.astype("str").str.slice(-chars)
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    window = pc.binary_slice(strings.cast(pa.large_binary()), -4 * chars)
    validity, offsets_buffer, data = window.buffers()
    if data is None:
        return values.astype("str").str.slice(-chars)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
    offsets = offsets[window.offset : window.offset + len(window) + 1]
    raw = np.frombuffer(data, dtype=np.uint8).copy()
    position, stop = offsets[:-1].copy(), offsets[1:]
    stray = np.ones(len(position), dtype=bool)
    for _ in range(3):
        stray &= position < stop
        stray[stray] = (raw[position[stray]] & 0xC0) == 0x80
        raw[position[stray]] = 0x20
        position += 1
    text = pa.LargeStringArray.from_buffers(
        len(window), offsets_buffer, pa.py_buffer(raw), validity, window.null_count, window.offset
    )
    return pd.Series(pd.array(text, dtype="str"), index=values.index).str.slice(-chars)
