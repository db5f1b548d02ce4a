"""Literal screens: narrow a text column to the rows that may hold a phrase.

RE2 runs its automaton over every byte through a pattern of many alternatives, the
costly part of a phrase check over a chunk's bodies. A pattern that starts with one literal
character runs much faster: RE2 jumps from one occurrence of its first byte to the
next with ``memchr`` and only starts its automaton there, so a pass keyed on a rare
byte costs a small fraction of that. A phrase can only occur where each of its characters
does, so :func:`screen` keys every phrase on a rare character of its own (the suffix
of the phrase from that character is the literal searched) and runs one such pass
per key character. Which characters are rare is read off a sample of the column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.text import keys as text_keys
from corpus_qa.text.re2 import contains

#: Sample of the column's bytes whose counts rank the key characters.
_SAMPLE_WINDOWS = 16
_SAMPLE_BYTES = 4096
#: What stopping at one occurrence of a key byte costs, in whole memchr passes per
#: unit of the byte's frequency (restarting the automaton costs far more than a byte).
_OCCURRENCE_COST = 400.0
#: One pass of the plain alternation, in the same unit: with many
#: phrases or only common characters to key them on, that pass is the cheaper one.
_FULL_SCAN_COST = 45.0


def screen(values: pd.Series, literals: Iterable[str]) -> np.ndarray:
    """Whether each row may hold one of ``literals``: True wherever one occurs.

    Rows marked True may still hold none (a phrase's suffix is what is searched);
    rows marked False hold none. Missing values are False.
    """
    strings = pa.array(values.astype("str"))
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    wanted = sorted(set(literals))
    if "" in wanted:
        return np.asarray(pc.is_valid(strings), dtype=bool)
    found = np.zeros(len(strings), dtype=bool)
    if not wanted or len(strings) == 0:
        return found
    for pattern in key_patterns(wanted, byte_frequencies(strings)):
        found |= np.asarray(pc.fill_null(pc.match_substring_regex(strings, pattern), False))
    return found


def byte_frequencies(strings: pa.Array) -> np.ndarray:
    """Each byte value's share of a sample of the strings' data (256 floats)."""
    data = strings.buffers()[2]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    if len(raw) > _SAMPLE_WINDOWS * _SAMPLE_BYTES:
        starts = np.linspace(0, len(raw) - _SAMPLE_BYTES, _SAMPLE_WINDOWS).astype(np.int64)
        raw = np.concatenate([raw[s : s + _SAMPLE_BYTES] for s in starts.tolist()])
    counts = np.bincount(raw, minlength=256).astype(np.float64)
    return counts / max(len(raw), 1)


def key_patterns(literals: Sequence[str], frequencies: np.ndarray) -> list[str]:
    """RE2 patterns, each starting with one literal character, that together find
    every occurrence of every (non-empty) literal; or, when those passes would cost
    more than one plain scan, the alternation of all the literals.

    Few passes over rare characters: a greedy cover picks the character that keys
    the most literals not yet keyed for the least estimated cost.
    """
    firsts: list[dict[str, int]] = []
    for literal in literals:
        positions: dict[str, int] = {}
        for index, char in enumerate(literal):
            positions.setdefault(char, index)
        firsts.append(positions)

    def cost(char: str) -> float:
        # A non-ASCII character is ranked by its lead byte, which is at least as common.
        lead = char.encode("utf-8", "surrogatepass")[0]
        return 1.0 + _OCCURRENCE_COST * float(frequencies[lead])

    groups: dict[str, list[str]] = {}
    pending = set(range(len(firsts)))
    total = 0.0
    while pending:
        keyed: dict[str, list[int]] = {}
        for i in sorted(pending):
            for char in firsts[i]:
                keyed.setdefault(char, []).append(i)
        char = max(sorted(keyed), key=lambda c: len(keyed[c]) / cost(c))
        groups[char] = sorted({literals[i][firsts[i][char] :] for i in keyed[char]})
        pending.difference_update(keyed[char])
        total += cost(char)
    if total > _FULL_SCAN_COST:
        return ["|".join(re.escape(literal) for literal in literals)]
    return ["|".join(re.escape(s) for s in suffixes) for _, suffixes in sorted(groups.items())]


def lead_bytes(literals: Iterable[str]) -> tuple[int, ...]:
    """Few byte values such that every literal holds one of them in its UTF-8: lead
    bytes of its characters from U+0800 on (where it has one; else lead bytes of its
    other non-ASCII characters; else any of its bytes).

    A lead byte of three- and four-byte characters starts a block of thousands of code
    points and is never a continuation byte: text of other scripts (Hangul beside
    Japanese and Chinese phrases) does not hold it. A greedy cover: the byte that most
    literals not yet covered hold, until every literal is.
    """
    held: list[set[int]] = []
    for literal in set(literals):
        data = literal.encode("utf-8", "surrogatepass")
        # Lead bytes of wide characters first, then of any non-ASCII one (0xC2 of
        # "©"): never a continuation byte, which every accented letter holds.
        leads = {b for b in data if b >= 0xE0} or {b for b in data if b >= 0xC2}
        held.append(leads or set(data))
    chosen: list[int] = []
    pending = [h for h in held if h]
    while pending:
        counts: dict[int, int] = {}
        for bytes_ in pending:
            for value in bytes_:
                counts[value] = counts.get(value, 0) + 1
        best = max(sorted(counts), key=lambda value: counts[value])
        chosen.append(best)
        pending = [h for h in pending if best not in h]
    return tuple(sorted(chosen))


#: At most this many wanted bytes of any value go to the C pass (one ``memchr`` each).
_FEW_BYTES = 4


def rows_with_any_byte(
    values: pd.Series, wanted: Iterable[int], *, native: bool = text_keys.NATIVE
) -> np.ndarray:
    """Positions of the values whose UTF-8 holds one of the byte values ``wanted``, in
    order. Non-ASCII bytes (lead bytes of wide scripts): one C pass, eight bytes a test
    of whether any is that large; up to four bytes of any value (punctuation): one C
    pass, ``memchr`` a byte. Otherwise one RE2 pass per byte over the data as binary
    (Latin-1: a byte is a character), each jumping between occurrences with
    ``memchr``; the same rows (tests/test_screen.py)."""
    wanted = sorted(set(wanted))
    in_c = bool(wanted) and (wanted[0] >= 0x80 or len(wanted) <= _FEW_BYTES)
    if native and text_keys.textkeys is not None and in_c:
        offsets, data_bytes = text_keys.offsets_and_data(text_keys.arrow_strings(values))
        table = np.zeros(256, dtype=np.uint8)
        table[wanted] = 1
        held = text_keys.textkeys.rows_with_any_byte(offsets, data_bytes, table)
        return np.frombuffer(held, dtype=np.int64).copy()
    strings = pa.array(values.astype("str"))
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    data = strings.cast(pa.large_binary())
    found = np.zeros(len(data), dtype=bool)
    for value in wanted:
        match = pc.match_substring_regex(data, f"\\x{value:02x}")
        found |= np.asarray(pc.fill_null(match, False), dtype=bool)
    return np.flatnonzero(found).astype(np.int64)


def rows_closing_a_line(
    values: pd.Series, char: str, *, native: bool = text_keys.NATIVE
) -> np.ndarray:
    """Positions of the values where ``char`` (ASCII, not blank) closes a line: only
    spaces and tabs after it up to a newline or the value's end (RE2's
    ``<char>[ \\t]*(?:\\n|$)``), in order. One C pass (``memchr`` to each ``char``),
    else RE2; the same rows (tests/test_screen.py)."""
    if native and text_keys.textkeys is not None:
        offsets, data = text_keys.offsets_and_data(text_keys.arrow_strings(values))
        held = text_keys.textkeys.rows_closing_a_line(offsets, data, ord(char))
        return np.frombuffer(held, dtype=np.int64).copy()
    return np.flatnonzero(contains(values, re.escape(char) + r"[ \t]*(?:\n|$)")).astype(np.int64)


def folded(text: str) -> str | None:
    """``text.lower()`` where it folds every character to one (positions hold), else None."""
    lower = text.lower()
    return lower if len(lower) == len(text) else None


def head_positions(lower: str, head: str) -> list[int]:
    """Every position where ``lower`` holds ``head``, overlapping ones included."""
    found: list[int] = []
    at = lower.find(head)
    while at >= 0:
        found.append(at)
        at = lower.find(head, at + 1)
    return found


def matches_at(
    pattern: re.Pattern[str],
    text: str,
    lower: str | None,
    head: str | None,
    heads: dict[str, list[int]] | None = None,
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, for a pattern each match of which opens with ``head``
    (lower-case ASCII) in any ASCII case: the pattern is tried only where ``lower``
    (:func:`folded` ``text``) holds ``head``. Without either, every position is tried.

    Python's ``re`` scans case-insensitive patterns character by character; ``str.find``
    jumps. The same matches: a match opens where the head does, and the search goes
    on after each match as ``finditer``'s does (a head of ASCII characters folds to
    itself, and a folded text as long as its original folds each character to one).

    ``heads``: :func:`head_positions` of ``lower`` by head, filled as heads are asked
    for; a text's entries share few heads ("sign" opens a hundred sign-up phrases), so
    one dict per text scans it once per head, not once per entry.
    """
    if lower is None or not head:
        yield from pattern.finditer(text)
        return
    if heads is not None:
        positions = heads.get(head)
        if positions is None:
            positions = heads[head] = head_positions(lower, head)
        # As below: after a match the search goes on from its end (or the next position).
        after = 0
        for at in positions:
            if at < after:
                continue
            match = pattern.match(text, at)
            if match is not None:
                yield match
                after = max(match.end(), at + 1)
        return
    at = lower.find(head)
    while at >= 0:
        match = pattern.match(text, at)
        if match is None:
            at = lower.find(head, at + 1)
            continue
        yield match
        at = lower.find(head, max(match.end(), at + 1))
