"""Site text of the ``site_text`` lexicon, found in bodies with the evidence around it.

Shared by the boilerplate checks. A lexicon of hundreds of phrases in sixteen languages
is too big for one RE2 automaton (it falls back to a slow engine) and made of common
letters (no rare character to screen on). So every phrase is given an *anchor*: its
longest pair of adjacent words (a one-word label: its word), in the case variants text
writes it in. The bodies' words are hashed in one C pass
(:func:`corpus_qa.text.anchors.anchor_hits`), and pairs of adjacent words keyed from
those hashes where both words may open and close an anchor; bitmaps over the keys'
top and low bits keep the few that may be anchors, and
only the bodies holding one are searched, for the phrases anchored there. A single
common word ("comment") would let most bodies through; a pair ("a comment") rarely. Phrases of scripts written without spaces
(CJK) are screened as literals instead. The limit: an anchor glued to the word before
or after it without a space ("mayor.Subscribe") is not screened in.

Each phrase class (newsletter, app, ...) has ``phrases``, site text in a sentence, and
``labels``, site text only as a whole line or as a line's lead ("READ MORE: ..."),
and may have ``hints``, words of a promotion box ("App Store") that are evidence only
in a line that also holds one of the class's phrases, and ``closers``, site text
where it ends a short heading after a separator (a live ticker's "en vivo: minuto a
minuto"). The ``top`` class's labels (a link back to the top of the page) take the
short lines that close the body after them. The ``ending`` class's phrases are site
text only closing the body's last sentence, a short one (a link to an overview, "...
im Überblick."; a teaser's "przekonaj się?"). Given each row's outlet, its name is one
more hint of a promotion box, and in a body with other site text a short line that
names it and speaks to the reader is its own promotion.
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

import numpy as np
import pandas as pd
import pyarrow as pa

from corpus_qa.checks.builtin import _sitespans as spans
from corpus_qa.checks.builtin._sitespans import (
    OUTLET_CLASS,
    Entry,
    Hit,
    Kind,
    _alone,
    _category,
    _reader_words,
    closer_hit,
    credit_hit,
    ending_hit,
    label_hit,
    outlet_mentions,
    outlet_promotions,
    page_top_tail,
    phrase_hit,
    promo_paragraphs,
)
from corpus_qa.lexicons.compile import alternation_of
from corpus_qa.text import anchors as text_anchors
from corpus_qa.text import stored
from corpus_qa.text.anchors import Anchor, AnchorTable, Tier, anchor_hits, anchor_table
from corpus_qa.text.chunk_caches import per_chunk
from corpus_qa.text.re2 import contains
from corpus_qa.text.screens import folded, lead_bytes, matches_at, rows_with_any_byte, screen

# Read through this module by the boilerplate checks.
SHORT_LINE = spans.SHORT_LINE
CAPTION_LINE = spans.CAPTION_LINE
_LEAD = spans._LEAD
_TRAIL = spans._TRAIL
lines = spans.lines
_line = spans._line
_strip = spans._strip
_separated = spans._separated

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
    "top",
    "live",
    "ending",
)
#: Classes of promotion boxes: two of their phrases (or hints) make a line one.
PROMO_CLASSES = ("newsletter", "app", "subscription", "affiliate")
#: The classes boilerplate.leak reports; read-also lead-ins are foreign_headline's.
LEAK_CLASSES = tuple(kind for kind in ALL_CLASSES if kind != "read_also")
#: Bits of a word hash that index the anchor bitmap.
_BITMAP_BITS = 22
_SCRIPT_WITHOUT_SPACES = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


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
        for kind in ("phrase", "label", "hint", "closer"):
            for text in _category(f"site_text.{site_class}.{kind}s"):
                found.append(_entry(text, site_class, kind))
    found.extend(_entry(text, "custom", kind) for text, kind in extra)
    return _Table(found)


class _Table(tuple[Entry, ...]):
    """A table of entries that hashes its thousands of entries once: the checks' caches
    (screen, compiled labels) are keyed by the table, looked up in every chunk."""

    def __hash__(self) -> int:
        held: int | None = self.__dict__.get("hash")
        if held is None:
            held = self.__dict__["hash"] = super().__hash__()
        return held


def _entry(text: str, site_class: str, kind: Kind) -> Entry:
    words = {word.strip(".,:;!?") for word in text.split()}
    reader = _reader_words()
    to_reader = any(w in reader or (w.lower() in reader and w.lower() == w) for w in words)
    return Entry(text, site_class, kind, to_reader)


@functools.cache
def _head(text: str) -> str | None:
    """What every match of the entry's pattern opens with, folded: its first word,
    if ASCII (any case of it matches; a non-ASCII letter only as written)."""
    first = text.split()[0]
    return first.lower() if first.isascii() else None


_LEADS = ("*", "»", "„", '"', "(", "|")
_TRAILS = (".", ",", ":", "!", "?", "…", "»")
#: A word anchor is at least this many bytes: the screen reads no shorter word anywhere.
MIN_ANCHOR_BYTES = 4


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


def _positional(entry: Entry) -> tuple[Tier, ...]:
    """Where an entry counts only at a line's edge, the edges its anchor is looked for
    at (see :mod:`._sitespans`): a label leads its line (a comment heading also closes
    a two-word line, "12 Comments"), a closer ends it, an ending phrase ends the body,
    an agency's name is a credit only leading a line, and so is a credit label that
    does not close on a colon. Else ``()``: anywhere."""
    if entry.site_class == "credit":
        if entry.kind == "phrase":
            return ("head",)
        return () if entry.text.endswith((":", "：", "=")) or entry.text == "©" else ("head",)
    if entry.kind == "label":
        return ("head", "tail") if entry.site_class == "comments" else ("head",)
    if entry.kind == "closer" or entry.site_class == "ending":
        return ("tail",)
    return ()


def _anchors_of(entry: Entry, common: dict[str, int]) -> list[tuple[Tier, list[str]]]:
    """Where an entry's anchors are looked for and their spellings.

    An entry that counts only at a line's edge (:func:`_positional`): the core of its
    first word (``head``; with the next word's core, a space between, when it has
    more) or its last (``tail``; with the word before), in each case variant. Any
    other: its two rarest words of at least :data:`MIN_ANCHOR_BYTES` bytes that are
    not :func:`_stop_words` (the fewest entries of the lexicon hold them; then the
    longest), each in each case variant and with the punctuation text glues to a
    phrase's ends; a row is screened in where it holds both. A phrase without such a
    word ("Ads by") is looked for where it opens or closes a line. ``[]``: no word to
    anchor on (a literal)."""
    words = entry.text.split()
    variants = _cases(words, len(words) == 1)
    edges = _positional(entry)
    stop = _stop_words()
    long = [
        i
        for i, w in enumerate(words)
        # in every case variant ("mı?" is four bytes, "MI?" three)
        if min(len(case[i].encode("utf-8")) for case in variants) >= MIN_ANCHOR_BYTES
        and _folded(w) not in stop
    ]
    if not edges and not long:
        edges = ("head", "tail")
    if edges:
        found: list[tuple[Tier, list[str]]] = []
        for tier in edges:
            spelled: set[str] = set()
            for case in variants:
                cores = [c for c in map(text_anchors.core, case) if c]
                if cores:
                    spelled.add(" ".join(cores[:2] if tier == "head" else cores[-2:]))
            if spelled:
                found.append((tier, sorted(spelled)))
        return found
    ranked = sorted(long, key=lambda i: (common[_folded(words[i])], -len(words[i].encode()), -i))
    return [("word", _spellings(words, variants, at)) for at in ranked[:2]]


def _spellings(words: list[str], variants: set[tuple[str, ...]], at: int) -> list[str]:
    """The spellings of word ``at`` of a phrase: its case variants, with the
    punctuation text glues to the phrase's first and last words."""
    spelled: set[str] = set()
    for case in variants:
        word = case[at]
        spelled.add(word)
        if at == 0:
            spelled.update(lead + word for lead in _LEADS)
        if at == len(words) - 1:
            spelled.update(word + trail for trail in _TRAILS)
        if len(words) == 1:
            spelled.update(lead + word + trail for lead in _LEADS for trail in _TRAILS)
    return sorted(spelled)


