"""Site text of the ``site_text`` lexicon, found in bodies with the evidence around it.

Shared by the boilerplate checks. A lexicon of hundreds of phrases in sixteen languages
is too big for one RE2 automaton (it falls back to a slow engine) and made of common
letters (no rare character to screen on). So every phrase is given an *anchor*: its
longest pair of adjacent words (a one-word label: its word), in the case variants text
writes it in. The bodies' words are hashed in one C pass
(:func:`corpus_qa.text.anchors.anchor_hits`), and pairs of adjacent words keyed from
those hashes; a bitmap over the keys' low bits keeps the few that may be anchors, and
only the bodies holding one are searched, for the phrases anchored there. A single
common word ("comment") would let most bodies through; a pair ("a comment") rarely. Phrases of scripts written without spaces
(CJK) are screened as literals instead. The limit: an anchor glued to the word before
or after it without a space ("mayor.Subscribe") is not screened in.

Each phrase class (newsletter, app, ...) has ``phrases``, site text in a sentence, and
``labels``, site text only as a whole line or as a line's lead ("READ MORE: ...").
The ``credit`` class holds picture credits: ``labels`` ("Foto:", "Photo by", "©"), a
short line they lead or that closes on one ("... Foto: Ingo Schneider") is a caption;
``phrases``, picture agencies and stock libraries ("Getty Images", "dpa"), a credit
only as a short line of names ("picture alliance / dpa / Oliver Berg").
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
from corpus_qa.lexicons.compile import PYTHON_FLAGS, alternation_of
from corpus_qa.text.anchors import AnchorTable, Pairs, anchor_hits, anchor_table
from corpus_qa.text.chunk_caches import per_chunk
from corpus_qa.text.re2 import contains
from corpus_qa.text.screens import folded, lead_bytes, matches_at, rows_with_any_byte, screen

Kind = Literal["phrase", "label"]

#: Every class of the lexicon's ``site_text`` table: one table, screened once a chunk.
ALL_CLASSES = (
    "newsletter",
    "app",
    "subscription",
    "follow",
    "affiliate",
    "ad",
    "embed",
    "comments",
    "ui",
    "read_also",
    "credit",
)
#: The classes boilerplate.leak reports; read-also lead-ins are foreign_headline's.
LEAK_CLASSES = tuple(kind for kind in ALL_CLASSES if kind != "read_also")
#: Bits of a word hash that index the anchor bitmap.
_BITMAP_BITS = 22
#: A line up to this long is site text as a whole when a phrase stands in it.
SHORT_LINE = 250
#: A sentence up to this long may be site text in a longer line.
SHORT_SENTENCE = 300
#: A caption line with a picture credit is at most this long.
CAPTION_LINE = 300
#: A credit closing a caption line ("Foto: dpa", "© Agency") is at most this long.
CREDIT_TAIL = 80
#: A line naming a picture agency is a credit up to this long.
CREDIT_LINE = 80
_WORDS = re.compile(r"[^\W\d_]+")
#: A sentence ending inside a credit's tail: the line goes on as prose.
_CREDIT_TAIL_END = re.compile(r"(?<=[^\W\d_]{2})[.!?…]\s")
#: What may stand before a label or a phrase at the start of a line: bullets, quotes.
_LEAD = " \t*•·-–—»›>|#([„\"'"
#: What may follow a label on a line of its own.
_TRAIL = " \t:.!?…»›>|-–—)]"
#: Separators after a label that leads a line ("READ MORE: <headline>").
_SEPARATORS = (":", " -", " –", " —", " |", " »", "»", " >")
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’)\]]*)(?=\s)")
_SCRIPT_WITHOUT_SPACES = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Entry:
    """One phrase or label of the lexicon."""

    text: str
    site_class: str
    kind: Kind
    #: The phrase addresses the reader ("Der Newsletter informiert Sie").
    to_reader: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        """The entry as a pattern, compiled on first use: a chunk reads few entries."""
        return _pattern(self.text)


@dataclass(frozen=True)
class Hit:
    """A span of a value that is site text."""

    row: int
    start: int
    end: int
    site_class: str


def _category(name: str) -> tuple[str, ...]:
    return phrases(name) if name in categories() else ()


def entries(
    classes: tuple[str, ...], extra: tuple[tuple[str, Kind], ...] = ()
) -> tuple[Entry, ...]:
    """The lexicon's phrases and labels of ``classes`` (every language), then ``extra``;
    the same tuple for the same arguments (screens are cached by table)."""
    return _entries(classes, extra)


@functools.cache
def _entries(classes: tuple[str, ...], extra: tuple[tuple[str, Kind], ...]) -> tuple[Entry, ...]:
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
    return Entry(text, site_class, kind, to_reader)


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    if len(text.split()) == 1:
        # One word is a label only in the cases a label is written in ("Anzeige",
        # "ANZEIGE"): the lower-case word is the article's own.
        spellings = sorted({text, text.upper(), text[:1].upper() + text[1:]})
        pattern = re.compile(alternation_of(spellings), re.ASCII)
    else:
        # Within a line: site text does not run across a line break.
        pattern = re.compile(alternation_of([text]).replace(r"\s+", r"[^\S\n]+"), PYTHON_FLAGS)
    return pattern


@functools.cache
def _head(text: str) -> str | None:
    """What every match of the entry's pattern opens with, folded: its first word,
    if ASCII (any case of it matches; a non-ASCII letter only as written)."""
    first = text.split()[0]
    return first.lower() if first.isascii() else None


@functools.cache
def _reader_words() -> frozenset[str]:
    """Words that address the reader; German "Sie" is one only capitalized, so words
    are compared as written (a lower-case one also matches a capitalized first word)."""
    words = set(_category("site_text.reader.words"))
    return frozenset(words | {w.capitalize() for w in words if w.islower()})


_LEADS = ("*", "»", "„", '"', "(", "|")
_TRAILS = (".", ",", ":", "!", "?", "…", "»")


def _cases(words: list[str], single: bool) -> set[tuple[str, ...]]:
    """The case variants text writes a phrase in (a one-word label: never all lower)."""
    spelled = {
        tuple(words),
        tuple(w.upper() for w in words),
        (words[0][:1].upper() + words[0][1:], *words[1:]),
        tuple(w[:1].upper() + w[1:] for w in words),
    }
    if not single:
        spelled.add(tuple(w.lower() for w in words))
    return spelled


def _anchor_blocks(entry: Entry) -> tuple[set[str], list[tuple[list[str], list[str]]]]:
    """The spellings of an entry's anchor: its longest pair of adjacent words (its
    word when it has one), with the punctuation text glues to a phrase's ends. A
    one-word anchor's spellings as a set; a pair's, per case variant, as its first
    words' and last words' spellings (every first with every last)."""
    words = entry.text.split()
    singles: set[str] = set()
    pairs: list[tuple[list[str], list[str]]] = []
    if len(words) == 1:
        at, width = 0, 1
    else:
        # An inner pair is written as it stands; one at an end, with the punctuation
        # text glues to it in every variant.
        inner = [i for i in range(1, len(words) - 2)]
        pool = inner or list(range(len(words) - 1))
        at = max(pool, key=lambda i: (len(words[i]) + len(words[i + 1]), -i))
        width = 2
    for case in _cases(words, len(words) == 1):
        anchor = case[at : at + width]
        firsts = [anchor[0]] + ([lead + anchor[0] for lead in _LEADS] if at == 0 else [])
        lasts = [anchor[-1]]
        if at + width == len(words):
            lasts += [anchor[-1] + trail for trail in _TRAILS]
        if width == 2:
            pairs.append((firsts, lasts))
            continue
        singles.update(firsts, lasts)
        singles.update(lead + anchor[0] + trail for lead in _LEADS for trail in _TRAILS)
    return singles, pairs


def _anchor_words(entry: Entry) -> set[tuple[str, ...]]:
    """:func:`_anchor_blocks` spelled out, one tuple per spelling (what tests compare)."""
    singles, pairs = _anchor_blocks(entry)
    spelled = {(word,) for word in singles}
    return spelled | {
        (first, last) for firsts, lasts in pairs for first in firsts for last in lasts
    }


@dataclass(frozen=True)
class _Anchors(AnchorTable):
    #: entries screened as literals (no word to anchor on)
    literal: tuple[int, ...]


@functools.cache
def _anchors(table: tuple[Entry, ...]) -> _Anchors:
    singles: list[tuple[int, list[str]]] = []
    pairs: list[Pairs] = []
    literal: list[int] = []
    for index, entry in enumerate(table):
        if _SCRIPT_WITHOUT_SPACES.search(entry.text):
            literal.append(index)
            continue
        words, blocks = _anchor_blocks(entry)
        singles.append((index, list(words)))
        pairs.extend((index, firsts, lasts) for firsts, lasts in blocks)
    built = anchor_table(singles, pairs, _BITMAP_BITS)
    return _Anchors(**vars(built), literal=tuple(literal))


#: The last columns screened and what was found: boilerplate.leak and foreign_headline
#: screen the same bodies of a chunk for the same table. The column is held, so while it
#: is cached no other array can have its buffers' addresses: equal addresses are the
#: same (immutable) values.
_LAST: list[tuple[pa.ChunkedArray, tuple[object, ...], tuple[Entry, ...], dict[int, set[int]]]] = (
    per_chunk([])
)


def prepare(table: tuple[Entry, ...]) -> None:
    """Build the screen of ``table`` now (see :meth:`corpus_qa.checks.api.Check.prepare`)."""
    _anchors(table)


def candidates(values: pd.Series, table: tuple[Entry, ...]) -> dict[int, set[int]]:
    """Per row that may hold an entry of ``table``: the indices of those entries."""
    column = getattr(values.array, "_pa_array", None)
    if not isinstance(column, pa.ChunkedArray):
        return _candidates(values, table)
    identity = tuple(
        (chunk.offset, len(chunk), *(0 if b is None else b.address for b in chunk.buffers()))
        for chunk in column.chunks
    )
    for _, seen, screened, found in _LAST:
        if seen == identity and screened is table:
            return found
    found = _candidates(values, table)
    # Two: a chunk's titles and bodies, whichever check asks first.
    _LAST[:] = [*_LAST[-1:], (column, identity, table, found)]
    return found


def _candidates(values: pd.Series, table: tuple[Entry, ...]) -> dict[int, set[int]]:
    anchors = _anchors(table)
    values = values.reset_index(drop=True)
    found: dict[int, set[int]] = {}
    if not len(values):
        return found
    rows, keys = anchor_hits(values, anchors.bitmap)
    if len(rows):
        exact, where = anchors.find(keys)
        starts, owners = anchors.starts, anchors.owners
        for row, key in zip(rows[exact].tolist(), where.tolist(), strict=True):
            found.setdefault(row, set()).update(owners[starts[key] : starts[key + 1]].tolist())
    if anchors.literal:
        # Every literal has a character from U+3000 on: only values holding a lead byte
        # of the literals' characters are screened (not text in other wide scripts).
        texts = [table[i].text for i in anchors.literal]
        wide = rows_with_any_byte(values, lead_bytes(texts))
        if len(wide) * 2 > len(values):
            # Most values have such a byte: screening them all beats copying them.
            held = np.zeros(len(values), dtype=bool)
            held[wide] = True
            maybe = np.flatnonzero(screen(values, texts) & held)
        elif len(wide):
            maybe = wide[np.flatnonzero(screen(values.iloc[wide], texts))]
        else:
            maybe = wide
        if len(maybe):
            narrowed = values.iloc[maybe].reset_index(drop=True)
            held = np.flatnonzero(contains(narrowed, alternation_of(texts)))
            for row in maybe[held].tolist():
                text = values.iloc[row]
                owned = {i for i in anchors.literal if table[i].text in text}
                if owned:
                    found.setdefault(row, set()).update(owned)
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


def lines(text: str) -> list[tuple[int, int]]:
    """The non-empty lines of ``text`` as stripped (start, end) spans."""
    spans: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        start, end = _strip(text, at, at + len(line))
        if end > start:
            spans.append((start, end))
        at += len(line) + 1
    return spans


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


def credit_hit(text: str, match: re.Match[str], kind: Kind = "label") -> tuple[int, int] | None:
    """The caption line a picture credit's ``match`` leads or closes, else None: a
    credit mid-line ("Photo: ... " inside a paragraph) is the article's own words.
    An agency's name (``kind`` "phrase") counts only leading a short line of names:
    "Reuters reported ..." is the article's."""
    line = _strip(text, *_line(text, match.start()))
    if line[1] - line[0] > CAPTION_LINE:
        return None
    leads = not text[line[0] : match.start()].strip(_LEAD)
    if kind == "phrase":
        rest = text[match.end() : line[1]]
        prose = any(w[:1].islower() and len(w) >= 4 for w in _WORDS.findall(rest))
        return line if leads and line[1] - line[0] <= CREDIT_LINE and not prose else None
    if leads:
        return line
    credit = match.group(0)
    if not (credit.endswith((":", "：", "=")) or credit == "©"):
        # "Photo by X" closes a caption only as a labelled credit does.
        return None
    tail = text[match.end() : line[1]]
    if len(tail) > CREDIT_TAIL or _CREDIT_TAIL_END.search(tail.rstrip(" )].»\"'")):
        return None
    return line


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
    classes: Sequence[str] | None = None,
) -> list[Hit]:
    """Every span of ``values`` that is site text of ``table`` (overlaps merged);
    ``anywhere``: every match as it stands, without looking at the text around it.
    ``screened=False`` tries every entry on every row (what the screen must equal);
    ``classes``: only entries of these classes."""
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
        lower = folded(text)
        spans: list[tuple[int, int, str]] = []
        for index in sorted(owned):
            entry = table[index]
            if entry.kind not in kinds or (classes is not None and entry.site_class not in classes):
                continue
            for match in matches_at(entry.pattern, text, lower, _head(entry.text)):
                if anywhere:
                    span: tuple[int, int] | None = match.span()
                elif entry.site_class == "credit":
                    span = credit_hit(text, match, entry.kind)
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
