"""accuracy.html_misses: how a missed byline is classed (aggregate counts only)."""

from __future__ import annotations

from accuracy.html_misses import classify, shape
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
