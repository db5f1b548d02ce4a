"""HTML pages: decoding, the Markdown rendering, head evidence and its judgement."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.ingest import discover, iter_units
from corpus_qa.ingest.html_meta import page_evidence
from corpus_qa.ingest.html_pages import declared_charset, html_unit
from corpus_qa.ingest.page_files import PageUnit
from corpus_qa.model import Evidence, InputFile
from corpus_qa.parse import parse_unit
from corpus_qa.parse.evidence import byline_of
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import examples

PROSE = (
    "The harbour authority voted on Tuesday to close the old ferry terminal after "
    "engineers found cracks in the pier that could not be repaired within the budget. "
)


def page(
    *,
    head: str = "",
    byline: str = "",
    lang: str = "en",
    title: str = "Ferry terminal to close",
    paragraphs: int = 6,
    prose: str = PROSE,
) -> str:
    nav = "\n".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(8))
    body = "\n".join(f"<p>{prose * 2}</p>" for _ in range(paragraphs))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title} | Harbour Ledger</title>
{head}
</head>
<body>
<nav><ul>
{nav}
</ul></nav>
<article>
<h1>{title}</h1>
{byline}
{body}
</article>
<footer><p>© 2024 Harbour Ledger. All rights reserved.</p></footer>
</body>
</html>
"""


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def main_row(tmp_path: Path, html: str | bytes, name: str = "story.html") -> pd.Series:
    path = tmp_path / name
    if isinstance(html, str):
        html = html.encode("utf-8")
    path.write_bytes(gzip.compress(html) if name.endswith(".gz") else html)
    units = list(iter_units(discover(path)))
    assert len(units) == 1 and isinstance(units[0], PageUnit)
    articles, _ = build_tables(drafts_frame(parse_unit(units[0]).articles))
    main = articles[articles["role"] == "main"]
    assert len(main) == 1
    return main.iloc[0]


def test_jsonld_author_and_date_with_provenance(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Ferry terminal to close",
            "author": {"@type": "Person", "name": "Ana Ruiz"},
            "datePublished": "2024-03-05T09:30:00+01:00",
            "publisher": {"@type": "NewsMediaOrganization", "name": "Harbour Ledger"},
        }
    )
    row = main_row(tmp_path, page(head=head))
    assert row["byline"] == "Ana Ruiz" and row["byline_source"] == "jsonld"
    assert row["published_raw"] == "2024-03-05T09:30:00+01:00"
    assert row["published_source"] == "jsonld"
    assert str(row["published"]) == "2024-03-05 08:30:00+00:00"


def test_graph_organization_author_is_no_byline(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebSite", "name": "Harbour Ledger"},
                {
                    "@type": "Article",
                    "author": {"@type": "Organization", "name": "Harbour Ledger"},
                    "datePublished": "2024-03-05",
                },
            ],
        }
    )
    head += '<meta name="author" content="Harbour Ledger">'
    row = main_row(tmp_path, page(head=head))
    assert pd.isna(row["byline"]) and pd.isna(row["byline_source"])
    assert row["published_source"] == "jsonld"


def test_meta_author_that_spells_the_site_is_no_byline(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="Der Abendbote">'
        '<meta name="author" content="Der Abendbote">'
        '<link rel="canonical" href="https://www.derabendbote.example/lokal/faehre">'
    )
    row = main_row(tmp_path, page(head=head, lang="de"))
    assert pd.isna(row["byline"])


def test_meta_and_rel_author_and_time_element(tmp_path: Path) -> None:
    byline = (
        '<p class="meta"><a rel="author" href="/autor/greta-sommer">Greta Sommer</a> '
        '<time datetime="2023-11-02T07:00:00Z">2. November 2023</time></p>'
    )
    row = main_row(tmp_path, page(byline=byline, lang="de"))
    assert row["byline"] == "Greta Sommer"
    assert row["byline_source"] in ("by_line", "rel_author")
    assert row["published_source"] == "time_element"
    assert str(row["published"].date()) == "2023-11-02"


def test_visible_byline_wins_over_metadata(tmp_path: Path) -> None:
    head = '<meta name="author" content="Jean Dupont">'
    byline = "<p>Par Marie Curie</p>"
    prose = (
        "Le conseil municipal a voté mardi la fermeture du vieux terminal de ferry après "
        "que des ingénieurs ont trouvé des fissures dans la jetée, trop chères à réparer. "
    )
    row = main_row(tmp_path, page(head=head, byline=byline, lang="fr", prose=prose))
    assert row["byline"] == "Marie Curie" and row["byline_source"] == "by_line"


def test_lines_point_into_the_html_source(tmp_path: Path) -> None:
    html = page()
    row = main_row(tmp_path, html)
    source = html.split("\n")
    assert "Ferry terminal to close" in source[int(row["title_line"]) - 1]
    for no in row["body_lines"]:
        assert "<p>" in source[no - 1]
    assert row["line_start"] <= row["title_line"] <= row["line_end"] <= len(source)


