"""HTML pages: how author metadata is read, judged and weighed against the byline the
page's text shows (:mod:`corpus_qa.parse.bylines.metadata`)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.ingest.html_meta import page_evidence
from corpus_qa.model import Evidence
from corpus_qa.parse.bylines.metadata import arbitrate, byline_of, credible
from tests.conftest import examples
from tests.test_html_pages import jsonld, main_row, page

URL = "https://www.harbourledger.example/news/ferry"
PRINTED = "Ferry terminal to close\n\nMaría López reports from the harbour.\n\nText ..."


def _author(value: str, source: str, *, person: bool = False) -> Evidence:
    return Evidence("author", value, source, person=person)


def _authors(html: str) -> list[tuple[str, str]]:
    return [(e.source, e.value) for e in page_evidence(html) if e.kind == "author"]


# Arbitration: metadata against the text's byline.


def test_printed_person_of_jsonld_beats_a_bare_name_beside_the_date() -> None:
    evidence = [_author("María López", "jsonld", person=True)]
    found = arbitrate("Pedro Gómez", "alone", evidence, URL, PRINTED)
    assert found == ("María López", "jsonld")


def test_unprinted_single_source_name_does_not_beat_the_text() -> None:
    # A site-wide constant (the editor) stated once and printed nowhere.
    evidence = [_author("Matthias Hille", "meta")]
    assert arbitrate("Pedro Gómez", "alone", evidence, URL, PRINTED) is None


def test_two_sources_beat_a_weak_text_byline_though_unprinted() -> None:
    evidence = [_author("Greta Sommer", "jsonld"), _author("Greta Sommer", "meta")]
    found = arbitrate("Karl Weber", "box", evidence, URL, "Kein Name hier.")
    assert found == ("Greta Sommer", "jsonld")


def test_a_by_word_gives_way_only_to_a_corroborated_printed_name() -> None:
    once = [_author("María López", "jsonld", person=True)]
    assert arbitrate("Pedro Gómez", "marker", once, URL, PRINTED) is None
    twice = [*once, _author("María López", "rel_author")]
    assert arbitrate("Pedro Gómez", "marker", twice, URL, PRINTED) == ("María López", "jsonld")
    # Not printed: the by-word stays.
    assert arbitrate("Pedro Gómez", "link", twice, URL, "Autre texte.") is None


def test_text_byline_any_metadata_names_is_kept() -> None:
    # JSON-LD names a colleague, the meta tag both: the text's author is confirmed.
    evidence = [
        _author("April Roach", "jsonld", person=True),
        _author("April Roach, Daniel O'Mahony", "meta"),
    ]
    text = "April Roach and Daniel O'Mahony were there."
    assert arbitrate("Daniel O'Mahony", "alone", evidence, URL, text) is None


def test_no_full_person_name_never_overrides() -> None:
    for value in ("Agencies", "Nature Editorial", "Harbour Ledger", "Redaktion"):
        evidence = [_author(value, "jsonld"), _author(value, "meta")]
        assert arbitrate("ET Online", "alone", evidence, URL, value) is None, value


def test_any_person_beats_the_outlet_after_a_by_word() -> None:
    evidence = [_author("Jan Novák", "meta")]
    assert arbitrate("Harbour Ledger", "outlet", evidence, URL, "") == ("Jan Novák", "meta")


# Names the author fields state.


def test_author_fields_keep_names_the_byline_rules_reject() -> None:
    items = [
        _author("April Roach", "jsonld"),  # a given name that is a month
        _author("Juan pérez", "meta"),  # a surname in lower case
    ]
    named = [n.name for n in credible(items, URL)]
    assert named == ["April Roach", "Juan pérez"]
    # Not a name at all: still rejected.
    assert credible([_author("Mai 2024", "meta"), _author("ana.ruiz", "meta")], URL) == []


def test_author_page_labels_are_cut_from_link_text() -> None:
    items = [
        _author("View all posts by Daniel Lemire", "rel_author"),
        _author("Alle Beiträge von Greta Sommer", "rel_author"),
    ]
    assert byline_of(items, URL) == ("Daniel Lemire, Greta Sommer", "rel_author")
    # A lower-case word after a full name is no surname.
    assert byline_of([_author("Greta Sommer anzeigen", "meta")], URL) is None


def test_a_handle_a_reader_sees_is_a_credit_but_not_in_a_meta_tag(tmp_path: Path) -> None:
    byline = '<p>Gepostet von <a rel="author" href="/author/freeman1984">freeman1984</a></p>'
    row = main_row(tmp_path, page(byline=byline, lang="de"))
    assert row["byline"] == "freeman1984"
    assert byline_of([_author("freeman1984", "meta")], URL) is None


# JSON-LD shapes.


def test_jsonld_author_lists_nested_names_and_main_entity() -> None:
    data = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "mainEntity": {
            "@type": "NewsArticle",
            "author": [
                {"@type": "Person", "name": ["Ana Ruiz"]},
                {"@type": "Person", "givenName": "Ben", "familyName": "Roe"},
                {"@type": "Organization", "name": "Harbour Ledger"},
            ],
        },
    }
    items = [e for e in page_evidence(page(head=jsonld(data))) if e.kind == "author"]
    assert [(e.value, e.person, e.organization) for e in items] == [
        ("Ana Ruiz", True, False),
        ("Ben Roe", True, False),
        ("Harbour Ledger", False, True),
    ]
    assert byline_of(items, URL) == ("Ana Ruiz, Ben Roe", "jsonld")


def test_jsonld_creator_when_no_author_and_graph_person_by_id() -> None:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Person", "@id": "#p1", "name": "Ingrid Dahl"},
            {"@type": "BlogPosting", "creator": {"@id": "#p1"}},
        ],
    }
    assert _authors(page(head=jsonld(data), lang="nb")) == [("jsonld", "Ingrid Dahl")]


# Structural evidence in the body.


def test_the_articles_own_footer_credits_its_author(tmp_path: Path) -> None:
    # HTML puts "who wrote it" in an article's footer; the page's footer is chrome.
    byline = (
        '<footer class="entry-footer"><span class="author">Publié par Claire Morel</span></footer>'
    )
    html = page(byline=byline, lang="fr").replace(
        "</body>", '<footer><span class="author">Jean Petit</span></footer></body>'
    )
    assert _authors(html) == [("byline_element", "Publié par Claire Morel")]


def test_post_author_comment_names_the_author(tmp_path: Path) -> None:
    # WordPress marks the post author's own replies; other commenters are no author.
    comments = (
        '<ol class="comment-list">'
        '<li class="comment odd"><cite class="fn">Karl Weber</cite><p>Toller Text!</p></li>'
        '<li class="comment byuser bypostauthor even"><cite class="fn">Karoline Herr</cite>'
        "<p>Danke dir!</p></li></ol>"
    )
    html = page(lang="de").replace("</article>", f"</article>{comments}")
    assert _authors(html) == [("post_author", "Karoline Herr")]
    row = main_row(tmp_path, html)
    assert row["byline"] == "Karoline Herr" and row["byline_source"] == "post_author"


def test_no_post_author_mark_no_evidence() -> None:
    comments = '<li class="comment"><cite class="fn">Karl Weber</cite><p>Gut.</p></li>'
    html = page(lang="de").replace("</article>", f"</article><ol>{comments}</ol>")
    assert _authors(html) == []


def test_weak_text_byline_gives_way_end_to_end(tmp_path: Path) -> None:
    # The text finder reads a bare name under the title; JSON-LD and the author link
    # in the article's footer name someone else, whom the page prints.
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "author": {"@type": "Person", "name": "Greta Sommer"},
        }
    )
    byline = "<p>Karl Weber</p><p>2. November 2023</p>"
    tail = "<p>Greta Sommer berichtet für den Harbour Ledger.</p>"
    html = page(head=head, byline=byline, lang="de").replace("</article>", tail + "</article>")
    row = main_row(tmp_path, html)
    assert row["byline"] == "Greta Sommer" and row["byline_source"] == "jsonld"


def test_microdata_author_types() -> None:
    byline = (
        '<p>Por <span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<span itemprop="name">Lucía Fernández</span></span> · '
        '<span itemprop="creator" itemscope itemtype="http://schema.org/Organization">'
        '<span itemprop="name">Diario Ejemplo</span></span></p>'
    )
    items = [e for e in page_evidence(page(byline=byline, lang="es")) if e.source == "microdata"]
    assert [(e.value, e.person, e.organization) for e in items] == [
        ("Lucía Fernández", True, False),
        ("Diario Ejemplo", False, True),
    ]
    assert byline_of(items, URL) == ("Lucía Fernández", "microdata")


def test_text_byline_says_which_evidence_found_it() -> None:
    from corpus_qa.ingest.html_render import render
    from corpus_qa.parse.layouts import parse_page

    for byline, kind in (
        ("<p>Von Greta Sommer</p>", "marker"),
        ("<p>Greta Sommer</p><p>2. November 2023</p>", "alone"),
    ):
        text, _ = render(page(byline=byline, lang="de"), None)
        main = parse_page(text, "x.md").articles[0]
        assert (main.byline, main.byline_kind) == ("Greta Sommer", kind)


_NAMES = st.sampled_from(
    ["Ana Ruiz", "Greta Sommer", "Jan Novák", "Harbour Ledger", "ana.ruiz", "Redaktion",
     "April Roach", "Pedro Gómez", "Claire Morel"]
)  # fmt: skip
_SOURCES = st.sampled_from(
    ["jsonld", "microdata", "rel_author", "meta", "byline_element", "header"]
)
_KINDS = st.sampled_from(["marker", "link", "alone", "meta", "box", "outlet", None])


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(st.tuples(_NAMES, _SOURCES, st.booleans()), max_size=5),
    _NAMES,
    _KINDS,
    st.text(max_size=80),
)
def test_arbitration_picks_only_stated_strong_names(
    items: list[tuple[str, str, bool]], text: str, kind: str | None, page_text: str
) -> None:
    evidence = [_author(v, s, person=p) for v, s, p in items]
    found = arbitrate(text, kind, evidence, URL, page_text)
    if found is None:
        return
    names, source = found
    stated = {v for v, s, _ in items if s == source}
    assert all(name in stated for name in names.split(", "))
    assert text not in names.split(", ")
    # A text byline any metadata names is never overridden; the article header reads
    # the text's own lines and confirms nothing.
    assert text not in {v for v, s, _ in items if s != "header"}
