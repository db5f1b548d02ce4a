"""Anchor screen: the one-pass C keying and the numpy/Python path find the same long
words and line edges, and the site-text screen built on it misses no phrase."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _siteanchors as siteanchors
from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.text.anchors import (
    Screen,
    anchor_hits,
    bitmap_of,
    core,
    pair_key,
    rows_with_bytes_from,
    screen_key,
    screen_keys,
)
from corpus_qa.text.keys import NATIVE
from corpus_qa.text.screens import folded, head_positions, matches_at
from tests.conftest import examples

WORDS = [
    "Sign",
    "up",
    "for",
    "our",
    "newsletter",
    "newsletter.",
    "»Newsletter«",
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
    "—",
    "•",
    "→",
    "©",
    "(c)",
    "한국어",
    "ニュースレター",
    "登録",
    "a-rather-long-word-beyond-sixty-four-bytes-so-that-it-runs-across-a-block-edge",
    "",
]
SPACES = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \n ", "\r\n", "\x0b"])
BODY = st.lists(st.tuples(st.sampled_from(WORDS), SPACES), max_size=16).map(
    lambda parts: "".join(w + s for w, s in parts)
)
BODIES = st.lists(st.one_of(BODY, st.text(max_size=80), st.none()), max_size=6)
_ASCII_SPACE = re.compile(r"[\t\n\v\f\r ]+")


def _screen(words: list[str], min_bytes: int, bits: int = 12) -> Screen:
    """A screen for ``words`` as long words, line heads and tails, and each adjacent two
    as a head or tail pair."""
    keys = screen_keys(words)
    pairs = np.array(
        [pair_key(int(a), int(b)) for a, b in itertools.pairwise(keys.tolist())],
        dtype=np.uint64,
    )
    both = np.concatenate([keys, pairs])
    return Screen(bitmap_of(keys, bits), bitmap_of(both, bits), bitmap_of(both, bits), min_bytes)


@settings(max_examples=examples(300))
@given(BODIES, st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), st.integers(1, 9))
@example(["x" * 63 + " newsletter", "y" * 64, "z" * 60 + " newsletter"], ["newsletter"], 4)
def test_native_hits_equal_pure_hits(bodies: list[str | None], wanted: list[str], low: int) -> None:
    """The C pass and the numpy/Python path report the same (row, key), in order:
    words across 64-byte blocks, at a value's end, punctuation cores, every ASCII
    whitespace."""
    values = pd.Series(bodies, dtype="str")
    screen = _screen(wanted, low)
    rows, keys = anchor_hits(values, screen, native=False)
    if NATIVE:
        native_rows, native_keys = anchor_hits(values, screen, native=True)
        assert native_rows.tolist() == rows.tolist()
        assert native_keys.tolist() == keys.tolist()


@settings(max_examples=examples(300))
@given(st.binary(max_size=24), st.binary(max_size=24))
@example(b"newsletter", b"newsXXXXtter")
@example(b"app", b"app\0")
def test_words_share_a_screen_key_when_their_ends_and_length_agree(a: bytes, b: bytes) -> None:
    """The key is a bijection of (first four bytes, last four bytes, length): two words
    share one exactly when those agree, as under SplitMix's finalizer."""
    same = (a[:4], a[-4:], len(a)) == (b[:4], b[-4:], len(b))
    assert (screen_key(a) == screen_key(b)) == same
    assert 0 <= screen_key(a) < 1 << 64


def _words(text: str) -> list[str]:
    return [w for w in _ASCII_SPACE.split(text) if w]


@settings(max_examples=examples(300))
@given(BODIES, st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), st.integers(1, 9))
def test_hits_are_the_screens_words_and_edges(
    bodies: list[str | None], wanted: list[str], low: int
) -> None:
    """Every long word whose key is wanted, and every line's first and last core (and
    their pairs) that is, is reported in its row (the screen may pass more)."""
    values = pd.Series(bodies, dtype="str")
    screen = _screen(wanted, low, bits=16)
    keys = set(screen_keys(wanted).tolist())
    pairs = {pair_key(*screen_keys(wanted[i : i + 2]).tolist()) for i in range(len(wanted) - 1)}
    expected: set[tuple[int, int]] = set()
    for row, body in enumerate(bodies):
        for word in _words(body or ""):
            key = screen_key(word.encode())
            if len(word.encode()) >= low and key in keys:
                expected.add((row, key))
        for line in (body or "").split("\n"):
            cores = [c for c in map(core, _words(line)) if c]
            for pick, single in ((cores[:2], 0), (cores[-2:], -1)):
                ends = [screen_key(c.encode()) for c in pick]
                if ends and ends[single] in keys:
                    expected.add((row, ends[single]))
                if len(ends) == 2 and pair_key(*ends) in pairs:
                    expected.add((row, pair_key(*ends)))
    for native in (False, True) if NATIVE else (False,):
        rows, found = anchor_hits(values, screen, native=native)
        assert expected <= set(zip(rows.tolist(), found.tolist(), strict=True))


