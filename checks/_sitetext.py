"""Site text of the ``site_text`` lexicon, found in bodies with the evidence around it.

Shared by the boilerplate checks. A lexicon of hundreds of phrases in sixteen languages
is too big for one RE2 automaton (it falls back to a slow engine) and made of common
letters (no rare character to screen on). So every entry is given *anchors*
(:mod:`._siteanchors`): a phrase its two rarest words of four bytes or more, a label,
closer or credit a line's first or last words. The bodies' long words and line edges
are keyed in one C pass (:func:`corpus_qa.text.anchors.anchor_hits`); bitmaps over
the keys' top and low bits keep the few that may be anchors, and only the bodies
holding every word anchor of an entry (or an edge anchor) are searched, for those
entries. A phrase of several words counts only in a case pages write it in
(:func:`_as_written`), the cases its anchors are spelled in. Phrases of scripts
written without spaces (CJK) are screened as literals instead. The limit: an anchor
glued to a letter or digit beside it ("mayor.Subscribe" is read as one word) is not
screened in.

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
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from corpus_qa.checks.builtin import _sitespans as spans
from corpus_qa.checks.builtin._siteanchors import (
    _anchors,
    _cases,
    _held,
)
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
from corpus_qa.text.anchors import anchor_hits
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
    ``anywhere``: every match as it stands, without looking at the text around it (the
    screen finds a credit's or an ending's phrase only at a line's edge, where it
    counts in a body: leave those classes out).
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
        # Where each entry's head word occurs in this text, found once per head.
        heads: dict[str, list[int]] = {}
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
            for match in matches_at(entry.pattern, text, lower, _head(entry.text), heads):
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
