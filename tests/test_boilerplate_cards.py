"""Teaser cards and tag lists left in bodies: dated teaser lines (boilerplate.foreign_headline)
and hashtag and tag lines (boilerplate.leak), never the article's own dated or tagged lines."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _cards as cards
from corpus_qa.checks.builtin.boilerplate import BoilerplateLeak
from corpus_qa.checks.builtin.headlines import ForeignHeadline
from corpus_qa.model import ArticleDraft
from corpus_qa.tables.build import build_tables, drafts_frame
from corpus_qa.testing.synth import SENTENCES
from corpus_qa.text.keys import NATIVE

ARTICLE = (
    "The council approved the budget on Tuesday after a debate that lasted well into "
    "the evening, with several members warning that the cuts to library hours would "
    "fall hardest on families without internet access at home."
)
ARTIKEL = (
    "Der Stadtrat hat den Haushalt am Dienstag nach einer langen Debatte beschlossen; "
    "mehrere Mitglieder warnten, dass die Kürzungen bei den Öffnungszeiten der "
    "Bibliothek vor allem Familien ohne Internetzugang treffen würden."
)


def _headline_spans(body: str) -> list[str]:
    draft = ArticleDraft(
        record_id="r0",
        source_path="d.jsonl",
        line_start=1,
        line_end=1,
        role="main",
        title="A title of this page",
        title_line=None,
        body=body,
        body_lines=None,
        outlet="Harbor Times",
    )
    articles, images = build_tables(drafts_frame([draft]))
    check = ForeignHeadline()
    found = check.finalize(check.observe(articles, images))
    return [body[s:e] for s, e in zip(found["start"], found["end"], strict=True)]


def _leak_spans(body: str) -> list[str]:
    articles = pd.DataFrame({"title": ["A title"], "body": [body]}, dtype="str")
    found = BoilerplateLeak().run(articles, pd.DataFrame())
    return [body[s:e] for s, e in zip(found["start"], found["end"], strict=True)]


TEASER_BLOCKS = [
    # A card's date and title glued by the extractor.
    [
        "26.09.2019Komoot ist Tourenportal, Routenplaner und Navi in einem.",
        "01.01.2022Neuer Rekord: Noch nie zuvor wurden so viele Touren geteilt",
    ],
    # Set off by a bar or a bullet, with a month's name of the lexicon.
    ["12 May 2021 | Mayor quits after budget row", "3 June 2021 | Ferry strike ends"],
    ["14. März 2022 · Neue Radwege für die Innenstadt", "2. April 2022 · Mehr Busse am Abend"],
    # Relative dates with a count, in two languages.
    ["vor 3 Stunden Hochwasser an der Elbe", "vor 5 Stunden Neue Regeln für Mieter"],
    ["2 hours ago Harbour Board approves new pier", "5 hours ago Library hours cut"],
]


@pytest.mark.parametrize("block", TEASER_BLOCKS, ids=[b[0][:20] for b in TEASER_BLOCKS])
def test_dated_teaser_lines_together_are_found(block: list[str]) -> None:
    body = "\n".join([ARTICLE, ARTIKEL, *block])
    assert _headline_spans(body) == block


def test_a_dated_card_closing_the_body_is_found_alone() -> None:
    card = "1.12.2022 | Quelle: Agentur | solar.example © Media GmbH"
    assert _headline_spans(f"{ARTICLE}\n{ARTIKEL}\n{card}") == [card]


ARTICLE_DATED = [
    # A chronology: a colon or a dash sets the article's dates off.
    [
        "12. Mai 2021: Der Bundestag beschließt das Gesetz.",
        "3. Juni 2021: Der Bundesrat stimmt zu.",
    ],
    ["- 2019-01-14: Auftaktveranstaltung im Rathaus", "- 2018-01-06: Erste Lesung im Landtag"],
    ["02.11.2022 - Placebo - Stadthalle", "03.11.2022 - Grandbrothers - Flex"],
    # Relative dates starting the article's sentences.
    ["Vor 3 Jahren begann der Umbau.", "Vor 2 Jahren wurde die Brücke gesperrt."],
    # One glued date line in the middle of the article is no list of cards.
    ["26.09.2019Berlin. Der Senat hat am Donnerstag den Haushalt beschlossen", ARTICLE],
]


@pytest.mark.parametrize("lines", ARTICLE_DATED, ids=[b[0][:20] for b in ARTICLE_DATED])
def test_the_articles_own_dated_lines_are_not_teasers(lines: list[str]) -> None:
    assert _headline_spans("\n".join([ARTICLE, *lines, ARTIKEL])) == []


TAG_LINES = [
    "#Klima #Energie #Politik",
    "#QAnon#Macht#Sexualwissenschaft#Verschwörungstheorie",
    "Tags: Klima, Energie, Politik",
    "Tags:Uncategorized",
    "Schlagwörter: Haushalt | Stadtrat | Bibliothek",
    "Mots-clés : budget, conseil municipal",
    "タグ：政治、経済、国際関係",
]


@pytest.mark.parametrize("line", TAG_LINES)
def test_hashtag_and_tag_lines_are_found(line: str) -> None:
    assert _leak_spans(f"{ARTICLE}\n{line}\n{ARTIKEL}") == [line]


ARTICLE_TAGGED = [
    "Under the hashtag #MeToo, thousands of women shared their stories online.",
    "#MeToo",
    "# A heading in Markdown",
    "#1 #2 #3",
    "Tag: Samstag, 12. Mai",
    "Themen: Haushalt, Schulen, Verkehr",
    "Tags: The label said the tags had been removed before the sale began.",
]


@pytest.mark.parametrize("line", ARTICLE_TAGGED)
def test_the_articles_hashtags_and_labels_are_not_tag_lines(line: str) -> None:
    # The rule itself: "Tag:" leading a line is also an Italian UI label of the lexicon.
    assert cards.tag_lines(f"{ARTICLE}\n{line}\n{ARTIKEL}") == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(SENTENCES),
            st.sampled_from(["12.05.2021", "12 May 2021", "2021-05-12", "12. März 2021"]),
            st.sampled_from([": ", " - ", " – ", " — "]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_a_chronology_is_never_a_list_of_cards(lines: list[tuple[str, str, str]]) -> None:
    """Dates set off by a colon or a dash are the article's, however many stand together."""
    text = "\n".join(f"{date}{sep}{sentence}" for sentence, date, sep in lines)
    assert cards.teaser_lines(f"{ARTICLE}\n{text}") == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(SENTENCES),
            st.sampled_from(["Vor 3 Stunden", "vor 2 Tagen", "3 hours ago", "Two days ago"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_sentences_opening_with_a_relative_date_are_never_cards(
    lines: list[tuple[str, str]],
) -> None:
    """A sentence ends with a stop: a card's headline does not."""
    text = "\n".join(f"{date} {sentence.lower()}." for sentence, date in lines)
    assert cards.teaser_lines(f"{ARTICLE}\n{text}") == []


# Lines' openings: lead characters (ASCII, "•", "·"), digits, spaces and tabs, letters
# of one to four bytes, a newline and a carriage return, so that the twelve characters
# before a space straddle every kind.
CARD_PIECES = st.sampled_from(
    [" ", "\t", "*", "-", ">", "•", "·", "0", "7", "12.", "a", "May", "é", "中", "😀", "\n", "\r"]
)
#: The screen in Python's re as well: ^ and the classes mean the same there.
_TEASER_RE = re.compile(cards._TEASER_PRESCREEN)


@given(st.lists(st.lists(CARD_PIECES, max_size=18).map("".join), max_size=8))
@settings(max_examples=300)
def test_card_starts_equal_the_re2_screen(lines: list[str]) -> None:
    evidence = pa.array(lines, pa.large_string())
    expected = cards.card_starts(evidence, native=False)
    assert [i for i, t in enumerate(lines) if _TEASER_RE.match(t)] == expected.tolist()
    if NATIVE:
        assert cards.card_starts(evidence, native=True).tolist() == expected.tolist()


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("26.09.2019Komoot ist", True),
        ("• 12 May 2021 | Headline", True),
        ("vor 3 Stunden Hochwasser", True),
        ("Twelve chars 5 then", True),
        ("Thirteen char 5 then", False),
        ("ab1 2", False),
        ("  ·  x\t9", True),
        ("中文中文中文中文中文中文 1", True),
        ("", False),
    ],
)
def test_card_starts_of_real_openings(line: str, kept: bool) -> None:
    evidence = pa.array([line], pa.large_string())
    for native in (False, NATIVE):
        assert cards.card_starts(evidence, native=native).tolist() == ([0] if kept else [])


# Tag lines and their near misses: labels with either colon, hashtags, lead
# characters, lines with a "#" or a ":" elsewhere, and lines with none.
TAG_PIECES = st.sampled_from(
    [
        "Tags",
        "tags",
        "Schlagwörter",
        "Mots-clés",
        "タグ",
        ":",
        "：",
        " :",
        "#",
        "#1",
        "#Klima",
        " ",
        "\t",
        "•",
        "·",
        "- ",
        "> ",
        "*",
        "Klima, Energie",
        "a",
        "é",
        "12:30",
        "x#y",
        "\n",
    ]
)


@given(st.lists(st.lists(TAG_PIECES, max_size=12).map("".join), max_size=8))
@settings(max_examples=300)
def test_tag_starts_equal_the_re2_screen_of_every_line(lines: list[str]) -> None:
    evidence = pa.array(lines, pa.large_string())
    every = cards._screened(cards._tag_screen())(evidence)
    assert cards.tag_starts(evidence).tolist() == every.tolist()