def test_a_long_word_straddling_blocks_and_a_short_one() -> None:
    """A long word across a 64-byte edge and one closing a value of 64 bytes are read;
    a short word is read only at a line's edge."""
    long = "x" * 60 + " newsletter " + "y" * 10
    closing = "z" * 53 + " newsletter"
    short = "the app is here\napp"
    values = pd.Series([long, closing, short], dtype="str")
    assert len(closing) == 64
    screen = _screen(["newsletter", "app"], 4)
    letter, app = screen_key(b"newsletter"), screen_key(b"app")
    for native in (False, True) if NATIVE else (False,):
        rows, keys = anchor_hits(values, screen, native=native)
        held = set(zip(rows.tolist(), keys.tolist(), strict=True))
        assert {(0, letter), (1, letter), (2, app)} <= held
        assert sum(1 for r, k in held if k == app) == 1


def test_rows_with_wide_characters() -> None:
    values = pd.Series(["", "plain", None, "日本語", "", "café – …", "登録"], dtype="str")
    assert rows_with_bytes_from(values, 0xE3).tolist() == [3, 6]
    assert rows_with_bytes_from(pd.Series([], dtype="str"), 0xE3).tolist() == []


def test_core_drops_punctuation_at_the_ends_only() -> None:
    assert core("»Newsletter«") == "Newsletter"
    assert core("(sign-up).") == "sign-up"
    assert core("•") == ""
    assert core("you're") == "you're"


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
        "Foto: dpa",
        "Bildunterschrift © Getty Images",
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


TABLE = sitetext.entries(sitetext.ALL_CLASSES)
_COMMON = siteanchors._commonness(TABLE)
#: Phrases without a word to look for anywhere: screened where they open or close a line.
EDGED = {
    e
    for e in TABLE
    if not siteanchors._positional(e)
    and (found := siteanchors._anchors_of(e, _COMMON))
    and {tier for tier, _ in found} <= {"head", "tail"}
}


def _glued(entry: sitetext.Entry) -> bool:
    """Whether another entry stands in this one's text glued to a letter at a non-ASCII
    edge ("앱 설치" in "앱 설치하기"): its pattern matches there (no word boundary at a
    non-ASCII letter) but the screen reads the glued word, the documented limit."""
    text = entry.text.casefold()
    for inner in _NON_ASCII_EDGED:
        at = text.find(inner)
        while inner != text and at >= 0:
            end = at + len(inner)
            if (at and text[at - 1].isalnum() and not inner[0].isascii()) or (
                end < len(text) and text[end].isalnum() and not inner[-1].isascii()
            ):
                return True
            at = text.find(inner, at + 1)
    return False


_NON_ASCII_EDGED = {
    e.text.casefold() for e in TABLE if not (e.text[0].isascii() and e.text[-1].isascii())
}
SAMPLED = [e for e in TABLE if not _glued(e)]
FILLER = st.sampled_from(
    [
        "Der Stadtrat beschloss den Haushalt.",
        "The council approved the budget,",
        "Le conseil a voté",
        "Москва заявила",
        "서울시는 밝혔다",
        "東京都は発表した",
        "»",
        "•",
        "—",
        "",
    ]
)


@settings(max_examples=examples(100))
@given(
    st.lists(
        st.tuples(FILLER, st.sampled_from(SAMPLED), st.integers(0, 4), FILLER, SPACES),
        min_size=1,
        max_size=4,
    )
)
def test_every_lexicon_entry_is_screened_in(
    parts: list[tuple[str, sitetext.Entry, int, str, str]],
) -> None:
    """Real lexicon entries, in each case a page writes them in, opening, inside and
    closing lines of multilingual text: the screened search finds what trying every
    entry on every row finds (no hit lost in any language)."""
    body = ""
    for before, entry, case, after, space in parts:
        variants = sorted(siteanchors._cases(entry.text.split(), len(entry.text.split()) == 1))
        text = " ".join(variants[case % len(variants)])
        if entry in EDGED:
            # found where it opens or closes a line (the documented limit)
            body += f"{text}{space}{text}\n"
        else:
            body += f"{before} {text} {after}{space}{text}\n"
    values = pd.Series([body], dtype="str")
    sitetext._LAST.clear()
    for kinds in (("phrase", "label", "closer"), ("phrase",)):
        screened = sitetext.find(values, TABLE, kinds)
        assert screened == sitetext.find(values, TABLE, kinds, screened=False)
    # Anywhere (titles), as boilerplate.leak looks: not the classes of a line's edge.
    anywhere = tuple(c for c in sitetext.ALL_CLASSES if c not in ("credit", "ending"))
    assert sitetext.find(
        values, TABLE, ("phrase",), anywhere=True, classes=anywhere
    ) == sitetext.find(values, TABLE, ("phrase",), anywhere=True, screened=False, classes=anywhere)


