"""Anchor screen: the one-pass C keying and the numpy path find the same words and
pairs, and the site-text screen built on it misses no phrase."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.text.anchors import anchor_hits, bitmap_of, pair_keys, rows_with_bytes_from
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


def _bitmap(words: list[str], bits: int) -> np.ndarray:
    hashes = string_hashes(pa.array(words, pa.large_string()))
    pairs = pair_keys(hashes[:-1], hashes[1:])
    return bitmap_of(np.concatenate([hashes, pairs]), bits)


@settings(max_examples=examples(200))
@given(BODIES, st.integers(4, 16))
def test_native_hits_equal_numpy_hits(bodies: list[str | None], bits: int) -> None:
    values = pd.Series(bodies, dtype="str")
    bitmap = _bitmap(["Newsletter", "newsletter", "our", "登録", "ANZEIGE"], bits)
    rows, keys = anchor_hits(values, bitmap, native=False)
    if NATIVE:
        native_rows, native_keys = anchor_hits(values, bitmap, native=True)
        assert native_rows.tolist() == rows.tolist()
        assert native_keys.tolist() == keys.tolist()


def test_a_phrase_anchor_is_found_in_its_row() -> None:
    values = pd.Series(
        ["Der Rat tagte am Montag.", "Melden Sie sich für unseren Newsletter an.", None],
        dtype="str",
    )
    hashes = string_hashes(pa.array(["unseren", "Newsletter"], pa.large_string()))
    pair = pair_keys(hashes[:1], hashes[1:])[0]
    rows, keys = anchor_hits(values, bitmap_of(np.array([pair], dtype=np.uint64), 22))
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