def test_declared_legacy_charset(tmp_path: Path) -> None:
    html = page(lang="de", title="Fähre: Terminal schließt").replace(
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    )
    row = main_row(tmp_path, html.encode("cp1252"))
    assert row["title"] == "Fähre: Terminal schließt"
    assert declared_charset(b'<meta charset="windows-1252">') == "cp1252"
    assert declared_charset(b'<?xml version="1.0" encoding="ISO-8859-15"?><html>') == "iso8859_15"
    assert declared_charset(b"<html><head></head>") is None


def test_wrong_declared_charset_falls_back(tmp_path: Path) -> None:
    # Declares UTF-8, is cp1252: detection decodes it and the issue is reported.
    html = page(lang="de", title="Grüße aus Köln, schöne Fähre").encode("cp1252")
    path = tmp_path / "wrong.html"
    path.write_bytes(html)
    unit = next(iter(iter_units(discover(path))))
    assert isinstance(unit, PageUnit)
    assert unit.issues and unit.issues[0].kind in ("encoding.detected", "encoding.invalid_utf8")
    assert "Köln" in unit.text or "\ufffd" in unit.text


def test_gzipped_page_and_broken_markup(tmp_path: Path) -> None:
    html = page().replace("</article>", "").replace("</head>", "")
    html = html.replace("<p>", "<p><b><i>", 2) + "<div><span"
    row = main_row(tmp_path, html, "story.html.gz")
    assert "harbour authority" in row["body"]


def test_broken_jsonld_is_ignored(tmp_path: Path) -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": </script>'
    row = main_row(tmp_path, page(head=head))
    assert pd.isna(row["byline"])


def test_yoast_graph_author_reference_and_escaped_entities(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "Article",
                    "@id": "https://blog.example/p/#article",
                    "author": {"@id": "https://blog.example/#/person/1"},
                    "datePublished": "2022-05-04T08:00:00+02:00",
                },
                {
                    "@type": "Person",
                    "@id": "https://blog.example/#/person/1",
                    "name": "Jos&eacute; Mar&iacute;a Pe&ntilde;a",
                },
            ],
        }
    )
    row = main_row(tmp_path, page(head=head, lang="es"))
    assert row["byline"] == "José María Peña" and row["byline_source"] == "jsonld"


def test_login_handles_are_no_byline(tmp_path: Path) -> None:
    head = '<meta name="author" content="ana.ruiz">'
    row = main_row(tmp_path, page(head=head))
    assert pd.isna(row["byline"])


_TAGS = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<a href='/x'>", "</a>", "<h1>", "</h1>", "<br>",
     "<script>", "</script>", "<li>", "<time datetime='2024-01-02'>", "\n", "\r\n", "&amp;",
     "<meta name='author' content='Ana Ruiz'>", "<!--", "-->", "Grüße", "text ", "…"]
)  # fmt: skip


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(_TAGS, max_size=60), st.binary(max_size=40))
def test_any_html_renders_with_a_rising_line_map(parts: list[str], noise: bytes) -> None:
    data = "".join(parts).encode("utf-8") + noise
    unit = html_unit(data, InputFile(Path("p.html"), "p.html", "html"))
    assert unit.source_lines is not None
    assert len(unit.source_lines) == unit.text.count("\n") + 1
    assert unit.source_lines == sorted(unit.source_lines)
    assert all(1 <= no <= data.count(b"\n") + data.count(b"\r") + 1 for no in unit.source_lines)
    parsed = parse_unit(unit)
    for draft in parsed.articles:
        assert 1 <= draft.line_start <= draft.line_end


def test_byline_element_names_the_author(tmp_path: Path) -> None:
    # The credit sits in a byline element as a bare name beside the date (no by-word,
    # no author link): the markup says it is the byline. The comment section's author
    # elements and a teaser's byline name other people.
    byline = (
        '<div class="entry-meta"><span class="byline-name">Greta Sommer</span>'
        ' <span class="sep">|</span> <span class="date">2. November 2023</span></div>'
    )
    comments = (
        '<section class="comments"><div class="comment-author">Karl Weber</div>'
        "<p>Das war überfällig, danke für den Bericht.</p></section>"
    )
    html = page(byline=byline, lang="de").replace("</article>", f"</article>{comments}")
    authors = [(e.source, e.value) for e in page_evidence(html) if e.kind == "author"]
    # The article header finder (html_header) reads the same name beside the headline.
    assert authors == [("byline_element", "Greta Sommer"), ("header", "Greta Sommer")]
    row = main_row(tmp_path, html)
    assert row["byline"] == "Greta Sommer"