def test_anchor_table_keys_every_spelling_of_every_entry() -> None:
    """The table holds exactly each entry's anchor spellings (``_anchors_of``), keyed
    and owned (entry and slot) as the screen reads them; a word anchor is never a stop
    word nor shorter than the screen reads."""
    table = sitetext.entries(sitetext.ALL_CLASSES, (("Foo bar", "phrase"), ("Baz", "label")))
    anchors = siteanchors._anchors(table)
    common = siteanchors._commonness(table)
    stop = siteanchors._stop_words()
    expected: set[tuple[int, int]] = set()
    for index, entry in enumerate(table):
        if index in anchors.literal:
            continue
        found = siteanchors._anchors_of(entry, common)
        words = [s for tier, s in found if tier == "word"]
        assert anchors.needs[index] == max(len(words), 1)
        for slot, spellings in enumerate(words):
            assert all(len(s.encode()) >= siteanchors.MIN_ANCHOR_BYTES for s in spellings)
            assert not {siteanchors._folded(s) for s in spellings} & stop
            expected |= {(int(k), index * 2 + slot) for k in screen_keys(spellings)}
        for tier, spellings in found:
            if tier != "word":
                expected |= {(int(k), index * 2) for k in screen_keys(spellings)}
    held = {
        (int(key), int(owner))
        for k, key in enumerate(anchors.keys.tolist())
        for owner in anchors.owners[anchors.starts[k] : anchors.starts[k + 1]]
    }
    assert held == expected
    assert anchors.keys.tolist() == sorted(set(anchors.keys.tolist()))
    literal = [table[i].text for i in anchors.literal]
    assert "©" in literal
    assert all(t == "©" or siteanchors._SCRIPT_WITHOUT_SPACES.search(t) for t in literal)


def test_short_phrases_are_screened_at_line_edges() -> None:
    """The phrases without a word the screen reads anywhere (all their words short or
    too common): the list the docs give, found where they open or close a line."""
    common = siteanchors._commonness(TABLE)
    edged = sorted(
        {
            e.text
            for e in TABLE
            if not siteanchors._SCRIPT_WITHOUT_SPACES.search(e.text)
            and not siteanchors._positional(e)
            and siteanchors._anchors_of(e, common)
            and {t for t, _ in siteanchors._anchors_of(e, common)} <= {"head", "tail"}
        }
    )
    assert edged == sorted(
        [
            "Ads by",
            "Add a comment",
            "Get the app",
            "Log in to comment",
            "Report this ad",
            "Tap here to",
            "While you are here",
            "While you're here",
            "Zum Abo",
            "i vores app",
            "in onze app",
            "la nostra app",
            "nuestra app para",
        ]
    )
    values = pd.Series(["Ads by Google", "Mehr dazu. Ads by Google weiter"], dtype="str")
    sitetext._LAST.clear()
    assert [h.row for h in sitetext.find(values, TABLE, ("phrase",), anywhere=True)] == [0]


@settings(max_examples=examples(100))
@given(st.lists(st.integers(0, 2**64 - 1), max_size=50), st.lists(st.integers(0, 400), max_size=50))
def test_table_finds_exactly_its_keys(others: list[int], picks: list[int]) -> None:
    """The low-bits prefilter drops no key of the table: positions and places as an
    exact binary search over every hit gives them."""
    anchors = siteanchors._anchors(sitetext.entries(sitetext.ALL_CLASSES))
    table_keys = anchors.keys[np.asarray(picks, dtype=np.int64) * 601 % len(anchors.keys)]
    keys = np.concatenate([np.asarray(others, dtype=np.uint64), table_keys, table_keys + 1])
    at, where = anchors.find(keys)
    place = np.minimum(np.searchsorted(anchors.keys, keys), len(anchors.keys) - 1)
    exact = np.flatnonzero(anchors.keys[place] == keys)
    assert at.tolist() == exact.tolist()
    assert where.tolist() == place[exact].tolist()


def test_a_phrase_in_a_mixed_case_is_running_text() -> None:
    """A phrase written in a case no page writes it in ("und unterstützen Sie uns
    dabei") is not site text, screened or not."""
    values = pd.Series(["Wir testen und unterstützen Sie uns dabei gern.", "Post a Comment"])
    sitetext._LAST.clear()
    for screened in (True, False):
        assert sitetext.find(values, TABLE, screened=screened) == []


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


@settings(max_examples=examples(300))
@given(
    st.lists(st.sampled_from(ENTRY_TEXTS), min_size=1, max_size=4),
    st.lists(TEXT_PARTS, max_size=12).map("".join),
)
@example(["Read more", "Read more", "read"], "read more read moreread more")
def test_matches_at_shared_head_positions_equal_finditer(entry_texts: list[str], text: str) -> None:
    """Entries of one text sharing a dict of head positions find what each entry's
    pattern finds alone (the dict is filled by the first entry with that head)."""
    lower = folded(text)
    heads: dict[str, list[int]] = {}
    for entry_text in entry_texts:
        entry = sitetext._entry(entry_text, "ui", "phrase")
        expected = [m.span() for m in entry.pattern.finditer(text)]
        head = sitetext._head(entry.text)
        found = matches_at(entry.pattern, text, lower, head, heads)
        assert [m.span() for m in found] == expected
        if lower is not None and head:
            assert heads[head] == [i for i in range(len(lower)) if lower.startswith(head, i)]


def test_head_positions_include_overlapping_ones() -> None:
    assert head_positions("aaaa", "aa") == [0, 1, 2]
    assert head_positions("read more", "x") == []
