"""Full pages: chrome right after the article that no header announces.

Each test builds a small page of its own (never corpus text): navigation, an
article, then one layout of trailing chrome, and checks that the article's
paragraphs stay in the body, the chrome leaves it, and every line is accounted for.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.parse import parse_page
from corpus_qa.parse.layouts import _parse
from tests.conftest import examples
from tests.test_parse_fullpage import NAV, PROSE
from tests.test_parse_pages import assert_accounting

TITLE = "# Stadtrat beschließt Haushalt"
ARTICLE = "\n\n".join([TITLE, *PROSE])

#: Three teaser cards for other stories: linked image, linked headline, teaser, author.
CARDS = "\n\n".join(
    f"  * [ ![](https://news.example/img/{k}.jpg) ](https://news.example/story-{k})\n\n"
    f"### [{headline}](https://news.example/story-{k})\n\n"
    f"{teaser}\n\nPar [Eve Martin](https://news.example/author/eve/)\nLe 0{k}/02/2024"
    for k, (headline, teaser) in enumerate(
        [
            (
                "Neue Buslinie ab Mai",
                "Die Verkehrsbetriebe erweitern ihr Netz um eine Linie, die das "
                "Neubaugebiet im Norden mit dem Bahnhof verbindet.",
            ),
            (
                "Bibliothek verlängert Öffnungszeiten",
                "Ab dem kommenden Monat bleibt die Stadtbibliothek an drei Abenden "
                "in der Woche bis zweiundzwanzig Uhr geöffnet.",
            ),
            (
                "Sportverein feiert Jubiläum",
                "Mit einem Festwochenende und einem Turnier für Jugendmannschaften "
                "feiert der älteste Verein der Stadt sein Bestehen.",
            ),
        ],
        start=1,
    )
)


def body_of(text: str) -> str:
    parsed = parse_page(text, "p.md")
    assert parsed.layout == "page"
    assert_accounting(text, parsed)
    return parsed.articles[0].body


def reasons_of(text: str) -> str:
    return " ".join(span.reason for span in parse_page(text, "p.md").chrome)


def test_teaser_cards_without_a_header_leave_the_body() -> None:
    text = "\n\n".join([NAV, ARTICLE, CARDS])
    body = body_of(text)
    for paragraph in PROSE:
        assert paragraph in body
    for word in ("Verkehrsbetriebe", "Stadtbibliothek", "Festwochenende", "Eve Martin"):
        assert word not in body
    assert "teaser cards" in reasons_of(text)


def test_a_subheaded_article_is_no_run_of_cards() -> None:
    # Subheadings over single paragraphs, no links: the article's own rhythm.
    sections = "\n\n".join(f"## Teil {k}\n\n{paragraph}" for k, paragraph in enumerate(PROSE))
    text = "\n\n".join([NAV, TITLE, sections, PROSE[0].replace("Gemeinderat", "Kreistag")])
    body = body_of(text)
    for paragraph in PROSE:
        assert paragraph in body


def test_a_slideshow_with_script_links_stays_in_the_body() -> None:
    slides = "\n\n".join(
        f"![](https://news.example/slide{k}.jpg)\n\n{k}/3\n\n## Bild {k}\n\n{paragraph}\n\n"
        "[](javascript://)[](javascript://)"
        for k, paragraph in enumerate(PROSE, start=1)
    )
    body = body_of("\n\n".join([NAV, TITLE, slides]))
    for paragraph in PROSE:
        assert paragraph in body


def test_a_link_spanning_several_lines_is_one_link_not_prose() -> None:
    ads = "\n".join(
        [
            "  * [ Wohnungen **Suche Zweizimmerwohnung**",
            "Ruhige Mieterin sucht eine helle Wohnung mit Balkon in der Altstadt oder in "
            "der Nähe des Stadtparks, gerne auch mit Garten, bis zum Herbst. Tel. 0000-000",
            "  ](https://news.example/kleinanzeigen)",
        ]
    )
    text = "\n\n".join([NAV, ARTICLE, ads])
    assert "Zweizimmerwohnung" not in body_of(text)
    assert "Balkon" not in body_of(text)


def test_a_comment_form_is_chrome() -> None:
    form = "\n\n".join(
        [
            "### Leave a Reply [Cancel reply](https://blog.example/post/#respond)",
            "Your email address will not be published. Required fields are marked *",
            "Name *",
            "Email *",
            "Save my name, email, and website in this browser for the next time I comment.",
        ]
    )
    body = body_of("\n\n".join([NAV, ARTICLE, form]))
    for chrome in ("Leave a Reply", "will not be published", "Name *", "Save my name"):
        assert chrome not in body


def test_captions_ending_in_a_credit_leave_the_body() -> None:
    text = "\n\n".join(
        [
            NAV,
            TITLE,
            PROSE[0],
            "![Rathaus](https://news.example/rathaus.jpg)",
            "Das Rathaus am Marktplatz, in dem der Rat tagte. © Anna Beispiel",
            PROSE[1],
            "Ratsmitglieder bei der Abstimmung am Dienstag (Foto: Max Muster)",
            PROSE[2],
        ]
    )
    body = body_of(text)
    assert "Marktplatz" not in body and "Abstimmung am" not in body
    for paragraph in PROSE:
        assert paragraph in body


def test_share_links_with_spaces_in_their_target_are_links() -> None:
    share = "\n".join(
        [
            "  * [Per E-Mail teilen](mailto:?subject=Stadtrat beschließt Haushalt für das "
            "kommende Jahr nach langer Debatte&body=https://news.example/haushalt)",
            "  * [Per WhatsApp teilen](whatsapp://send?text=Stadtrat beschließt Haushalt für "
            "das kommende Jahr nach langer Debatte https://news.example/haushalt)",
        ]
    )
    body = body_of("\n\n".join([NAV, ARTICLE, share]))
    assert "teilen" not in body


def test_an_author_bio_after_the_tag_bar_leaves_the_body() -> None:
    tags = (
        "[Haushalt](https://news.example/tag/haushalt) [Stadtrat](https://news.example/tag/rat) "
        "[Schwimmhalle](https://news.example/tag/bad)"
    )
    bio = "Anna Beispiel berichtet seit zehn Jahren für uns aus dem Rathaus."
    body = body_of("\n\n".join([NAV, ARTICLE, tags, bio]))
    assert "zehn Jahren" not in body
    for paragraph in PROSE:
        assert paragraph in body


def test_a_paragraph_after_a_single_read_more_link_stays() -> None:
    text = "\n\n".join(
        [
            NAV,
            ARTICLE,
            "[Der Haushaltsplan als PDF](https://news.example/haushalt-2023.pdf)",
            "Die Stadtkämmerin rechnet damit, dass der Haushalt im Frühjahr vom Land "
            "genehmigt wird.",
        ]
    )
    assert "Stadtkämmerin" in body_of(text)


_chrome_line = st.sampled_from(
    [
        "  * [ ![](https://news.example/1.jpg) ](https://news.example/s1)",
        "### [Neue Buslinie ab Mai](https://news.example/s1)",
        "Par [Eve Martin](https://news.example/author/eve/)",
        "  * [ Wohnungen **Suche**",
        "  ](https://news.example/kleinanzeigen)",
        "[A](https://news.example/a) [B](https://news.example/b) [C](https://news.example/c)",
        "Your email address will not be published. Required fields are marked *",
        "Name *",
        "Das Rathaus am Marktplatz. © Anna Beispiel",
        "[](javascript://)",
        "",
        *PROSE,
    ]
)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(_chrome_line, min_size=6, max_size=50))
def test_pages_with_cards_and_block_links_account_for_every_line(lines: list[str]) -> None:
    text = "\n".join([NAV, *lines])
    assert_accounting(text, _parse(text, "any.md"))


#: A longer article: the paragraphs again, about other councils.
LONG = [
    *PROSE,
    *(p.replace("Gemeinderat", "Kreistag").replace("Stadt", "Kreis") for p in PROSE),
    *(p.replace("Gemeinderat", "Ortsbeirat").replace("Stadt", "Gemeinde") for p in PROSE),
]
OTHER = (
    "Im Podcast dieser Woche geht es um die Frage, wie kleine Gemeinden ihre Schwimmbäder "
    "trotz steigender Kosten offen halten können.",
    "Zu Gast ist eine Kämmerin aus dem Umland, die von ihren Erfahrungen mit Fördermitteln, "
    "Vereinen und ehrenamtlichen Helfern erzählt.",
    "Außerdem sprechen wir über neue Ideen für den Nahverkehr auf dem Land und darüber, was "
    "Rufbusse in der Praxis leisten.",
    "Zum Schluss beantworten wir Fragen unserer Hörerinnen und Hörer, die uns in den "
    "vergangenen Wochen zahlreich erreicht haben.",
)


def test_a_second_story_after_the_tags_header_is_cut_off() -> None:
    text = "\n\n".join([NAV, TITLE, *LONG, "Tags", "Follow", *OTHER])
    body = body_of(text)
    assert "Podcast" not in body and "Rufbusse" not in body
    for paragraph in LONG:
        assert paragraph in body
    assert "closing chrome" in reasons_of(text)


def test_a_share_header_mid_article_does_not_end_it() -> None:
    text = "\n\n".join([NAV, TITLE, *LONG, "Artikel teilen", *OTHER])
    body = body_of(text)
    assert "Podcast" in body and "Rufbusse" in body


def test_the_author_box_and_post_metadata_end_the_post() -> None:
    text = "\n\n".join(
        [
            NAV,
            TITLE,
            *LONG,
            "Dieser Eintrag wurde veröffentlicht in [Politik](https://blog.example/c/politik/) "
            "und verschlagwortet mit [Haushalt](https://blog.example/t/haushalt/).",
            "## [Anna Beispiel](https://blog.example/author/anna/)",
            *OTHER,
        ]
    )
    body = body_of(text)
    assert "verschlagwortet" not in body and "Podcast" not in body
    for paragraph in LONG:
        assert paragraph in body


def test_an_embed_waiting_for_consent_is_chrome() -> None:
    text = "\n\n".join(
        [
            NAV,
            TITLE,
            PROSE[0],
            PROSE[1],
            "Klicken Sie auf den Button, um den Inhalt von karten.example zu laden.",
            "Inhalt laden",
            PROSE[2],
        ]
    )
    body = body_of(text)
    assert "Button" not in body and "Inhalt laden" not in body
    for paragraph in PROSE:
        assert paragraph in body


def test_subheadings_and_sourced_paragraphs_are_article_text() -> None:
    sourced = "Die Zahl der Badegäste sank im Vorjahr um ein Drittel (Quelle: Stadtwerke)."
    text = "\n\n".join([NAV, TITLE, PROSE[0], "## Zurück zum Alltag", PROSE[1], sourced, PROSE[2]])
    body = body_of(text)
    assert "Zurück zum Alltag" in body and sourced in body
    for paragraph in PROSE:
        assert paragraph in body