@functools.cache
def _stop_words() -> frozenset[str]:
    """Words too common in running text to screen a phrase on (the lexicon's
    ``site_text.screen.common``, every language), folded."""
    return frozenset(_folded(w) for w in _category("site_text.screen.common"))


def _folded(word: str) -> str:
    return text_anchors.core(word).casefold()


def _anchor_words(entry: Entry) -> list[tuple[Tier, list[str]]]:
    """:func:`_anchors_of` with the rarity of the whole lexicon (what tests compare)."""
    return _anchors_of(entry, _commonness(entries(ALL_CLASSES)))


def _commonness(table: tuple[Entry, ...]) -> dict[str, int]:
    """How many entries of ``table`` hold each (folded) word: a phrase's rarest word is
    the one the fewest hold, a fixed measure of the lexicon, not of any corpus."""
    counts: dict[str, int] = {}
    for entry in table:
        for word in {_folded(w) for w in entry.text.split()}:
            counts[word] = counts.get(word, 0) + 1
    return counts


@dataclass(frozen=True)
class _Anchors(AnchorTable):
    #: entries screened as literals (no word to anchor on)
    literal: tuple[int, ...]
    #: how many of its word anchors (slots) a row must hold for each entry
    needs: np.ndarray


#: The layout of the stored anchor table; a new layout is a new name on disk.
_STORED = "site-text-anchors-2"


