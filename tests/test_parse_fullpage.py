"""The full-page layout: article amid site chrome, page bylines, accounting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.parse import parse_page
from corpus_qa.parse.layouts import _parse
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import examples
from tests.test_parse_pages import assert_accounting

NAV = "\n".join(f"* [{w}](https://example.org/{w.lower()}/)" for w in
                ("Home", "Politik", "Wirtschaft", "Sport", "Kultur", "Wissen", "Reisen"))  # fmt: skip
PROSE = (
    "Der Gemeinderat hat am Dienstagabend den neuen Haushalt beschlossen, nachdem die "
    "Debatte über die Sanierung der Schwimmhalle mehr als drei Stunden gedauert hatte.",
    "Die Opposition kritisierte vor allem die geplanten Kürzungen bei der Jugendarbeit und "
    "kündigte an, das Thema in der nächsten Sitzung erneut auf die Tagesordnung zu setzen.",
    "Der Bürgermeister verteidigte den Kompromiss als tragfähig und verwies auf die gestiegenen "
    "Energiekosten, die den Spielraum der Stadt in diesem Jahr deutlich einschränkten.",
)


def page(meta: str, *, title: str = "# Stadtrat beschließt Haushalt") -> str:
    return "\n\n".join(
        [
            NAV,
            title,
            meta,
            *PROSE,
            "## Das könnte Sie auch interessieren",
            "* [Neue Radwege geplant](https://example.org/radwege)",
            "* [Freibad öffnet früher](https://example.org/freibad)",
            "Kommentare (3)",
            "Anna sagt:",
            "Endlich eine Entscheidung, das hat viel zu lange gedauert mit diesem Haushalt hier.",
            "© 2024 Example Verlag. Alle Rechte vorbehalten.",
        ]
    )


def main_article(text: str) -> tuple[str | None, str, str | None]:
    parsed = parse_page(text, "p.md")
    assert parsed.layout == "page"
    assert_accounting(text, parsed)
    articles, _ = build_tables(drafts_frame(parsed.articles))
    row = articles.iloc[0]
    byline = None if row["byline"] is None or row["byline"] != row["byline"] else row["byline"]
    return byline, str(row["body"]), row["title"]


def test_body_title_and_chrome_are_separated() -> None:
    text = page("Von Anna Beispiel | 12.03.2024")
    byline, body, title = main_article(text)
    assert title == "Stadtrat beschließt Haushalt"
    assert byline == "Anna Beispiel"
    for paragraph in PROSE:
        assert paragraph in body
    for chrome in (
        "Politik",
        "Das könnte Sie",
        "Radwege",
        "Endlich eine",
        "Alle Rechte",
        "Von Anna",
    ):
        assert chrome not in body
    parsed = parse_page(text, "p.md")
    reasons = " ".join(span.reason for span in parsed.chrome)
    assert "navigation or link list" in reasons and "section header" in reasons


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Von Anna Beispiel und Max Muster", "Anna Beispiel, Max Muster"),
        ("Par Claire Dupont, le 3 mars 2024", "Claire Dupont"),
        ("Por María López", "María López"),
        ("Di Marco Rossi", "Marco Rossi"),
        ("Door Pieter de Vries", "Pieter de Vries"),
        ("Av Lars Nilsson", "Lars Nilsson"),
        ("Af Mette Hansen", "Mette Hansen"),
        ("Przez Jan Kowalski", "Jan Kowalski"),
        ("Text: Eva Roth", "Eva Roth"),
        ("Posted on March 3, 2024 by Adi Levin", "Adi Levin"),
        (
            "Veröffentlicht am 3. März 2024 von [kaffeetante](https://blog.example/author/kt/)",
            "kaffeetante",
        ),
        ("[Tom Berger](https://example.org/autor/tom-berger/) · 03.03.2024", "Tom Berger"),
        ("[Lea Kurz](https://example.org/journalist/lea_kurz)", "Lea Kurz"),
        ("[Ole Brandt](https://example.org/profile/ole) | 3. März 2024", "Ole Brandt"),
        ("Jonas Weber | Reporter", "Jonas Weber"),
        ("Sabine Kraus, 01.12.2021", "Sabine Kraus"),
        ("By Jane Doe, John Roe and Ann Poe", "Jane Doe, John Roe, Ann Poe"),
    ],
)
def test_byline_layouts_and_languages(meta: str, expected: str) -> None:
    byline, body, _ = main_article(page(meta))
    assert byline == expected
    assert expected.split(",")[0] not in body


@pytest.mark.parametrize(
    "meta",
    [
        "By Staff",
        "Von 12.03.2024",
        "By https://example.org",
        "Von Facebook",
        "By AFP",
        "12. März 2024, 14:30 Uhr",
    ],
)
def test_non_people_are_not_bylines(meta: str) -> None:
    byline, _, _ = main_article(page(meta))
    assert byline is None


def test_wire_agency_alone_is_a_credit_not_a_byline() -> None:
    text = page("Von Anna Beispiel").replace(PROSE[-1], PROSE[-1] + " (AFP)")
    parsed = parse_page(text, "p.md")
    articles, _ = build_tables(drafts_frame(parsed.articles))
    assert articles.iloc[0]["credit"] == "AFP"


def test_small_plain_article_keeps_the_generic_layout() -> None:
    text = "# Title\nBy Jane Doe\n\n" + PROSE[0]
    assert parse_page(text, "g.md").layout == "generic"


_line = st.one_of(
    st.sampled_from(
        [
            "* [Home](https://a.example/)",
            "[Login](https://a.example/login) | [Abo](https://a.example/abo)",
            "# A title",
            "## Kommentare",
            "Von Anna Beispiel",
            "![](https://a.example/i.jpg)",
            "© 2024 Verlag",
            "Cookies helfen uns.",
            "",
            *PROSE,
        ]
    ),
    st.text(max_size=120),
)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(_line, min_size=6, max_size=40), st.sampled_from(["\n", "\r\n"]))
def test_full_pages_account_for_every_line(lines: list[str], newline: str) -> None:
    text = newline.join([NAV, *lines])
    parsed = _parse(text, "any.md")
    assert_accounting(text, parsed)