def test_byline_element_inside_comments_or_an_aside_is_no_evidence() -> None:
    html = page(byline="<p>Kein Autor genannt.</p>", lang="de").replace(
        "</article>",
        '</article><aside><div class="author">Karl Weber</div></aside>'
        '<div id="comments"><span class="author">Ida Roth</span></div>',
    )
    authors = [e for e in page_evidence(html) if e.kind == "author"]
    assert authors == []


def test_microdata_author_name_and_byline_text(tmp_path: Path) -> None:
    byline = (
        '<p class="article-byline">Von <span itemprop="author" itemscope '
        'itemtype="https://schema.org/Person"><span itemprop="name">Ana Ruiz</span></span>'
        " und Ben Roe, 1. Januar 2023</p>"
    )
    evidence = [
        (e.source, e.value) for e in page_evidence(page(byline=byline)) if e.kind == "author"
    ]
    assert evidence == [
        ("byline_element", "Von Ana Ruiz und Ben Roe, 1. Januar 2023"),
        ("microdata", "Ana Ruiz"),
        ("header", "Ana Ruiz, Ben Roe"),
    ]
    found = byline_of([Evidence("author", v, s) for s, v in evidence], None)
    # Microdata ranks above a byline element's text, as structured data does.
    assert found == ("Ana Ruiz", "microdata")
    text_only = byline_of([Evidence("author", evidence[0][1], "byline_element")], None)
    assert text_only == ("Ana Ruiz, Ben Roe", "byline_element")


def test_byline_element_that_is_no_name_or_the_outlet_is_no_byline() -> None:
    items = [
        Evidence("author", "Autor", "byline_element"),  # a label alone
        Evidence("author", "Harbour Ledger", "byline_element"),  # the outlet
        Evidence("author", "Mehr von diesem Autor", "byline_element"),
        Evidence("author", "Jan Novak", "byline_element"),  # a later element: a teaser's
        Evidence("author", "Ida Roth", "byline_element"),
    ]
    found = byline_of(items, "https://www.harbourledger.example/news/ferry")
    assert found == ("Jan Novak", "byline_element")


def test_one_person_site_owner_is_the_author_not_the_outlet(tmp_path: Path) -> None:
    head = (
        '<meta property="og:site_name" content="Karla Brenner">'
        '<meta name="author" content="Karla Brenner">'
        '<link rel="canonical" href="https://karlabrenner.example/2023/faehre">'
    )
    row = main_row(tmp_path, page(head=head, lang="de"))
    assert row["byline"] == "Karla Brenner" and row["byline_source"] == "meta"
    # A site named like a brand is still the outlet.
    head = head.replace("Karla Brenner", "Harbour Ledger").replace("karlabrenner", "harbourledger")
    assert pd.isna(main_row(tmp_path, page(head=head, lang="de"), "other.html")["byline"])


def test_invisible_microdata_author_passes_the_articles_contract(tmp_path: Path) -> None:
    from corpus_qa.schemas import ArticlesSchema

    byline = (
        '<div itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<meta itemprop="name" content="Greta Sommer"></div>'
    )
    path = tmp_path / "story.html"
    path.write_text(page(byline=byline, lang="de"), encoding="utf-8")
    (unit,) = list(iter_units(discover(path)))
    assert isinstance(unit, PageUnit)
    articles, _ = build_tables(drafts_frame(parse_unit(unit).articles))
    main = articles[articles["role"] == "main"].iloc[0]
    assert main["byline"] == "Greta Sommer" and main["byline_source"] == "microdata"
    ArticlesSchema.validate(articles, lazy=True)


def test_the_printed_dateline_picks_among_disagreeing_timestamps(tmp_path: Path) -> None:
    # The meta tag carries a re-publication time; the time element and the printed
    # dateline agree on the day the article appeared.
    head = '<meta property="article:published_time" content="2022-11-17T10:33:13Z">'
    byline = (
        "<p>Von Greta Sommer</p>"
        '<p>Erschienen am <time datetime="2022-03-09T08:00:00+01:00">9. März 2022</time></p>'
    )
    row = main_row(tmp_path, page(head=head, byline=byline, lang="de"))
    assert row["published_source"] == "time_element"
    assert row["published_raw"] == "2022-03-09T08:00:00+01:00"


def test_a_utc_time_one_day_off_gives_way_to_the_printed_day(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2022-11-06T23:00:00.000Z">'
    byline = "<p>Von Greta Sommer</p><p>07.11.2022</p>"
    row = main_row(tmp_path, page(head=head, byline=byline, lang="de"))
    assert row["published_source"] == "dateline"
    assert row["published"].date() == date(2022, 11, 7)
    # Without a printed date, the timestamp stands.
    row = main_row(tmp_path, page(head=head, lang="de"), "bare.html")
    assert row["published_source"] == "meta"
