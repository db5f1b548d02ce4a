"""HTML pages: author evidence in the markup conventions CMSs share (JSON-LD written
loosely, Twitter card labels, RDFa, hCards) and the byline lexicons of more
languages. Pages are written here, in the shapes those CMSs print."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.ingest.html_meta import _load_jsonld, page_evidence
from corpus_qa.model import Evidence
from corpus_qa.parse.bylines.metadata import byline_of
from corpus_qa.parse.bylines.names import MARKER_RE
from tests.conftest import examples
from tests.test_html_pages import jsonld, main_row, page

URL = "https://www.harbourledger.example/news/ferry"


def _authors(html: str) -> list[tuple[str, str]]:
    return [(e.source, e.value) for e in page_evidence(html) if e.kind == "author"]


def _items(html: str, source: str) -> list[Evidence]:
    return [e for e in page_evidence(html) if e.kind == "author" and e.source == source]


# JSON-LD as CMSs write it.


@pytest.mark.parametrize(
    "kind", ["schema:NewsArticle", "http://schema.org/NewsArticle", "https://schema.org/Article/"]
)
def test_jsonld_types_with_a_vocabulary_prefix(kind: str) -> None:
    data = {"@context": "https://schema.org", "@type": kind, "author": "Ana Ruiz"}
    assert _authors(page(head=jsonld(data))) == [("jsonld", "Ana Ruiz")]


def test_jsonld_script_type_with_a_parameter() -> None:
    data = {"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ana Ruiz"}}
    head = f'<script type="application/ld+json; charset=utf-8">{json.dumps(data)}</script>'
    assert _authors(page(head=head)) == [("jsonld", "Ana Ruiz")]


def test_jsonld_wrapped_in_comments_with_trailing_commas() -> None:
    head = (
        '<script type="application/ld+json">//<![CDATA[\n'
        '{"@type": "BlogPosting", "headline": "Ferry", '
        '"author": [{"@type": "Person", "name": "Ana Ruiz"},],}\n//]]></script>'
        '<script type="application/ld+json"><!--\n'
        '{"@type": "Organization", "name": "Harbour Ledger"}\n'
        '{"@type": "Article", "author": {"@type": "Person", "name": "Ben Roe"}}\n-->'
        "</script>"
    )
    found = page_evidence(page(head=head))
    assert [(e.kind, e.value) for e in found if e.source == "jsonld"] == [
        ("author", "Ana Ruiz"),
        ("title", "Ferry"),
        ("publisher", "Harbour Ledger"),
        ("author", "Ben Roe"),
    ]


def test_broken_jsonld_is_still_no_evidence() -> None:
    head = '<script type="application/ld+json">{"@type": "Article", "author": "Ana</script>'
    assert _authors(page(head=head)) == []


def test_jsonld_contributor_only_where_no_author_is_stated() -> None:
    alone = {"@type": "NewsArticle", "contributor": {"@type": "Person", "name": "Ben Roe"}}
    assert _authors(page(head=jsonld(alone))) == [("jsonld", "Ben Roe")]
    both = {**alone, "author": {"@type": "Person", "name": "Ana Ruiz"}}
    assert _authors(page(head=jsonld(both))) == [("jsonld", "Ana Ruiz")]


def test_jsonld_recipe_author() -> None:
    data = {
        "@type": "Recipe",
        "name": "Pierogi",
        "author": {"@type": "Person", "name": "Ewa Nowak"},
    }
    assert _authors(page(head=jsonld(data), lang="pl")) == [("jsonld", "Ewa Nowak")]


# Meta tags.


@pytest.mark.parametrize(
    "key",
    [
        'name="cXenseParse:author"',
        'name="citation_author"',
        'property="dc:creator"',
        'name="shareaholic:article_author_name"',
    ],
)
def test_more_author_meta_names(key: str) -> None:
    head = f'<meta {key} content="Greta Sommer">'
    assert _authors(page(head=head, lang="de")) == [("meta", "Greta Sommer")]


def _twitter(**pairs: str) -> str:
    return "".join(f'<meta name="twitter:{k}" content="{v}">' for k, v in pairs.items())


@pytest.mark.parametrize(
    ("label", "lang"),
    [("Written by", "en"), ("Verfasst von", "de"), ("Escrito por", "es"), ("Skrevet av", "no")],
)
def test_twitter_card_label_that_is_a_by_word(label: str, lang: str) -> None:
    head = _twitter(label1="Est. reading time", data1="4 minutes", label2=label, data2="Ana Ruiz")
    assert _authors(page(head=head, lang=lang)) == [("meta", "Ana Ruiz")]


def test_twitter_card_label_that_is_no_by_word_states_no_author() -> None:
    head = _twitter(label1="Geschätzte Lesezeit", data1="3 Minuten")
    assert _authors(page(head=head, lang="de")) == []


def test_twitter_creator_counts_only_beside_another_site_account() -> None:
    assert _authors(page(head=_twitter(site="@harbourledger", creator="@ana_ruiz"))) == [
        ("meta", "@ana_ruiz")
    ]
    # The outlet's own account in both, and a creator with no site account: constants.
    assert _authors(page(head=_twitter(site="@HarbourLedger ", creator="@harbourledger"))) == []
    assert _authors(page(head=_twitter(creator="@ana_ruiz"))) == []
    # An account is evidence of an author, never a byline.
    assert (
        byline_of(_items(page(head=_twitter(site="@hl", creator="@AnaRuiz")), "meta"), URL) is None
    )


def test_a_twitter_creator_makes_a_page_unconfirmed_not_missing(tmp_path: Path) -> None:
    row = main_row(tmp_path, page(head=_twitter(site="@harbourledger", creator="@ana_ruiz")))
    assert pd.isna(row["byline"])
    assert (row["byline_evidence"], row["byline_evidence_source"]) == ("ana_ruiz", "meta")


# RDFa and microformats in the body.


def test_drupal_rdfa_submitted_line() -> None:
    byline = (
        '<div class="submitted"><span property="dc:date dc:created" content="2023-11-02">'
        '2. November 2023</span> — <span rel="sioc:has_creator"><a href="/users/gsommer" '
        'typeof="sioc:UserAccount" property="foaf:name">Greta Sommer</a></span></div>'
    )
    assert ("microdata", "Greta Sommer") in _authors(page(byline=byline, lang="de"))


def test_rdfa_lite_author_with_its_type_and_name() -> None:
    byline = (
        '<p vocab="https://schema.org/">Por <span property="author" typeof="Person">'
        '<span property="name">Lucía Fernández</span></span> · <span property="schema:creator" '
        'typeof="schema:Organization"><span property="schema:name">Diario Ejemplo</span></span></p>'
    )
    items = _items(page(byline=byline, lang="es"), "microdata")
    assert [(e.value, e.person, e.organization) for e in items] == [
        ("Lucía Fernández", True, False),
        ("Diario Ejemplo", False, True),
    ]
    assert byline_of(items, URL) == ("Lucía Fernández", "microdata")


def test_rdfa_properties_that_name_no_author() -> None:
    byline = (
        '<p><span property="dc:title">Ferry terminal</span> '
        '<a rel="author" href="/author/ana-ruiz">Ana Ruiz</a></p>'
    )
    # A plain rel=author link is rel_author's, not RDFa's.
    assert [s for s, _ in _authors(page(byline=byline))].count("microdata") == 0


def test_author_hcard_formatted_name_is_a_person(tmp_path: Path) -> None:
    byline = (
        '<p class="post-meta"><span class="author vcard"><span class="fn">kiwi_77</span>'
        '</span> | <span class="published">2. Mai 2023</span></p>'
    )
    html = page(byline=byline, lang="de")
    [item] = _items(html, "byline_element")
    assert (item.value, item.person) == ("kiwi_77", True)
    assert main_row(tmp_path, html)["byline"] == "kiwi_77"


def test_commenters_hcards_and_plain_vcards_are_no_author_hcard() -> None:
    comments = (
        '<ol><li class="comment"><div class="comment-author vcard">'
        '<cite class="fn">troll_42</cite> sagt:</div><p>Gut.</p></li></ol>'
    )
    html = page(lang="de").replace("</article>", f"</article>{comments}")
    assert _authors(html) == []
    # A vcard that is no author's keeps its whole text, as any byline element.
    byline = '<div class="byline vcard">Von <span class="fn">Greta Sommer</span>, Bonn</div>'
    [item] = _items(page(byline=byline, lang="de"), "byline_element")
    assert (item.value, item.person) == ("Von Greta Sommer , Bonn", False)


def test_an_account_word_in_an_author_hcard_is_no_byline(tmp_path: Path) -> None:
    byline = (
        '<p><span class="author vcard"><a class="url fn n" href="/?author=1">admin</a></span></p>'
    )
    row = main_row(tmp_path, page(byline=byline))
    assert row["byline"] != "admin"


# Lexicons of more languages.


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Skrevet av Kari Nordmann", "Kari Nordmann"),
        ("Автор: Иван Петров", "Иван Петров"),
        ("Текст: Анна Смирнова", "Анна Смирнова"),
        ("Yazar: Ayşe Yılmaz", "Ayşe Yılmaz"),
        ("Muhabir: Mehmet Demir", "Mehmet Demir"),
    ],
)
def test_by_words_of_more_languages(line: str, name: str) -> None:
    found = MARKER_RE.match(line)
    assert found is not None and found.group("rest") == name


@pytest.mark.parametrize("text", ["Haber merkezi açıklama yaptı", "Текст закона опубликован"])
def test_colon_labels_need_their_colon(text: str) -> None:
    assert MARKER_RE.match(text) is None


@pytest.mark.parametrize(
    ("cls", "lang"), [("artikkel-forfatter", "no"), ("forfattare", "sv"), ("haber-yazar", "tr")]
)
def test_byline_classes_of_more_languages(cls: str, lang: str) -> None:
    byline = f'<div class="{cls}">Kari Nordmann</div>'
    assert ("byline_element", "Kari Nordmann") in _authors(page(byline=byline, lang=lang))


# A byline element's whole text as evidence of a credit.


def _footer(text: str, cls: str = "author") -> str:
    """A page whose article's own footer holds ``text`` in an element of class ``cls``."""
    footer = f'<footer class="entry-footer"><span class="{cls}">{text}</span></footer>'
    return page(lang="de").replace("</article>", f"{footer}</article>")


