"""Site text of the ``site_text`` lexicon, found in bodies with the evidence around it.

Shared by the boilerplate checks. A lexicon of hundreds of phrases in sixteen languages
is too big for one RE2 automaton (it falls back to a slow engine) and made of common
letters (no rare character to screen on). So every phrase is given an *anchor*: its
longest word, in the case variants text writes it in. The bodies' words are hashed in
one C pass (:func:`corpus_qa.text.minhash.word_hashes`), a bitmap over the hashes' low
bits keeps the few words that may be anchors, and only the bodies holding one are
searched, for the phrases anchored there. Phrases of scripts written without spaces
(CJK) are screened as literals instead. The limit: an anchor glued to the word before
or after it without a space ("mayor.Subscribe") is not screened in.

Each phrase class (newsletter, app, ...) has ``phrases``, site text in a sentence, and
``labels``, site text only as a whole line or as a line's lead ("READ MORE: ...").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from corpus_qa.lexicons import categories, phrases
from corpus_qa.lexicons.compile import PYTHON_FLAGS
from corpus_qa.lexicons.compile import _escape as escape_phrase
from corpus_qa.text.minhash import string_hashes, word_hashes
from corpus_qa.text.screens import screen

Kind = Literal["phrase", "label"]

#: The classes of the lexicon's ``site_text`` table that boilerplate.leak reports.
LEAK_CLASSES = (
    "newsletter",
    "app",
    "subscription",
    "follow",
    "affiliate",
    "ad",
    "embed",
    "comments",
    "ui",
)
#: Bits of a word hash that index the anchor bitmap.
_BITMAP_BITS = 22
#: A line up to this long is site text as a whole when a phrase stands in it.
SHORT_LINE = 250
#: A sentence up to this long may be site text in a longer line.
SHORT_SENTENCE = 300
#: What may stand before a label or a phrase at the start of a line: bullets, quotes.
_LEAD = " \t*•·-–—»›>|#([„\"'"
#: What may follow a label on a line of its own.
_TRAIL = " \t:.!?…»›>|-–—)]"
#: Separators after a label that leads a line ("READ MORE: <headline>").
_SEPARATORS = (":", " -", " –", " —", " |", " »", "»", " >")
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’)\]]*)(?=\s)")
_SCRIPT_WITHOUT_SPACES = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class Entry:
    """One phrase or label of the lexicon."""

    text: str
    site_class: str
    kind: Kind
    pattern: re.Pattern[str]
    #: The phrase addresses the reader ("Der Newsletter informiert Sie").
    to_reader: bool


@dataclass(frozen=True)
class Hit:
    """A span of a value that is site text."""

    row: int
    start: int
    end: int
    site_class: str


def _category(name: str) -> tuple[str, ...]:
    return phrases(name) if name in categories() else ()


@functools.cache
def entries(
    classes: tuple[str, ...], extra: tuple[tuple[str, Kind], ...] = ()
) -> tuple[Entry, ...]:
    """The lexicon's phrases and labels of ``classes`` (every language), then ``extra``."""
    found: list[Entry] = []
    for site_class in classes:
        for kind in ("phrase", "label"):
            for text in _category(f"site_text.{site_class}.{kind}s"):
                found.append(_entry(text, site_class, kind))
    found.extend(_entry(text, "custom", kind) for text, kind in extra)
    return tuple(found)


def _entry(text: str, site_class: str, kind: Kind) -> Entry:
    words = {word.strip(".,:;!?") for word in text.split()}
    reader = _reader_words()
    to_reader = any(w in reader or (w.lower() in reader and w.lower() == w) for w in words)
    return Entry(text, site_class, kind, re.compile(escape_phrase(text), PYTHON_FLAGS), to_reader)


@functools.cache
def _reader_words() -> frozenset[str]:
    """Words that address the reader; German "Sie" is one only capitalized, so words
    are compared as written (a lower-case one also matches a capitalized first word)."""
    words = set(_category("site_text.reader.words"))
    return frozenset(words | {w.capitalize() for w in words if w.islower()})


def _variants(word: str, first: bool, last: bool) -> set[str]:
    cases = {word, word.lower(), word.upper(), word[:1].upper() + word[1:]}
    out = set(cases)
    if last:
        out |= {
            case + end for case in cases for end in (".", ",", ":", "!", "?", ";", "…", ")", "»")
        }
    if first:
        out |= {lead + case for case in cases for lead in ("*", "»", "„", '"', "(", "|", "•")}
    return out


@dataclass(frozen=True)
class _Anchors:
    bitmap: np.ndarray
    keys: np.ndarray
    #: entry indices per anchor key, in the order of ``keys``
    owners: tuple[tuple[int, ...], ...]
    #: entries screened as literals (no word to anchor on)
    literal: tuple[int, ...]


@functools.cache
def _anchors(table: tuple[Entry, ...]) -> _Anchors:
    owners: dict[str, set[int]] = {}
    literal: list[int] = []
    for index, entry in enumerate(table):
        words = entry.text.split()
        if _SCRIPT_WITHOUT_SPACES.search(entry.text):
            literal.append(index)
            continue
        at = max(range(len(words)), key=lambda i: (len(words[i]), -i))
        for variant in _variants(words[at], at == 0, at == len(words) - 1):
            owners.setdefault(variant, set()).add(index)
    spelled = sorted(owners)
    hashes = (
        string_hashes(pa.array(spelled, pa.large_string())) if spelled else np.zeros(0, np.uint64)
    )
    order = np.argsort(hashes, kind="stable")
    keys = hashes[order]
    grouped: dict[int, set[int]] = {}
    for position in order.tolist():
        grouped.setdefault(int(hashes[position]), set()).update(owners[spelled[position]])
    unique = np.unique(keys)
    bitmap = np.zeros(1 << _BITMAP_BITS, dtype=bool)
    bitmap[(unique & np.uint64((1 << _BITMAP_BITS) - 1)).astype(np.intp)] = True
    return _Anchors(
        bitmap,
        unique,
        tuple(tuple(sorted(grouped[int(key)])) for key in unique.tolist()),
        tuple(literal),
    )


