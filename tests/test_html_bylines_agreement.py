"""HTML pages: names the single-source rules reject count when two independent kinds
of evidence agree: what the markup states (JSON-LD, a meta tag) and what a reader
sees credited (a byline element, the article header, a post-author comment)
(:mod:`corpus_qa.parse.bylines.metadata`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_qa.model import Evidence
from corpus_qa.parse.bylines.metadata import arbitrate, byline_of, credible
from tests.test_html_pages import jsonld, main_row, page

URL = "https://www.harbourledger.example/news/ferry"


def _author(value: str, source: str, *, person: bool = False) -> Evidence:
    return Evidence("author", value, source, person=person)


# A handle: stated by the markup, shown by the page.


@pytest.mark.parametrize("seen", ["byline_element", "header", "post_author"])
def test_a_stated_handle_the_page_shows_is_a_credit(seen: str) -> None:
    for stated in ("jsonld", "meta"):
        items = [_author("kiwi_77", stated), _author("kiwi_77", seen)]
        found = byline_of(items, URL)
        assert found is not None and found[0] == "kiwi_77"
        # Without the markup's statement, the visible source alone decides.
        alone = byline_of(items[1:], URL)
        assert alone is None or alone[0] == "kiwi_77"


def test_a_stated_handle_alone_or_shown_as_something_else_is_none() -> None:
    assert byline_of([_author("kiwi_77", "jsonld")], URL) is None
    assert byline_of([_author("ana.ruiz", "meta"), _author("ana.ruiz", "meta")], URL) is None
    # The page shows other words where the handle would stand: no agreement.
    for shown in ("Share", "Home", "Teilen", "Compartir", "Photo: kiwi_77", "kiwi_78"):
        items = [_author("kiwi_77", "jsonld"), _author(shown, "byline_element")]
        assert byline_of(items, URL) is None, shown


def test_a_handle_that_spells_the_outlet_stays_out_of_the_byline() -> None:
    items = [_author("harbourledger", "jsonld"), _author("harbourledger", "byline_element")]
    assert credible(items, URL) == []


def test_handle_in_jsonld_and_author_span_end_to_end(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": "Ferry terminal to close",
            "author": {"@type": "Person", "name": "kiwi_77"},
        }
    )
    byline = '<p>Gepostet am 3. März 2024 · <span class="author-name">kiwi_77</span></p>'
    row = main_row(tmp_path, page(head=head, byline=byline, lang="de"))
    assert row["byline"] == "kiwi_77"
    assert row["byline_source"] == "jsonld"


def test_handle_shown_only_by_a_commenter_is_no_credit(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": "Ferry terminal to close",
            "author": {"@type": "Person", "name": "kiwi_77"},
        }
    )
    comments = (
        '<div class="comments"><div class="comment">'
        '<span class="comment-author">kiwi_77</span><p>Merci pour cet article.</p>'
        "</div></div>"
    )
    row = main_row(tmp_path, page(head=head, byline=comments, lang="fr"))
    assert row["byline"] is None or row["byline"] != "kiwi_77"


# A full name with no given name of the lexicon: strong when the two kinds agree.


def test_an_unknown_full_name_stated_and_shown_beats_a_by_word_byline() -> None:
    text = "Por Pedro Gómez\n\nXolani Mbeki escribe desde el puerto."
    items = [_author("Xolani Mbeki", "meta"), _author("Xolani Mbeki", "byline_element")]
    assert arbitrate("Pedro Gómez", "marker", items, URL, text) == ("Xolani Mbeki", "meta")


def test_an_unknown_full_name_needs_both_kinds_of_evidence() -> None:
    text = "Von Karl Weber\n\nTjorven Haak berichtet aus dem Hafen."
    # Two machine-readable fields, often one CMS field twice: not enough.
    stated = [_author("Tjorven Haak", "jsonld"), _author("Tjorven Haak", "meta")]
    assert arbitrate("Karl Weber", "marker", stated, URL, text) is None
    # Shown only, by an element the markup does not back: not enough either.
    shown = [_author("Tjorven Haak", "byline_element")]
    assert arbitrate("Karl Weber", "box", shown, URL, text) is None
    # Stated and shown, but not printed where the text's by-word is: the text stays.
    both = [*stated[:1], *shown]
    assert arbitrate("Karl Weber", "marker", both, URL, "Von Karl Weber") is None


def test_agreement_never_makes_a_desk_or_outlet_a_person() -> None:
    for value in (
        "Harbour Ledger",
        "Redaktion",
        "Redacción Deportes",
        "Rédaction Web",
        "ET Online",
    ):
        items = [_author(value, "meta"), _author(value, "byline_element")]
        assert arbitrate("Ana Ruiz", "marker", items, URL, value) is None, value
