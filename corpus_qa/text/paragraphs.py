"""Bodies split into paragraphs, each with its content key, in one pass.

``boilerplate.recurring`` keys every body paragraph (whitespace collapsed, case
folded) and keeps where it starts and its first characters as evidence. The Arrow
path splits the bodies into a new column (a copy of all the text), measures every
paragraph, keys it and slices its evidence: five passes and two copies. The C pass
(``corpus_qa.text._textkeys``, see :mod:`corpus_qa.text.keys`) reads each byte once and
copies only the evidence; both give the same :class:`Paragraphs`
(tests/test_paragraphs.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.text import keys as text_keys
from corpus_qa.text.keys import (
    arrow_strings,
    casefold,
    collapse,
    line_keys,
    offsets_and_data,
    paragraph_keys,
)

#: What separates paragraphs in a body.
BREAK = "\n\n"
#: What separates lines: the units extractors such as trafilatura write paragraphs as.
LINE = "\n"


@dataclass
class Paragraphs:
    """The kept paragraphs (those of at least ``min_chars`` folded characters)."""

    #: Index of the body each came from.
    row: np.ndarray
    #: Its index among its body's paragraphs (of a line: of the blank-line paragraph
    #: it belongs to, the empty lines before it).
    position: np.ndarray
    #: The character where it starts in its body.
    start: np.ndarray
    #: The character where it ends (before the separator that follows it).
    end: np.ndarray
    #: Key of its normalized text (:func:`corpus_qa.text.keys.paragraph_keys`; of a
    #: line, :func:`corpus_qa.text.keys.line_keys`).
    keys: np.ndarray
    #: Its first ``evidence_chars`` characters, as written.
    evidence: pa.Array
    #: How many characters its normalized text has (what ``min_chars`` is compared with).
    chars: np.ndarray


def split_paragraphs(
    bodies: pd.Series | pa.Array | pa.ChunkedArray,
    min_chars: int,
    evidence_chars: int,
    *,
    native: bool = text_keys.NATIVE,
    lines: bool = False,
) -> Paragraphs:
    """The paragraphs of ``bodies`` (split at :data:`BREAK`, or with ``lines`` at every
    :data:`LINE`; a missing body is one empty paragraph) that have at least
    ``min_chars`` characters once normalized (with ``lines``, at least one)."""
    strings = arrow_strings(bodies)
    if lines:
        min_chars = max(min_chars, 1)
    if native and text_keys.textkeys is not None:
        return _native(strings, min_chars, evidence_chars, lines)
    return _arrow(strings, min_chars, evidence_chars, lines)


def _arrow(strings: pa.Array, min_chars: int, evidence_chars: int, lines: bool) -> Paragraphs:
    sep = LINE if lines else BREAK
    split = pc.split_pattern(strings, sep)
    text = split.flatten()
    row = np.asarray(pc.list_parent_indices(split), dtype="int64")
    first = np.asarray(split.offsets, dtype="int64")[:-1][row]
    index = np.arange(len(text), dtype="int64") - first
    length = np.asarray(pc.utf8_length(text), dtype="int64")
    before = np.cumsum(length) - length
    start = before - before[first] + len(sep) * index
    position = index
    if lines:
        # A line's paragraph: the empty lines before it in its body.
        blank = np.cumsum(length == 0) - (length == 0)
        position = blank - blank[first]
    keep, keys = _keys(text, min_chars, lines)
    # Sliced before filtered: the filter then copies the evidence, not the paragraphs.
    evidence = pc.utf8_slice_codeunits(text, 0, evidence_chars).filter(pa.array(keep))
    end = start + length
    chars = normalized_chars(text.filter(pa.array(keep)))
    return Paragraphs(row[keep], position[keep], start[keep], end[keep], keys, evidence, chars)


def _keys(texts: pa.Array, min_chars: int, lines: bool) -> tuple[np.ndarray, np.ndarray]:
    """(keep, keys) of the Arrow path: line keys for lines, paragraph keys else."""
    if lines:
        return line_keys(texts, min_chars, native=False)
    return paragraph_keys(texts, min_chars)


def normalized_chars(texts: pa.Array) -> np.ndarray:
    """Characters of each text once normalized as :func:`paragraph_keys` keys it
    (whitespace collapsed, case folded)."""
    if not len(texts):
        return np.zeros(0, dtype=np.int64)
    folded = casefold(collapse(arrow_strings(texts), rare=True))
    return np.asarray(pc.utf8_length(folded), dtype=np.int64)


def _native(strings: pa.Array, min_chars: int, evidence_chars: int, lines: bool) -> Paragraphs:
    textkeys = text_keys.textkeys
    offsets, data = offsets_and_data(strings)
    pieces = textkeys.count_paragraphs(offsets, data, lines)
    row, position, start = (np.empty(pieces, dtype=np.int64) for _ in range(3))
    state = np.empty(pieces, dtype=np.uint8)
    keys = np.empty(pieces, dtype=np.uint64)
    chars = np.empty(pieces, dtype=np.int64)
    end = np.empty(pieces, dtype=np.int64)
    evidence_offsets = np.empty(pieces + 1, dtype=np.int64)
    evidence_data = np.empty(len(data), dtype=np.uint8)
    table = text_keys.fold_table()
    used, written = textkeys.paragraph_split(
        offsets,
        data,
        table,
        min_chars,
        evidence_chars,
        row,
        position,
        start,
        state,
        keys,
        evidence_offsets,
        evidence_data,
        lines,
        chars,
        end,
    )
    if written < pieces:
        # Lines: the dropped ones (most are blank) were left out.
        row, position, start, end = (
            row[:written],
            position[:written],
            start[:written],
            end[:written],
        )
        state, keys, chars = state[:written], keys[:written], chars[:written]
        evidence_offsets = evidence_offsets[: written + 1]
    evidence = pa.LargeStringArray.from_buffers(
        written, pa.py_buffer(evidence_offsets), pa.py_buffer(evidence_data[:used])
    )
    deferred = np.flatnonzero(state == text_keys.DEFERRED)
    if len(deferred):
        # A code point the C pass does not fold: these few paragraphs go the Arrow way.
        sep = LINE if lines else BREAK
        texts = [
            data[offsets[r] : offsets[r + 1]].tobytes().decode()[s:].split(sep, 1)[0]
            for r, s in zip(row[deferred].tolist(), start[deferred].tolist(), strict=True)
        ]
        pieces_text = pa.array(texts, pa.large_string())
        kept, fallback = _keys(pieces_text, min_chars, lines)
        state[deferred] = kept
        keys[deferred[kept]] = fallback
        chars[deferred] = normalized_chars(pieces_text)
    keep = state == text_keys.KEPT
    if keep.all():
        return Paragraphs(row, position, start, end, keys, evidence, chars)
    return Paragraphs(
        row[keep],
        position[keep],
        start[keep],
        end[keep],
        keys[keep],
        _kept_evidence(evidence, evidence_offsets, keep),
        chars[keep],
    )


def _kept_evidence(evidence: pa.Array, offsets: np.ndarray, keep: np.ndarray) -> pa.Array:
    """The kept pieces' evidence. Where every dropped piece's evidence is empty (blank
    lines, the most of them), the kept ones lie back to back in the data: new offsets
    over the same buffer, no copy of the text."""
    kept = np.flatnonzero(keep)
    sizes = offsets[1:] - offsets[:-1]
    if not len(kept) or sizes[~keep].any():
        return evidence.filter(pa.array(keep))
    bounds = np.append(offsets[kept], offsets[kept[-1] + 1])
    data = evidence.buffers()[2]
    return pa.LargeStringArray.from_buffers(len(kept), pa.py_buffer(bounds), data)