def candidates(values: pd.Series, table: tuple[Entry, ...]) -> dict[int, set[int]]:
    """Per row that may hold an entry of ``table``: the indices of those entries."""
    anchors = _anchors(table)
    values = values.reset_index(drop=True)
    found: dict[int, set[int]] = {}
    if not len(values):
        return found
    hashes, counts = word_hashes(values.astype("str").fillna(""))
    maybe = np.flatnonzero(
        anchors.bitmap[(hashes & np.uint64((1 << _BITMAP_BITS) - 1)).astype(np.intp)]
    )
    if len(maybe):
        where = np.searchsorted(anchors.keys, hashes[maybe])
        where = np.minimum(where, len(anchors.keys) - 1)
        exact = anchors.keys[where] == hashes[maybe]
        rows = np.searchsorted(np.cumsum(counts), maybe[exact], side="right")
        for row, key in zip(rows.tolist(), where[exact].tolist(), strict=True):
            found.setdefault(row, set()).update(anchors.owners[key])
    if anchors.literal:
        texts = [table[i].text for i in anchors.literal]
        for row in np.flatnonzero(screen(values, texts)).tolist():
            found.setdefault(row, set()).update(anchors.literal)
    return found


def _line(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _sentence(text: str, line: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text[line]`` holding ``text[start:end]``."""
    first = line[0]
    for match in _SENTENCE_END.finditer(text, line[0], start):
        first = match.end()
    stop = _SENTENCE_END.search(text, end, line[1])
    return _strip(text, first, stop.end() if stop else line[1])


def phrase_hit(text: str, match: re.Match[str], entry: Entry) -> tuple[int, int] | None:
    """The span that is site text around a phrase's ``match``, or None when the text
    around it reads as the article's own (a mention in a long sentence)."""
    line = _strip(text, *_line(text, match.start()))
    sentence = _sentence(text, line, match.start(), match.end())
    lead = text[sentence[0] : match.start()].strip(_LEAD)
    starts_sentence = not lead
    # A lexicon phrase written in lower case ends a sentence ("... by signing up to our
    # newsletter."): site text there, when the line is short enough to be a promo.
    ends_sentence = not text[match.end() : sentence[1]].strip(_TRAIL)
    mid_sentence = entry.text[:1].islower() and ends_sentence
    if line[1] - line[0] <= SHORT_LINE:
        covers = (match.end() - match.start()) * 5 >= (line[1] - line[0]) * 2
        if starts_sentence or mid_sentence or covers or entry.to_reader:
            return line
        return None
    if starts_sentence and sentence[1] - sentence[0] <= SHORT_SENTENCE:
        return sentence
    return None


def label_hit(text: str, match: re.Match[str], max_line: int = 200) -> tuple[int, int] | None:
    """The line a label's ``match`` makes up or leads, else None."""
    line = _strip(text, *_line(text, match.start()))
    if text[line[0] : match.start()].strip(_LEAD):
        return None
    rest = text[match.end() : line[1]]
    if not rest.strip(_TRAIL):
        return line
    if line[1] - line[0] <= max_line and _separated(rest):
        return line
    return None


def _separated(rest: str) -> bool:
    """Whether a label's line goes on after a separator and a space ("READ MORE: x")."""
    for separator in _SEPARATORS:
        if rest.startswith(separator):
            after = rest[len(separator) :]
            return not after or after[0].isspace()
    return False


def find(
    values: pd.Series,
    table: tuple[Entry, ...],
    kinds: Sequence[Kind] = ("phrase", "label"),
    *,
    anywhere: bool = False,
    screened: bool = True,
) -> list[Hit]:
    """Every span of ``values`` that is site text of ``table`` (overlaps merged);
    ``anywhere``: every match as it stands, without looking at the text around it.
    ``screened=False`` tries every entry on every row (what the screen must equal)."""
    values = values.reset_index(drop=True)
    hits: list[Hit] = []
    if screened:
        owners = candidates(values, table)
    else:
        owners = {row: set(range(len(table))) for row in range(len(values))}
    for row, owned in sorted(owners.items()):
        text = values.iloc[row]
        if not isinstance(text, str):
            continue
        spans: list[tuple[int, int, str]] = []
        for index in sorted(owned):
            entry = table[index]
            if entry.kind not in kinds:
                continue
            for match in entry.pattern.finditer(text):
                if anywhere:
                    span: tuple[int, int] | None = match.span()
                elif entry.kind == "phrase":
                    span = phrase_hit(text, match, entry)
                else:
                    span = label_hit(text, match)
                if span is not None and span[1] > span[0]:
                    spans.append((*span, entry.site_class))
        hits.extend(Hit(row, start, end, site_class) for start, end, site_class in _merge(spans))
    return hits


def _merge(spans: Iterable[tuple[int, int, str]]) -> Iterator[tuple[int, int, str]]:
    current: list[tuple[int, int, str]] = []
    for start, end, site_class in sorted(spans):
        if current and start <= current[-1][1]:
            last = current[-1]
            current[-1] = (last[0], max(last[1], end), last[2])
        else:
            current.append((start, end, site_class))
    yield from current
