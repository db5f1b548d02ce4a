"""Full-page bylines: site UI, section and field words are no names; an agency's or a
desk's credit is a byline where no person is named.

Pages are written here (never copied from a corpus), laid out the way news sites in
several languages print labels beside names and credit wire copy.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.byline import BylineMissing
from corpus_qa.parse.bylines.credits import credit_of, is_agency
from corpus_qa.parse.bylines.names import persons, trim_ui
from corpus_qa.parse.layouts import parse_page
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.test_pagebyline import full
from tests.test_parse_fullpage import PROSE, main_article, page


@pytest.mark.parametrize(
    ("name", "trimmed"),
    [
        ("Gàbor Muniér, Datum", "Gàbor Muniér"),
        ("Henry In Aktuell", "Henry"),
        ("Ana Ruiz, Date", "Ana Ruiz"),
        ("Marie Dubois Rubrique", "Marie Dubois"),
        ("Lucía Gómez, Fecha", "Lucía Gómez"),
        ("Giulia Rossi, Data", "Giulia Rossi"),
        ("Sponsored Jo Roe", "Jo Roe"),
        # Nothing but labels and UI: no name at all.
        ("Skip Navigation Navigation", ""),
        ("Gesponserte Inhalte", ""),
        ("Reading Time", ""),
        ("Tempo de leitura", ""),
        ("Auteur(s)", ""),
        ("Google Scholar", ""),
        # A label between words: a heading, not a name.
        ("Konsumsparen Fazit Nummer", "Konsumsparen"),
        ("Mein Motto: Fazit", ""),
        ("Anna Fazit Weber", ""),
        # Names stay as they are, given names that are words too ("Skip") among them.
        ("Skip Bayless", "Skip Bayless"),
        ("Ana Ruiz", "Ana Ruiz"),
        ("Jan de Vries", "Jan de Vries"),
    ],
)
def test_trim_ui(name: str, trimmed: str) -> None:
    assert trim_ui(name) == trimmed


def test_labels_after_a_comma_end_the_names() -> None:
    assert persons("Gàbor Muniér, Datum: 03.Mär.19", explicit=True) == "Gàbor Muniér"
    assert persons("Ana Ruiz, Jo Roe, Fecha", explicit=True) == "Ana Ruiz, Jo Roe"
    assert persons("Gesponserte Inhalte", explicit=True) is None


_WORD = st.sampled_from(
    ["Ana", "Ruiz", "Datum", "Navigation", "Fazit", "in", "Skip", "de", "Date", "Jo", ",", "Roe"]
)


@given(st.lists(_WORD, max_size=7).map(" ".join))
def test_trimming_never_adds(name: str) -> None:
    trimmed = trim_ui(name)
    assert len(trimmed) <= len(name)
    if not name.strip():
        assert not trimmed
    # What is kept is a run of the name's own words, in order.
    kept = trimmed.rstrip(",;").split()
    words = name.split()
    assert any(words[k : k + len(kept)] == kept for k in range(len(words) + 1)) or not kept
    assert trim_ui(trimmed) == trimmed


@pytest.mark.parametrize(
    "meta",
    [
        "[ ](https://example.org/) Skip Navigation  Navigation",
        "Reading Time: 3 mins read",
        "![Beitrag](https://example.org/empty.gif) von Gesponserte Inhalte",
        "Autor: [Datum](https://example.org/autor/datum)",
    ],
)
def test_ui_lines_are_no_bylines(meta: str) -> None:
    assert main_article(page(meta))[0] is None


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (
            "* Author: [Gàbor Muniér](https://example.org/autoren/gabor-munier), Datum: 03.Mär.19",
            "Gàbor Muniér",
        ),
        ("Par Marie Dubois, Date : 12 mars 2024", "Marie Dubois"),
        ("Por Lucía Gómez, Fecha: 2 de mayo de 2024", "Lucía Gómez"),
    ],
)
def test_labels_are_trimmed_off_bylines(meta: str, expected: str) -> None:
    assert main_article(page(meta))[0] == expected


@pytest.mark.parametrize(
    ("text", "labelled", "expected"),
    [
        ("dpa/lno", False, "dpa/lno"),
        ("(AFP)", False, "AFP"),
        ("APA/red", False, "APA/red"),
        ("red, wien.ORF.at/ Agenturen", False, "red, Agenturen"),
        ("Keystone-SDA", False, "Keystone-SDA"),
        ("FR mit dpa", True, "FR mit dpa"),
        ("Example News with AP", False, None),
        ("MDR THÜRINGEN/ls", True, "MDR THÜRINGEN/ls"),
        # A host is no byline: with a desk's initials alone, the outlet's source line.
        ("radio-example.de/bb", True, None),
        ("radio-example.de/dpa", True, "dpa"),
        ("kathpress", True, "kathpress"),
        ("EFE", True, "EFE"),
        # Not credits: a person, a data source, an outlet alone, a word that spells
        # a short agency in lower case.
        ("Ana Ruiz", False, None),
        ("Statistisches Bundesamt", True, None),
        ("MDR THÜRINGEN", False, None),
        ("ap", False, None),
        ("Archivbild/dpa", False, None),
    ],
)
def test_credit_of(text: str, labelled: bool, expected: str | None) -> None:
    assert credit_of(text, labelled=labelled) == expected


def test_agencies_as_written() -> None:
    assert is_agency("dpa") and is_agency("DPA") and is_agency("Agenturen")
    assert is_agency("TT") and not is_agency("tt") and not is_agency("Ap")


def _opening(line: str) -> str:
    return full().replace(PROSE[0], f"{line} {PROSE[0]}", 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A dateline's credit opening the text.
        (_opening("Hamburg (dpa/lno) –"), "dpa/lno"),
        (_opening("GINEBRA (EFE) —"), "EFE"),
        (_opening("ROMA (ANSA) -"), "ANSA"),
        (_opening("Oslo (NTB):"), "NTB"),
        # A source line or a credit line of its own closing the text.
        (full(after_prose="_Quelle: MDR THÜRINGEN/ls_"), "MDR THÜRINGEN/ls"),
        (full(after_prose="red, wien.ORF.at/[Agenturen](https://orf.at/agenturen/)"),
         "red, Agenturen"),
        (full(after_prose="Fonte: Lusa"), "Lusa"),
        (full(after_prose="Bron: ANP"), "ANP"),
        (full(after_prose="(AFP)"), "AFP"),
    ],
)  # fmt: skip
def test_agency_credits_are_bylines(text: str, expected: str) -> None:
    assert main_article(text)[0] == expected


def test_a_person_beats_an_agency_credit() -> None:
    text = _opening("Hamburg (dpa/lno) –").replace(PROSE[0], "Von Ana Ruiz\n\n" + PROSE[0], 1)
    assert main_article(text)[0] == "Ana Ruiz"


@pytest.mark.parametrize(
    "after",
    [
        # A picture's credit under it, not the text's.
        "![Rathaus](https://example.org/rathaus.jpg)\n\ndpa",
        "Foto: Markus Roth/dpa/Archivbild",
        "Quelle: Statistisches Bundesamt",
    ],
)
def test_not_agency_credits(after: str) -> None:
    assert main_article(full(after_prose=after))[0] is None


def test_an_agency_credited_page_has_a_byline() -> None:
    parsed = parse_page(_opening("Wien (APA) –"), "p.md")
    articles, images = build_tables(drafts_frame(parsed.articles))
    assert list(articles["byline"]) == ["APA"]
    assert BylineMissing().run(articles, images).empty


def test_a_host_with_a_desks_initials_is_the_outlets_credit() -> None:
    # "Quelle: <host>/<initials>" names no agency: the outlet's own source line, kept
    # as its credit (a domain is no byline), and no byline is lost.
    parsed = parse_page(full(after_prose="Quelle: radio-example.de/bb"), "p.md")
    articles, images = build_tables(drafts_frame(parsed.articles))
    main = articles[articles["role"] == "main"]
    assert main["byline"].isna().all()
    assert list(main["credit"]) == ["radio-example.de"]
    assert BylineMissing().run(main, images).empty


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Blogbeitrag von Margit Kessler", "Margit Kessler"),
        ("Blog Beitrag von Margit Kessler", "Margit Kessler"),
        ("Ein Gastbeitrag von Margit Kessler", "Margit Kessler"),
        ("Blog post by Dana Whitfield", "Dana Whitfield"),
    ],
)
def test_a_blog_posts_genre_before_the_by_word(line: str, expected: str) -> None:
    text = full().replace(PROSE[0], f"{line}\n\n{PROSE[0]}", 1)
    assert main_article(text)[0] == expected
