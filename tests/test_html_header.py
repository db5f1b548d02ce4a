"""The article header's byline on HTML pages (:mod:`corpus_qa.ingest.html_header`):
names beside the headline that the Markdown rendering leaves ungrouped."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.ingest import discover, iter_units
from corpus_qa.ingest.html_header import header_names
from corpus_qa.ingest.page_files import PageUnit
from corpus_qa.model import Evidence
from corpus_qa.parse import parse_unit
from corpus_qa.parse.bylines.metadata import arbitrate, byline_of
from corpus_qa.schemas import ArticlesSchema
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import examples
from tests.test_html_pages import PROSE, main_row

URL = "https://www.harbourledger.example/news/ferry"


def _page(header: str, *, lang: str = "en", body: str = "") -> str:
    """A page whose ``<article>`` opens with ``header`` (which holds the ``<h1>``)."""
    paragraphs = "\n".join(f"<p>{PROSE * 2}</p>" for _ in range(5))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Story | Harbour Ledger</title></head>
<body>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
{header}
{body}
{paragraphs}
</article></main>
<footer><p>© 2024 Harbour Ledger</p></footer>
</body></html>
"""


def _credited(html: str) -> str | None:
    root = lxml.html.document_fromstring(html.encode("utf-8"))
    found = header_names(root, root.findtext(".//title"))
    return None if found is None else found.value


def test_german_cms_by_word_and_two_linked_names() -> None:
    header = (
        '<header class="article-header"><span class="kicker">Verkehr</span>'
        "<h1>Fähranleger wird geschlossen</h1>"
        '<p class="meta">Von <a href="/profil/greta-sommer">Greta Sommer</a> und '
        '<a href="/profil/karl-weber">Karl Weber</a> · 2. November 2023</p></header>'
    )
    assert _credited(_page(header, lang="de")) == "Greta Sommer, Karl Weber"


def test_bare_name_in_the_entry_meta_under_the_headline() -> None:
    # WordPress-style header: the name alone, a date beside it, no class saying so.
    header = (
        '<div class="entry-header"><h1 class="entry-title">Ferry terminal to close</h1>'
        '<div class="entry-meta"><span>Jessica Holly</span> <span>May 3, 2022</span></div>'
        "</div>"
    )
    assert _credited(_page(header)) == "Jessica Holly"


@pytest.mark.parametrize(
    ("lang", "header", "names"),
    [
        (
            "it",
            '<header><h1>Il porto chiude il terminal</h1><p class="meta">di Mario Rossi'
            " · 4 maggio 2022</p></header>",
            "Mario Rossi",
        ),
        (
            "pl",
            '<div class="art-head"><h1>Port zamyka terminal promowy</h1>'
            "<span>Autor: Anna Nowak</span></div>",
            "Anna Nowak",
        ),
        (
            "nl",
            '<h1>Haven sluit de veerterminal</h1><div class="meta">Door Jan de Vries'
            " | 4 mei 2022</div>",
            "Jan de Vries",
        ),
        (
            "pt",
            '<h1>Porto fecha terminal de balsas</h1><div><a href="/colunistas/ana-souza">'
            "Ana Souza</a></div>",
            "Ana Souza",
        ),
        (
            "en",
            '<header class="entry-header"><h1 class="entry-title">Ferry terminal to close</h1>'
            '<div class="entry-meta"><span class="posted-on">May 3, 2022</span> <span '
            'class="byline"> by <span class="author vcard"><a class="url fn n" '
            'href="/author/jholly/">Jessica Holly</a></span></span></div></header>',
            "Jessica Holly",
        ),
        ("sv", "<h1>Hamnen stänger färjeterminalen</h1><p>Av Erik Lindqvist</p>", "Erik Lindqvist"),
    ],
)
def test_header_bylines_of_several_languages_and_cms(lang: str, header: str, names: str) -> None:
    assert _credited(_page(header, lang=lang)) == names


def test_name_above_the_headline_and_french_by_word() -> None:
    above = '<div class="firma">Lucía Fernández</div><h1>El puerto cierra su terminal</h1>'
    assert _credited(_page(above, lang="es")) == "Lucía Fernández"
    par = "<h1>Le terminal ferme</h1><p>Par Claire Morel, le 4 mai 2022</p>"
    assert _credited(_page(par, lang="fr")) == "Claire Morel"