@functools.cache
def _anchors(table: tuple[Entry, ...]) -> _Anchors:
    """The anchor table of ``table``: a pure function of its entries' texts and of the
    code that spells, keys and sorts them, so read from the disk cache
    (:mod:`corpus_qa.text.stored`) when a run built it before."""
    key = stored.digest(
        [
            str(_BITMAP_BITS),
            str(MIN_ANCHOR_BYTES),
            np.__version__,
            *(e.text for e in table),
            # the rarest words are chosen without these
            *sorted(_stop_words()),
        ],
        [__file__, text_anchors.__file__],
    )
    arrays = stored.cached(_STORED, key, lambda: _built_anchors(table))
    fields = {name: arrays[name] for name in _TABLE_FIELDS}
    return _Anchors(
        **fields,
        min_bytes=int(arrays["min_bytes"][0]),
        literal=tuple(arrays["literal"].tolist()),
        needs=arrays["needs"],
    )


#: The arrays of an :class:`AnchorTable`, as stored.
_TABLE_FIELDS = ("words", "heads", "tails", "keys", "starts", "owners", "low")


def _built_anchors(table: tuple[Entry, ...]) -> dict[str, np.ndarray]:
    anchors: list[Anchor] = []
    literal: list[int] = []
    needs = np.ones(len(table), dtype=np.int8)
    common = _commonness(table)
    for index, entry in enumerate(table):
        found = [] if _SCRIPT_WITHOUT_SPACES.search(entry.text) else _anchors_of(entry, common)
        if not found:
            literal.append(index)
        words = [spellings for tier, spellings in found if tier == "word"]
        # A word anchor is one of the entry's slots (all needed); an edge, its only one.
        needs[index] = max(len(words), 1)
        anchors.extend((_owner(index, slot), "word", s) for slot, s in enumerate(words))
        anchors.extend((_owner(index, 0), tier, s) for tier, s in found if tier != "word")
    built = anchor_table(anchors, _BITMAP_BITS, MIN_ANCHOR_BYTES)
    arrays = {name: getattr(built, name) for name in _TABLE_FIELDS}
    return {
        **arrays,
        "min_bytes": np.asarray([built.min_bytes], dtype=np.int64),
        "needs": needs,
        "literal": np.asarray(literal, dtype=np.int64),
    }


#: Word anchors an entry may need at once (the owner id keeps the slot).
_SLOTS = 2


def _owner(index: int, slot: int) -> int:
    return index * _SLOTS + slot


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
    _literal_leads(table)


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
    rows, keys = anchor_hits(values, anchors)
    if len(rows):
        for row, index in _held(anchors, rows, keys):
            found.setdefault(row, set()).add(index)
    if anchors.literal:
        # Every literal has a character from U+3000 on: only values holding a lead byte
        # of the literals' characters are screened (not text in other wide scripts).
        texts = [table[i].text for i in anchors.literal]
        wide = rows_with_any_byte(values, _literal_leads(table))
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


