"""The site-text screen's anchors: which words of each lexicon entry a chunk's bodies
are screened on (see :mod:`._sitetext`, which finds the entries' matches, and
:mod:`corpus_qa.text.anchors`, which reads the words).

A phrase is keyed on its two rarest words of at least :data:`MIN_ANCHOR_BYTES` bytes:
the fewest entries of the lexicon hold them (a fixed measure of the lexicon, not of
any corpus), never a word of the lexicons' ``site_text.screen.common`` lists (words
too common in running text), and a row is screened in only where it holds both. An
entry that counts only at a line's edge (a label, a closer, a credit) is keyed on a
line's first or last two words. A phrase without a word to key on anywhere (all its
words short or common: "Ads by", "Get the app") is looked for where it opens or
closes a line; an entry without a word at all ("©") and CJK phrases are screened as
literals.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from corpus_qa.checks.builtin._sitespans import Entry, _category
from corpus_qa.text import anchors as text_anchors
from corpus_qa.text import stored
from corpus_qa.text.anchors import Anchor, AnchorTable, Tier, anchor_table

#: Bits of a word key that index the anchor bitmap.
_BITMAP_BITS = 22
_SCRIPT_WITHOUT_SPACES = re.compile("[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


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
    """The distinct values, sorted (a sort: numpy's hashed ``unique`` is slower here).
    A stable sort: the values come in runs already in order (a row's hits, rows in
    order), which it merges where the default sort starts over."""
    ordered = np.sort(values, kind="stable")
    return ordered[np.append(True, ordered[1:] != ordered[:-1])] if len(ordered) else ordered