def test_co_author_without_a_known_given_name_joins_a_credited_one() -> None:
    header = (
        "<h1>Ferry terminal to close</h1>"
        '<div class="names"><a href="/x/sadhbh">Sadhbh O\'Sullivan</a>, '
        '<a href="/x/elisabeth">Elisabeth Kochan</a></div>'
    )
    assert _credited(_page(header)) == "Sadhbh O'Sullivan, Elisabeth Kochan"


def test_topic_links_captions_buttons_and_prose_name_nobody() -> None:
    # A person the story is about, linked to a topic page.
    topic = '<h1>Ferry terminal to close</h1><p><a href="/thema/olaf-scholz">Olaf Scholz</a></p>'
    assert _credited(_page(topic, lang="de")) is None
    # A picture's credit under the headline.
    figure = (
        "<h1>Ferry terminal to close</h1>"
        '<figure><img src="p.jpg"><figcaption>Karl Weber</figcaption></figure>'
    )
    assert _credited(_page(figure)) is None
    # Share buttons and a by-word before a button's verb.
    chrome = (
        "<h1>Fähranleger wird geschlossen</h1>"
        '<div class="social-share"><a href="/share">Greta Sommer</a></div>'
        '<p><a href="/kontakt">Autor kontaktieren</a></p>'
    )
    assert _credited(_page(chrome, lang="de")) is None
    # A name inside the article's prose is the story's, not its credit.
    prose = f"<h1>Ferry terminal to close</h1><p>{PROSE} Karl Weber said so. {PROSE}</p>"
    assert _credited(_page(prose)) is None


def test_a_class_word_inside_a_longer_word_does_not_hide_the_byline() -> None:
    # "accreditation" holds "credit" (a picture credit's class) but is the byline box.
    header = (
        "<h1>Fähranleger wird geschlossen</h1>"
        '<div class="content-header__accreditation"><span>Von </span>'
        '<a href="/autor/greta-sommer">Greta Sommer</a></div>'
    )
    assert _credited(_page(header, lang="de")) == "Greta Sommer"


def test_no_headline_no_header_evidence() -> None:
    assert _credited(_page("<p>Greta Sommer</p>")) is None


def test_outlet_and_staff_in_the_header_are_no_byline() -> None:
    for credit in ("Harbour Ledger", "By Staff", "Staff"):
        header = f"<h1>Ferry terminal to close</h1><p>{credit}</p>"
        found = _credited(_page(header))
        evidence = [] if found is None else [Evidence("author", found, "header")]
        assert byline_of(evidence, URL) is None, credit


def test_a_desk_alone_after_a_by_word_is_left_to_the_text(tmp_path: Path) -> None:
    # "Von Redaktion" is no person; the text's finders decide about desks, as today.
    html = _page("<h1>Fähranleger wird geschlossen</h1><p>Von Redaktion</p>", lang="de")
    assert _credited(html) is None
    assert pd.isna(main_row(tmp_path, html)["byline"])


def test_header_name_fills_in_end_to_end(tmp_path: Path) -> None:
    # No metadata, no by-word, no author-page link: a name linked to an unlabelled
    # page under the headline, as many CMSs print it.
    header = (
        '<div class="story-top"><h1>Fähranleger wird geschlossen</h1>'
        '<div class="story-top__meta"><a href="/greta-sommer">Greta Sommer</a></div></div>'
    )
    path = tmp_path / "story.html"
    path.write_text(_page(header, lang="de"), encoding="utf-8")
    (unit,) = list(iter_units(discover(path)))
    assert isinstance(unit, PageUnit)
    articles, _ = build_tables(drafts_frame(parse_unit(unit).articles))
    row = articles[articles["role"] == "main"].iloc[0]
    assert row["byline"] == "Greta Sommer" and row["byline_source"] == "header"
    ArticlesSchema.validate(articles, lazy=True)  # the articles contract knows the source


