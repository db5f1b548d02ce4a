"""Organisation credits: a page that credits only its outlet (or another organisation)
keeps the name in ``credit``, never ``byline``; ``byline.missing`` does not flag it,
while wire copy and pages with no attribution at all are still flagged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from corpus_qa.checks.builtin.byline import BylineMissing
from tests.test_html_pages import jsonld, main_row, page

SITE = "https://www.derabendbote.example"


def _flagged(row: pd.Series) -> list[str]:
    articles = pd.DataFrame([row])[["byline", "credit"]].astype("str")
    found = BylineMissing().run(articles, pd.DataFrame())
    return list(found["message"])


def _site_page(byline: str, *, head: str = "") -> str:
    """A German local paper whose links point to its own host (how the page parser
    learns the outlet's name)."""
    nav = "\n".join(f'<li><a href="{SITE}/ressort{i}/">Ressort {i}</a></li>' for i in range(8))
    prose = (
        "Der Stadtrat hat am Dienstag beschlossen, die alte Fähre stillzulegen, nachdem "
        "Gutachter Risse im Anleger gefunden hatten, die sich nicht beheben ließen. "
    )
    body = "\n".join(f"<p>{prose * 2}</p>" for _ in range(6))
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Fähre wird stillgelegt | Der Abendbote</title>
<link rel="canonical" href="{SITE}/lokal/faehre-wird-stillgelegt-1.html">
{head}
</head><body>
<nav><ul>{nav}</ul></nav>
<article><h1>Fähre wird stillgelegt</h1>
{byline}
{body}
</article>
<footer><p><a href="{SITE}/impressum/">Impressum</a> <a href="{SITE}/kontakt/">Kontakt</a></p>
</footer></body></html>
"""


def test_jsonld_organization_author_is_the_credit(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "author": {"@type": "Organization", "name": "Harbour Ledger"},
            "publisher": {"@type": "NewsMediaOrganization", "name": "Harbour Ledger"},
            "datePublished": "2024-03-05",
        }
    )
    row = main_row(tmp_path, page(head=head))
    assert pd.isna(row["byline"]) and pd.isna(row["byline_source"])
    assert row["credit"] == "Harbour Ledger"
    assert _flagged(row) == []


def test_meta_author_spelling_the_site_is_the_credit(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="Der Abendbote">'
        '<meta name="author" content="Der Abendbote">'
    )
    row = main_row(tmp_path, _site_page("", head=head))
    assert pd.isna(row["byline"]) and row["credit"] == "Der Abendbote"
    assert _flagged(row) == []


def test_by_word_before_the_outlet_is_the_credit(tmp_path: Path) -> None:
    byline = f'<p class="autor">Von <a href="{SITE}/">Der Abendbote</a></p>'
    row = main_row(tmp_path, _site_page(byline))
    assert pd.isna(row["byline"]) and row["credit"] == "Der Abendbote"
    assert _flagged(row) == []


def test_a_person_beats_the_organisation(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "author": {"@type": "Organization", "name": "Harbour Ledger"},
        }
    )
    row = main_row(tmp_path, page(head=head, byline="<p>By Ana Ruiz</p>"))
    assert row["byline"] == "Ana Ruiz" and pd.isna(row["credit"])
    # The outlet after a by-word, a person in JSON-LD: the person is the byline.
    person = jsonld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Greta Sommer"}})
    byline = f'<p class="autor">Von <a href="{SITE}/">Der Abendbote</a></p>'
    row = main_row(tmp_path, _site_page(byline, head=person), name="zwei.html")
    assert row["byline"] == "Greta Sommer" and row["byline_source"] == "jsonld"


def test_no_attribution_and_wire_copy_are_still_flagged(tmp_path: Path) -> None:
    row = main_row(tmp_path, page())
    assert pd.isna(row["byline"]) and pd.isna(row["credit"])
    assert _flagged(row) == [
        "no byline found (author field, 'By' line, title bracket or closing bio)"
    ]
    # An agency as the JSON-LD organisation: wire copy, whose person byline is lost.
    head = jsonld({"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Reuters"}})
    row = main_row(tmp_path, page(head=head), name="wire.html")
    assert row["credit"] == "Reuters"
    assert [m.split(" (")[0] for m in _flagged(row)] == ["no byline: only the wire credit"]


def test_the_check_tells_organisation_from_wire_credits() -> None:
    articles = pd.DataFrame(
        {
            "byline": [None, None, None, "Ana Ruiz"],
            "credit": ["Der Abendbote", "AFP", None, "Der Abendbote"],
        },
        dtype="str",
    )
    found = BylineMissing().run(articles, pd.DataFrame())
    assert list(found["row"]) == [1, 2]


def _header_page(header: str, *, lang: str = "de") -> str:
    """A community or blog page whose header holds ``header`` above the headline."""
    canonical = '<link rel="canonical" href="https://www.couchstyle.de/living/vintage-1597">'
    prose = (
        "Seit zwei Jahren steht der alte Kühlschrank in meiner Küche, und ich kann mich "
        "an seiner Farbe nicht sattsehen; die Pflanzen daneben gieße ich jeden Morgen. "
    )
    body = "\n".join(f"<p>{prose * 2}</p>" for _ in range(6))
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Vintage mit viel Grün</title>
{canonical}</head>
<body><main><div class="story">
<div class="badge">{header}</div>
<div class="story-head"><h1>Vintage mit viel Grün</h1><div class="sub">23.09.22</div></div>
{body}
</div></main></body></html>
"""


def test_one_word_names_on_author_and_member_links(tmp_path: Path) -> None:
    handle = main_row(tmp_path, _header_page('<a href="/members/127862">fri.juli</a>'))
    assert handle["byline"] == "fri.juli" and handle["byline_source"] == "header"
    first = main_row(
        tmp_path,
        _header_page('<a href="/autor/julia-7">Julia</a>'),
        name="vorname.html",
    )
    assert first["byline"] == "Julia"
    # A name of two words the given-name lexicon does not know, linked to its page.
    plain = main_row(
        tmp_path,
        _header_page('<a href="/author/qorvath-ulm/">Qorvath Ulm</a>', lang="en"),
        name="unknown.html",
    )
    assert plain["byline"] == "Qorvath Ulm"


def test_one_word_names_without_an_author_address_are_no_byline(tmp_path: Path) -> None:
    pages = {
        "bare.html": "<p>Julia</p>",  # a bare line: only its place
        "topic.html": '<a href="/thema/julia">Julia</a>',  # a section, not an author
        "tag.html": '<a href="/tag/gruen">Grün</a>',
        "account.html": '<a href="/members/login">Anmelden</a>',
        "outlet.html": '<a href="/author/couchstyle">couchstyle.de</a>',  # the site
    }
    for name, header in pages.items():
        row = main_row(tmp_path, _header_page(header), name=name)
        assert pd.isna(row["byline"]), name
