"""Anchor screen: the one-pass C keying and the numpy path find the same words and
pairs, and the site-text screen built on it misses no phrase."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.text.anchors import (
    Screen,
    anchor_hits,
    bitmap_of,
    pair_keys,
    rows_with_bytes_from,
    screen_of,
)
from corpus_qa.text.keys import NATIVE
from corpus_qa.text.minhash import string_hashes
from corpus_qa.text.screens import folded, matches_at
from tests.conftest import examples

WORDS = [
    "Sign",
    "up",
    "for",
    "our",
    "newsletter",
    "Melden",
    "Sie",
    "sich",
    "für",
    "unseren",
    "Newsletter",
    "an.",
    "Abonnez-vous",
    "à",
    "notre",
    "lettre",
    "ANZEIGE",
    "한국어",
    "ニュースレター",
    "登録",
    "a-rather-long-word-beyond-twenty-four-bytes",
    "",
]
SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \n "])
BODY = st.lists(st.tuples(st.sampled_from(WORDS), SPACES), max_size=12).map(
    lambda parts: "".join(w + s for w, s in parts)
)
BODIES = st.lists(st.one_of(BODY, st.text(max_size=20), st.none()), max_size=6)


def _screen(words: list[str], bits: int) -> Screen:
    """A screen for ``words`` as one-word keys and each adjacent two as a pair key."""
    hashes = string_hashes(pa.array(words, pa.large_string()))
    pairs = pair_keys(hashes[:-1], hashes[1:])
    return screen_of(hashes, hashes[:-1], hashes[1:], pairs, bits)


@settings(max_examples=examples(200))
@given(BODIES, st.integers(8, 16))
def test_native_hits_equal_numpy_hits(bodies: list[str | None], bits: int) -> None:
    values = pd.Series(bodies, dtype="str")
    screen = _screen(["Newsletter", "newsletter", "our", "登録", "ANZEIGE"], bits)
    rows, keys = anchor_hits(values, screen, native=False)
    if NATIVE:
        native_rows, native_keys = anchor_hits(values, screen, native=True)
        assert native_rows.tolist() == rows.tolist()
        assert native_keys.tolist() == keys.tolist()


@settings(max_examples=examples(200))
@given(BODIES, st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
def test_hits_are_the_screens_words_and_pairs(bodies: list[str | None], wanted: list[str]) -> None:
    """Every word that is a one-word key and every pair that is a pair key is reported,
    in its row (the screen may pass more, never fewer)."""
    values = pd.Series(bodies, dtype="str")
    screen = _screen(wanted, 12)
    singles = set(string_hashes(pa.array(wanted, pa.large_string())).tolist())
    hashes = string_hashes(pa.array(wanted, pa.large_string()))
    pairs = set(pair_keys(hashes[:-1], hashes[1:]).tolist())
    words = [(r, w) for r, b in enumerate(bodies) for w in _arrow_words(b)]
    keyed = string_hashes(pa.array([w for _, w in words], pa.large_string()))
    expected = {
        (r, int(k)) for (r, _), k in zip(words, keyed.tolist(), strict=True) if int(k) in singles
    }
    expected |= {
        (words[i][0], int(k))
        for i, k in enumerate(pair_keys(keyed[:-1], keyed[1:]).tolist())
        if i + 1 < len(words) and int(k) in pairs
    }
    for native in (False, True) if NATIVE else (False,):
        rows, keys = anchor_hits(values, screen, native=native)
        assert expected <= set(zip(rows.tolist(), keys.tolist(), strict=True))


@pytest.mark.parametrize("native", [False, True] if NATIVE else [False])
def test_a_pair_needs_an_opening_and_a_closing_word(native: bool) -> None:
    """With every pair key passing, a pair is reported where its first word opens one
    and its second closes one, not either way round; a word where it is a single."""
    our, letter, sign = string_hashes(pa.array(["our", "newsletter", "Sign"], pa.large_string()))
    screen = Screen(
        singles=bitmap_of(np.array([sign]), 16),
        firsts=bitmap_of(np.array([our]), 16),
        lasts=bitmap_of(np.array([letter]), 16),
        pairs=np.full(1 << 5, 0xFF, dtype=np.uint8),
    )
    values = pd.Series(["newsletter our newsletter Sign our", "our", "newsletter"], dtype="str")
    rows, keys = anchor_hits(values, screen, native=native)
    pair = pair_keys(np.array([our]), np.array([letter]))[0]
    assert list(zip(rows.tolist(), keys.tolist(), strict=True)) == [
        (0, int(sign)),
        (0, int(pair)),
        (1, int(pair)),  # across two values: owned by the first word's row
    ]


def _arrow_words(body: str | None) -> list[str]:
    """Words as Arrow's ascii_split_whitespace cuts them (a run of whitespace at either
    end leaves an empty word there)."""
    return pa.compute.ascii_split_whitespace(pa.array([body or ""])).to_pylist()[0]


def test_a_phrase_anchor_is_found_in_its_row() -> None:
    values = pd.Series(
        ["Der Rat tagte am Montag.", "Melden Sie sich für unseren Newsletter an.", None],
        dtype="str",
    )
    hashes = string_hashes(pa.array(["unseren", "Newsletter"], pa.large_string()))
    pair = pair_keys(hashes[:1], hashes[1:])[0]
    none = np.zeros(0, dtype=np.uint64)
    screen = screen_of(none, hashes[:1], hashes[1:], np.array([pair], dtype=np.uint64), 22)
    rows, keys = anchor_hits(values, screen)
    assert 1 in rows[keys == pair].tolist()


def test_rows_with_wide_characters() -> None:
    values = pd.Series(["", "plain", None, "日本語", "", "café – …", "登録"], dtype="str")
    assert rows_with_bytes_from(values, 0xE3).tolist() == [3, 6]
    assert rows_with_bytes_from(pd.Series([], dtype="str"), 0xE3).tolist() == []


SITE_LINES = st.sampled_from(
    [
        "Sign up for our newsletter",
        "Melden Sie sich für unseren Newsletter an.",
        "ANZEIGE",
        "Abonnez-vous à notre newsletter",
        "Der Stadtrat beschloss am Montag den Haushalt für das kommende Jahr.",
        "The council approved the budget on Monday after a long debate.",
        "ニュースレターに登録",
        "关注我们",
        "下载APP",
        "서울시는 내년부터 새로운 교통 정책을 시행한다고 밝혔다",
        "",
    ]
)


@settings(max_examples=examples(60))
@given(st.lists(st.lists(SITE_LINES, max_size=5).map("\n".join), max_size=5))
def test_screened_find_equals_unscreened(bodies: list[str]) -> None:
    values = pd.Series(bodies, dtype="str")
    table = sitetext.entries(sitetext.ALL_CLASSES)
    sitetext._LAST.clear()
    assert sitetext.find(values, table) == sitetext.find(values, table, screened=False)


def test_anchor_table_keys_every_spelling_of_every_entry() -> None:
    """The numpy-built table holds exactly each entry's anchor spellings, spelled out
    one tuple at a time (``_anchor_words``), keyed and owned as the screen reads them."""
    table = sitetext.entries(sitetext.ALL_CLASSES, (("Foo bar", "phrase"), ("Baz", "label")))
    anchors = sitetext._anchors(table)
    expected: set[tuple[int, int]] = set()
    for index, entry in enumerate(table):
        if index in anchors.literal:
            continue
        spelled = sorted(sitetext._anchor_words(entry))
        firsts = string_hashes(pa.array([s[0] for s in spelled], pa.large_string()))
        seconds = string_hashes(pa.array([s[-1] for s in spelled], pa.large_string()))
        pairs = pair_keys(firsts, seconds)
        for k, words in enumerate(spelled):
            expected.add((int(pairs[k] if len(words) == 2 else firsts[k]), index))
    held = {
        (int(key), int(owner))
        for k, key in enumerate(anchors.keys.tolist())
        for owner in anchors.owners[anchors.starts[k] : anchors.starts[k + 1]]
    }
    assert held == expected
    assert anchors.keys.tolist() == sorted(set(anchors.keys.tolist()))
    assert all(
        np.all(np.diff(anchors.owners[anchors.starts[k] : anchors.starts[k + 1]]) > 0)
        for k in range(len(anchors.keys))
    )
    assert anchors.literal and all(
        sitetext._SCRIPT_WITHOUT_SPACES.search(table[i].text) for i in anchors.literal
    )


@settings(max_examples=examples(100))
@given(st.lists(st.integers(0, 2**64 - 1), max_size=50), st.lists(st.integers(0, 400), max_size=50))
def test_table_finds_exactly_its_keys(others: list[int], picks: list[int]) -> None:
    """The low-bits prefilter drops no key of the table: positions and places as an
    exact binary search over every hit gives them."""
    anchors = sitetext._anchors(sitetext.entries(sitetext.ALL_CLASSES))
    table_keys = anchors.keys[np.asarray(picks, dtype=np.int64) * 601 % len(anchors.keys)]
    keys = np.concatenate([np.asarray(others, dtype=np.uint64), table_keys, table_keys + 1])
    at, where = anchors.find(keys)
    place = np.minimum(np.searchsorted(anchors.keys, keys), len(anchors.keys) - 1)
    exact = np.flatnonzero(anchors.keys[place] == keys)
    assert at.tolist() == exact.tolist()
    assert where.tolist() == place[exact].tolist()


ENTRY_TEXTS = [
    "Sign up for our newsletter",
    "Read more",
    "ANZEIGE",
    "Anzeige",
    "Foto:",
    "Abonnez-vous à notre newsletter",
    "Für Sie",
    "© 2021",
]
TEXT_PARTS = st.sampled_from(
    [
        *ENTRY_TEXTS,
        "sign UP for OUR Newsletter",
        "SIGN  up\tfor our newsletterS",
        "read\nmore",
        "READ MORE:",
        "anzeige",
        "xAnzeige",
        "İstanbul",
        "ΟΔΟΣ ",
        "für sie",
        "FÜR SIE",
        "Straße",
        " ",
        "\n",
        ". ",
    ]
)


@settings(max_examples=examples(300))
@given(st.sampled_from(ENTRY_TEXTS), st.lists(TEXT_PARTS, max_size=12).map("".join))
@example("Read more", "İstanbul: read more. READ MORE")
@example("Für Sie", "ΟΔΟΣ für sie")
def test_matches_at_heads_equal_finditer(entry_text: str, text: str) -> None:
    """The head-jumping search finds what the entry's pattern finds scanning every
    position, in any ASCII case, beside characters that fold to two ("İ")."""
    entry = sitetext._entry(entry_text, "ui", "phrase")
    expected = [m.span() for m in entry.pattern.finditer(text)]
    found = matches_at(entry.pattern, text, folded(text), sitetext._head(entry.text))
    assert [m.span() for m in found] == expected
