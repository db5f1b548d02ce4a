"""accuracy.html_misses: how a missed byline is classed (aggregate counts only)."""

from __future__ import annotations

from accuracy.html_misses import classify, outside, ranking, shape
from tests.test_html_header import _page


def test_shape_of_a_gold_name() -> None:
    assert shape("Harbour Ledger", "harbourledger.example") == "site"
    assert shape("happyface313", "happyface313.com") == "site"
    assert shape("Fabian", "blog.example") == "one_word"
    assert shape("Greta Sommer", "zeitung.example") == "known_given_name"
    assert shape("Zxq Blorp", "zeitung.example") == "other"


def test_classify_reads_header_and_links() -> None:
    header = '<h1>Ferry terminal to close</h1><p><a href="/x">Greta Sommer</a></p>'
    page = {"author": "Greta Sommer", "domain": "harbourledger.example"}
    html = _page(header).encode("utf-8")
    assert classify({"got": None}, page, html) == (
        "none",
        "known_given_name",
        "in_header",
        "in_a_link",
        "no_evidence",
        "other_page",
    )
    # The name after the article's prose: no header, no link.
    elsewhere = _page("<h1>Ferry terminal to close</h1>").replace(
        "</article>", "<p>Karl Weber</p></article>"
    )
    page = {"author": ["Karl Weber"], "domain": "harbourledger.example"}
    assert classify({"got": "Ana Ruiz"}, page, elsewhere.encode("utf-8")) == (
        "another",
        "known_given_name",
        "not_in_header",
        "not_in_a_link",
        "no_evidence",
        "no_link",
    )
    # A page that gave byline evidence, its gold name linked to the author's page.
    linked = _page(
        '<h1>Ferry terminal to close</h1><p><a href="/author/greta-sommer/">Greta Sommer</a></p>'
    )
    page = {"author": "Greta Sommer", "domain": "harbourledger.example"}
    assert classify({"got": None, "unconfirmed": True}, page, linked.encode("utf-8"))[4:] == (
        "unconfirmed",
        "author_page",
    )


def test_outside_finds_a_framework_state_blob() -> None:
    # Next.js: the story's author only in the server-rendered state, not in the markup.
    state = (
        '<script id="__NEXT_DATA__" type="application/json">'
        '{"props":{"pageProps":{"story":{"headline":"Ferry terminal to close",'
        '"authors":[{"name":"Greta Sommer","slug":"greta-sommer"}]}}},"page":"/[slug]"}'
        "</script>"
    )
    html = _page("<h1>Ferry terminal to close</h1>").replace("</body>", state + "</body>")
    page = {"author": "Greta Sommer", "domain": "harbourledger.example"}
    assert outside(page, html.encode("utf-8")) == ("state_blob",)
    # The same name in an analytics data layer is another script, no state blob.
    layer = "<script>dataLayer.push({'author': 'Greta Sommer', 'section': 'news'});</script>"
    html = _page("<h1>Ferry terminal to close</h1>").replace("</body>", layer + "</body>")
    assert outside(page, html.encode("utf-8")) == ("other_script",)


def test_outside_reads_data_attributes_and_later_rel_author() -> None:
    page = {"author": "Greta Sommer", "domain": "harbourledger.example"}
    header = (
        '<h1>Ferry terminal to close</h1><div class="share" data-author="Greta Sommer" '
        'data-title="Ferry terminal to close"></div>'
    )
    assert outside(page, _page(header).encode("utf-8")) == ("data_attr_article",)
    # A reader's comment carries its own author attribute: a comment's, not the story's.
    comment = _page("<h1>Ferry terminal to close</h1>").replace(
        "<footer>",
        '<section><p data-comment-author="Greta Sommer">Well said.</p></section><footer>',
    )
    assert outside(page, comment.encode("utf-8")) == ("data_attr_comment",)
    # The first rel=author link names a sidebar columnist; the story's author is the second.
    linked = _page(
        '<h1>Ferry terminal to close</h1><p><a rel="author" href="/author/greta-sommer/">'
        "Greta Sommer</a></p>"
    ).replace(
        "<main>", '<aside><a rel="author" href="/author/karl-weber/">Karl Weber</a></aside><main>'
    )
    assert outside(page, linked.encode("utf-8")) == ("later_rel_author",)
    # The name where the readers already look (JSON-LD, the first rel=author): nowhere else.
    jsonld = _page("<h1>Ferry terminal to close</h1>").replace(
        "</head>",
        '<script type="application/ld+json">{"@type":"NewsArticle",'
        '"author":{"@type":"Person","name":"Greta Sommer"}}</script></head>',
    )
    assert outside(page, jsonld.encode("utf-8")) == ()
    assert outside({"author": "", "domain": "x.example"}, jsonld.encode("utf-8")) == ()


def test_ranking_says_whether_a_reader_held_the_gold_name_and_what_won() -> None:
    page = {"author": "Greta Sommer", "domain": "harbourledger.example"}
    # The header's by-line names someone else; the meta tag states the gold author.
    credited = _page(
        "<h1>Ferry terminal to close</h1><p>By Karl Weber</p>",
    ).replace("</head>", '<meta name="author" content="Greta Sommer"></head>')
    assert ranking({"got": "Karl Weber"}, page, credited.encode("utf-8")) == (
        "held",
        "header",
        "meta",
        "strong",
    )
    # JSON-LD types the gold name as an organization: held only by a refused item.
    org = _page("<h1>Ferry terminal to close</h1>").replace(
        "</head>",
        '<script type="application/ld+json">{"@type":"NewsArticle",'
        '"author":{"@type":"Organization","name":"Greta Sommer"}}</script></head>',
    )
    assert ranking({"got": None}, page, org.encode("utf-8")) == ("refused", "jsonld")
    # No reader holds it at all.
    bare = _page("<h1>Ferry terminal to close</h1>")
    assert ranking({"got": None}, page, bare.encode("utf-8")) == ("not_held",)