def _held(anchors: _Anchors, rows: np.ndarray, keys: np.ndarray) -> Iterator[tuple[int, int]]:
    """(row, entry) where the row holds every word anchor (slot) of the entry, or an
    edge anchor of it, from the screen's hits."""
    exact, where = anchors.find(keys)
    # A row's repeats of a key count once (common words recur in a body).
    distinct = _distinct(rows[exact] * len(anchors.keys) + where)
    rows, where = distinct // len(anchors.keys), distinct % len(anchors.keys)
    starts = anchors.starts[where]
    counts = anchors.starts[where + 1] - starts
    total = int(counts.sum())
    if not total:
        return
    # Every owner of every hit key, beside its row.
    step = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    owners = anchors.owners[np.repeat(starts, counts) + step].astype(np.int64)
    at = np.repeat(rows, counts)
    pairs = _distinct(at * (len(anchors.needs) * _SLOTS) + owners) // _SLOTS
    first = np.flatnonzero(np.append(True, pairs[1:] != pairs[:-1]))
    held = np.diff(np.append(first, len(pairs)))
    pairs = pairs[first]
    width = len(anchors.needs)
    entry = pairs % width
    keep = held >= anchors.needs[entry]
    yield from zip((pairs[keep] // width).tolist(), entry[keep].tolist(), strict=True)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (a sort: numpy's hashed ``unique`` is slower here)."""
    ordered = np.sort(values)
    return ordered[np.append(True, ordered[1:] != ordered[:-1])] if len(ordered) else ordered


def values_at(values: pd.Series, rows: Sequence[int]) -> dict[int, object]:
    """The values at positional ``rows``, by row, fetched in one take: a pandas
    ``iloc`` per row costs more than most checks' work on the row."""
    if not len(rows):
        return {}
    at = list(rows)
    return dict(zip(at, values.iloc[at].tolist(), strict=True))


@functools.cache
def _literal_leads(table: tuple[Entry, ...]) -> tuple[int, ...]:
    """:func:`~corpus_qa.text.screens.lead_bytes` of the table's literal entries: the
    same every chunk."""
    return lead_bytes(table[i].text for i in _anchors(table).literal)


def find(
    values: pd.Series,
    table: tuple[Entry, ...],
    kinds: Sequence[Kind] = ("phrase", "label", "closer"),
    *,
    anywhere: bool = False,
    screened: bool = True,
    classes: Sequence[str] | None = None,
    outlets: pd.Series | None = None,
) -> list[Hit]:
    """Every span of ``values`` that is site text of ``table`` (overlaps merged);
    ``anywhere``: every match as it stands, without looking at the text around it.
    ``screened=False`` tries every entry on every row (what the screen must equal);
    ``classes``: only entries of these classes; ``outlets``: each row's outlet, whose
    name is evidence of the outlet's own promotion beside site text
    (:func:`~._sitespans.outlet_promotions`)."""
    values = values.reset_index(drop=True)
    if outlets is not None:
        outlets = outlets.reset_index(drop=True)
    hits: list[Hit] = []
    if screened:
        owners = candidates(values, table)
    else:
        owners = {row: set(range(len(table))) for row in range(len(values))}
    ordered = sorted(owners.items())
    texts = values_at(values, [row for row, _ in ordered])
    named_outlets = {} if outlets is None else values_at(outlets, list(texts))
    for row, owned in ordered:
        text = texts[row]
        if not isinstance(text, str):
            continue
        lower = folded(text)
        spans: list[tuple[int, int, str]] = []
        promos: list[tuple[int, int, str, str, bool]] = []
        for index in sorted(owned):
            entry = table[index]
            if classes is not None and entry.site_class not in classes:
                continue
            if entry.kind == "hint":
                # A hint is evidence only beside a phrase of a promotion box.
                if "phrase" in kinds and not anywhere and entry.site_class in PROMO_CLASSES:
                    promos.extend(
                        (*m.span(), entry.site_class, entry.text.casefold(), False)
                        for m in entry.pattern.finditer(text)
                        if _as_written(entry.text, m.group(0))
                    )
                continue
            if entry.kind not in kinds:
                continue
            for match in matches_at(entry.pattern, text, lower, _head(entry.text)):
                if not _as_written(entry.text, match.group(0)):
                    continue
                if anywhere:
                    span: tuple[int, int] | None = match.span()
                elif entry.site_class == "credit":
                    span = credit_hit(text, match, entry.kind)
                elif entry.site_class == "ending":
                    span = ending_hit(text, match)
                elif entry.kind == "phrase":
                    span = phrase_hit(text, match, entry)
                    if entry.site_class in PROMO_CLASSES:
                        key = entry.text.casefold()
                        promos.append((*match.span(), entry.site_class, key, True))
                elif entry.kind == "closer":
                    span = closer_hit(text, match)
                else:
                    span = label_hit(text, match, alone=_alone(entry))
                    if span is not None and entry.site_class == "top":
                        span = page_top_tail(text, span)
                if span is not None and span[1] > span[0]:
                    spans.append((*span, entry.site_class))
        if outlets is not None and (spans or promos):
            named = outlet_mentions(text, named_outlets[row])
            promos.extend((start, end, OUTLET_CLASS, "", False) for start, end in named)
            if spans:
                spans.extend((*line, OUTLET_CLASS) for line in outlet_promotions(text, named))
        if len(promos) > 1 and "\n" in text.strip():
            # A body that is one line (flattened) is judged by its sentences alone.
            spans.extend(promo_paragraphs(text, promos))
        hits.extend(Hit(row, start, end, site_class) for start, end, site_class in _merge(spans))
    return hits


@functools.lru_cache(maxsize=8192)
def _variants(text: str) -> frozenset[tuple[str, ...]]:
    words = text.split()
    return frozenset(_cases(words, len(words) == 1))


def _as_written(text: str, matched: str) -> bool:
    """Whether a match of a phrase of several words is written in one of the cases a
    page writes it in (:func:`_cases`: as in the lexicon, upper case, capitalized,
    title case, lower case). A mixed case is running text ("und unterstützen Sie uns
    dabei", "Post a Comment" aside), and the screen keys only these cases."""
    words = tuple(matched.split())
    return len(words) < 2 or words in _variants(text)


def _merge(spans: Iterable[tuple[int, int, str]]) -> Iterator[tuple[int, int, str]]:
    current: list[tuple[int, int, str]] = []
    for start, end, site_class in sorted(spans):
        if current and start <= current[-1][1]:
            last = current[-1]
            current[-1] = (last[0], max(last[1], end), last[2])
        else:
            current.append((start, end, site_class))
    yield from current