@pytest.mark.parametrize("name", ["Marta", "kiwi_77", "fri.juli"])
def test_a_name_that_is_a_byline_elements_whole_text_is_evidence(tmp_path: Path, name: str) -> None:
    row = main_row(tmp_path, _footer(name))
    assert pd.isna(row["byline"])
    assert (row["byline_evidence"], row["byline_evidence_source"]) == (name, "byline_element")


@pytest.mark.parametrize(
    "text", ["Autor", "admin", "Redaktion", "bonn", "Mehr Artikel von unseren Autoren lesen"]
)
def test_labels_accounts_desks_and_sentences_are_no_evidence(tmp_path: Path, text: str) -> None:
    row = main_row(tmp_path, _footer(text))
    assert pd.isna(row["byline_evidence"])


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.text(alphabet=",}] -><![CDATA[", max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=examples(200), deadline=None)
@given(
    docs=st.lists(st.dictionaries(st.text(max_size=6), _JSON, max_size=4), min_size=1, max_size=3),
    wrap=st.sampled_from([("", ""), ("<!--\n", "\n-->"), ("//<![CDATA[\n", "\n//]]>")]),
)
def test_loose_jsonld_reads_back_every_document(
    docs: list[dict[str, object]], wrap: tuple[str, str]
) -> None:
    text = wrap[0] + "\n".join(json.dumps(d) for d in docs) + wrap[1]
    assert _load_jsonld(text) == docs