@settings(max_examples=examples(60), deadline=None)
@given(
    st.sampled_from(["Greta Sommer", "Lucía Fernández", "Jessica Holly", "Claire Morel"]),
    st.sampled_from(["figcaption", "nav", "aside", "button"]),
    st.integers(min_value=0, max_value=2),
)
def test_names_in_chrome_never_credit_the_article(name: str, tag: str, shorts: int) -> None:
    # Within the header's four blocks after the headline, a name inside chrome is no credit,
    # and a name printed as a byline beside them is.
    filler = "".join(f"<p>Short line {k}</p>" for k in range(shorts))
    chrome = f"<h1>Ferry terminal to close</h1>{filler}<{tag}>{name}</{tag}>"
    assert _credited(_page(chrome)) is None
    credited = f"<h1>Ferry terminal to close</h1>{filler}<{tag}>Menu</{tag}><p>{name}</p>"
    assert _credited(_page(credited)) == name


def test_header_beats_a_footer_copyright_holder_but_not_a_by_word() -> None:
    header = [Evidence("author", "Greta Sommer", "header")]
    text = "Greta Sommer\n\n© 2024 Karl Weber"
    assert arbitrate("Karl Weber", "copyright", header, URL, text) == ("Greta Sommer", "header")
    assert arbitrate("Karl Weber", "marker", header, URL, text) is None
    # With JSON-LD stating the same person, two sources beat the by-word.
    stated = [Evidence("author", "Greta Sommer", "jsonld", person=True), *header]
    assert arbitrate("Karl Weber", "marker", stated, URL, text) == ("Greta Sommer", "jsonld")


# A one-word name is a credit where the header's element names its author.


@pytest.mark.parametrize(
    ("lang", "meta", "name"),
    [
        ("en", '<span class="author-name">Marta</span> · March 2, 2024', "Marta"),
        ("de", '<div class="artikel-autor">kiwi_77</div><div>2. März 2024</div>', "kiwi_77"),
        ("fr", '<p class="meta"><span class="auteur">Zazie</span> | 2 mars 2024</p>', "Zazie"),
        ("es", '<p><a class="post-autor" href="/?p=12">Lupita</a>, 2 de marzo</p>', "Lupita"),
        ("pl", '<div class="autorInfo"><span>Jagoda</span></div>', "Jagoda"),
    ],
)
def test_one_word_name_in_an_author_classed_header_element(lang: str, meta: str, name: str) -> None:
    header = f"<header><h1>Ferry terminal will close next spring</h1>{meta}</header>"
    assert _credited(_page(header, lang=lang)) == name


@pytest.mark.parametrize(
    "meta",
    [
        # Not the element's whole text, or no author class: a word, not a credit.
        '<p class="author-line">Marta and the team</p>',
        '<span class="date">Marta</span>',
        "<p>Marta</p>",
        # UI labels and desks in an author element.
        '<span class="author-share">Share</span>',
        '<span class="author-label">Author</span>',
        '<span class="autor">Redaktion</span>',
        '<span class="author">Home</span>',
        # A by-word in its own author-classed span, a lower-case word that is no handle.
        '<span class="auth-byline">von</span>',
        '<span class="author-by">By</span>',
        '<span class="auteur">par</span>',
        '<span class="author">admin</span>',
        # Other people's names: comments, photo credits, avatars, social buttons.
        '<div class="comment"><span class="comment-author">Marta</span></div>',
        '<span class="photo-credit author">Marta</span>',
        '<span class="author-avatar">Marta</span>',
        '<div class="social"><a class="author" href="/share">Marta</a></div>',
    ],
)
def test_one_word_in_the_header_without_an_author_element_is_no_credit(meta: str) -> None:
    header = f"<header><h1>Ferry terminal will close next spring</h1>{meta}</header>"
    assert _credited(_page(header)) is None


def test_one_word_author_element_in_the_article_text_is_not_the_header() -> None:
    # Far below the headline, past the first long paragraph: a quoted person's box.
    body = f"<p>{PROSE * 3}</p><span class='author-name'>Marta</span>"
    header = "<header><h1>Ferry terminal will close next spring</h1></header>"
    assert _credited(_page(header, body=body)) is None


def test_one_word_author_element_fills_in_end_to_end(tmp_path: Path) -> None:
    header = (
        "<header><h1>Ferry terminal will close next spring</h1>"
        '<div class="entry-meta"><span class="post-author">Marta</span>'
        "<span> · 2 March 2024</span></div></header>"
    )
    row = main_row(tmp_path, _page(header))
    assert row["byline"] == "Marta"
    assert row["byline_source"] == "header"
