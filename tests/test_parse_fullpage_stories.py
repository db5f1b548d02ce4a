"""Other stories inside the article's run (corpus_qa.parse.stories): block-level cuts."""

from __future__ import annotations

import pytest

from corpus_qa.parse import parse_page
from corpus_qa.parse.blocks import features, is_consent, is_prose, is_section_header
from corpus_qa.parse.lines import split_lines
from corpus_qa.parse.stories import is_date_stamp
from tests.test_parse_fullpage import NAV, PROSE, main_article
from tests.test_parse_pages import assert_accounting

OTHER = (
    "Im Nachbarort wurde unterdessen über den Neubau der Feuerwache gestritten, weil die "
    "Kosten seit der ersten Planung um fast ein Drittel gestiegen sind und niemand zahlt.",
    "Die Feuerwehr selbst hält den Neubau für unverzichtbar und warnt davor, die Planung "
    "noch einmal zu verschieben, weil die alte Halle die Vorschriften nicht mehr erfüllt.",
)


def test_a_next_post_with_linked_title_and_date_ends_the_article() -> None:
    text = "\n\n".join(
        [
            NAV,
            "## [Stadtrat beschließt Haushalt](https://example.org/2024/03/haushalt/)",
            "Veröffentlicht am 12. März 2024 von Anna",
            *PROSE,
            "## [Streit um die Feuerwache](https://example.org/2024/03/feuerwache/)",
            "Veröffentlicht am 2. März 2024 von Ben",
            *OTHER,
            "Veröffentlicht unter [Lokales](https://example.org/lokales/)",
        ]
    )
    _, body, _ = main_article(text)
    assert PROSE[-1] in body
    assert not any(other in body for other in OTHER)


def test_a_linked_subheading_without_a_date_stays_in_the_article() -> None:
    text = "\n\n".join(
        [
            NAV,
            "# Stadtrat beschließt Haushalt",
            *PROSE[:2],
            "## [Der Haushaltsplan im Überblick](https://example.org/haushaltsplan.pdf)",
            PROSE[2],
            *OTHER,
        ]
    )
    _, body, _ = main_article(text)
    assert PROSE[2] in body and OTHER[1] in body


def test_a_teaser_excerpt_ending_with_read_more_leaves_the_body() -> None:
    teaser = OTHER[0] + " [Weiterlesen →](https://example.org/2024/03/feuerwache/)"
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", *PROSE[:2], "## Feuerwache", teaser, PROSE[2]]
    )
    _, body, _ = main_article(text)
    assert PROSE[2] in body
    assert OTHER[0] not in body


def test_the_articles_own_opening_block_is_kept_despite_read_more() -> None:
    lede = PROSE[0] + " [Weiterlesen](https://example.org/2024/03/haushalt/)"
    text = "\n\n".join([NAV, "# Stadtrat beschließt Haushalt", lede, *PROSE[1:]])
    _, body, _ = main_article(text)
    assert PROSE[0] in body


def test_a_long_comment_thread_under_its_header_leaves_the_body() -> None:
    comment = (
        "Das sehe ich ganz anders, weil die Stadt seit Jahren an den falschen Stellen spart "
        "und die Schwimmhalle schon lange hätte saniert werden müssen, sagen viele hier."
    )
    thread = []
    for n in range(4):
        thread += [f"Leser {n} / 13.03.2024", comment.replace("Jahren", f"{n + 2} Jahren")]
    text = "\n\n".join([NAV, "# Stadtrat beschließt Haushalt", *PROSE, "## 4 Kommentare", *thread])
    _, body, _ = main_article(text)
    assert PROSE[-1] in body
    assert "Das sehe ich ganz anders" not in body


def test_a_comments_header_without_dated_comments_does_not_cut() -> None:
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", PROSE[0], "Kommentare", *PROSE[1:], *OTHER]
    )
    _, body, _ = main_article(text)
    assert OTHER[1] in body


def test_previous_next_post_navigation_ends_the_article() -> None:
    text = "\n\n".join(
        [
            NAV,
            "# Stadtrat beschließt Haushalt",
            *PROSE,
            "## Nächster Artikel",
            "[Streit um die Feuerwache](https://example.org/2024/03/feuerwache/)",
            *OTHER,
        ]
    )
    _, body, _ = main_article(text)
    assert PROSE[-1] in body
    assert not any(other in body for other in OTHER)


@pytest.mark.parametrize(
    "line",
    ["## Nächster Artikel", "Next Post »", "[Vorheriger Beitrag](https://example.org/a/)",
     "Previous article[Other title](https://example.org/b/)", "Article suivant"],
)  # fmt: skip
def test_previous_next_navigation_is_a_section_header(line: str) -> None:
    assert is_section_header(features(split_lines(line)[0]))


def test_a_sentence_about_the_next_article_is_no_header() -> None:
    line = "Der nächste Artikel dieser Reihe erscheint am Montag."
    assert not is_section_header(features(split_lines(line)[0]))


def test_a_long_numbered_figure_caption_leaves_the_body() -> None:
    caption = (
        "Abbildung 2: Die Schneehöhe an der Messstation im Vergleich zum langjährigen Mittel, "
        "berechnet aus den Tageswerten der letzten dreißig Winter, mit den Extremwerten der "
        "Messreihe als grauem Band und dem aktuellen Winter als roter Linie darüber."
    )
    text = "\n\n".join([NAV, "# Stadtrat beschließt Haushalt", *PROSE[:2], caption, PROSE[2]])
    _, body, _ = main_article(text)
    assert PROSE[2] in body
    assert "Abbildung 2" not in body


def test_action_buttons_inside_the_article_leave_the_body() -> None:
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", PROSE[0], "Artikel drucken", "Tipp melden",
         *PROSE[1:]]
    )  # fmt: skip
    _, body, _ = main_article(text)
    assert PROSE[2] in body
    assert "drucken" not in body and "melden" not in body


def test_a_post_meta_line_with_its_comment_count_leaves_the_body() -> None:
    meta = "Von Anna am 12.03.2024 um 09:07 Uhr gespeichert unter Lokales | Bisher keine Kommentare"
    mention = "Das Video des Bürgermeisters erhielt innerhalb eines Tages über 5000 Kommentare."
    text = "\n\n".join([NAV, "# Stadtrat beschließt Haushalt", *PROSE, mention, meta])
    _, body, _ = main_article(text)
    assert mention in body
    assert "Bisher keine Kommentare" not in body


def test_a_box_closed_by_a_screen_reader_marker_leaves_the_body() -> None:
    box = "Das Buch zum Thema: Haushalt und Stadt, erschienen im Beispielverlag (320 Seiten)"
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", *PROSE, "Weitere Informationen", box,
         "Ende der weiteren Informationen"]
    )  # fmt: skip
    _, body, _ = main_article(text)
    assert PROSE[-1] in body
    assert "Beispielverlag" not in body and "Weitere Informationen" not in body


def test_a_long_table_page_with_one_link_list_is_a_full_page() -> None:
    labels = [f"| Rubrik {n} | Ausgabe {n} |" for n in range(30)]
    text = "\n\n".join(
        ["[Home](https://example.org/) [Archiv](https://example.org/archiv/)", *labels,
         "# Stadtrat beschließt Haushalt", *PROSE]
    )  # fmt: skip
    parsed = parse_page(text, "p.md")
    assert parsed.layout == "page"
    assert_accounting(text, parsed)


def test_a_long_bare_article_with_one_link_line_stays_generic() -> None:
    paragraphs = [f"{PROSE[n % 3]} ({n})" for n in range(30)]
    text = "\n\n".join(
        ["# Stadtrat beschließt Haushalt", "[Home](https://example.org/)", *paragraphs]
    )
    assert parse_page(text, "p.md").layout == "generic"


@pytest.mark.parametrize(
    ("line", "stamp"),
    [("19.10.19, 08:00 Uhr", True), ("am 24. Januar 2022 um 15:47", True),
     ("14 Aug 2020 2:30 pm", True), ("Nachtrag 22.04.2020 10:30 Uhr:", False),
     ("Am 12.03.2024 beschloss der Rat den Haushalt.", False)],
)  # fmt: skip
def test_date_stamps(line: str, stamp: bool) -> None:
    assert is_date_stamp(features(split_lines(line)[0])) is stamp


def test_a_read_more_line_under_long_article_text_takes_only_itself() -> None:
    teaser = OTHER[0] + " [mehr »](https://example.org/2024/03/feuerwache/)"
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", PROSE[0], "## Die Debatte", *PROSE[1:],
         *OTHER[1:], PROSE[0].replace("Dienstagabend", "Mittwoch"), teaser]
    )  # fmt: skip
    _, body, _ = main_article(text)
    assert PROSE[2] in body and OTHER[1] in body
    assert OTHER[0] not in body


def test_a_share_bar_under_the_lede_does_not_hide_the_title() -> None:
    share = "\n".join(
        f"  * [ {w} ](https://example.org/share?u=https%3A%2F%2Fexample.org%2Fhaushalt)"
        for w in ("teilen", "twittern", "E-Mail")
    )
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", "12.03.2024", "![Rathaus](https://example.org/r.jpg)",
         "Der Rat hat entschieden: Die Schwimmhalle wird saniert, die Jugendarbeit nicht gekürzt.",
         share, *PROSE]
    )  # fmt: skip
    _, body, title = main_article(text)
    assert title == "Stadtrat beschließt Haushalt"
    assert "Die Schwimmhalle wird saniert" in body and PROSE[2] in body


def test_a_share_label_under_the_lede_does_not_hide_the_title() -> None:
    lede = "Der Rat hat entschieden: Die Schwimmhalle wird saniert, die Jugendarbeit bleibt."
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", lede, "Anna Beispiel, 12.03.2024", "Share",
         *PROSE]
    )  # fmt: skip
    _, body, title = main_article(text)
    assert title == "Stadtrat beschließt Haushalt"
    assert "Die Schwimmhalle wird saniert" in body


def test_a_drop_downs_options_are_no_prose() -> None:
    months = " ".join(f"{m} 2020 ({n})" for n, m in enumerate(("Januar", "Februar", "März",
                      "April", "Mai", "Juni", "Juli", "August", "September", "Oktober")))  # fmt: skip
    assert not is_prose(features(split_lines("Monat auswählen " + months)[0]))
    assert is_prose(features(split_lines(PROSE[0])[0]))


def test_a_decorated_related_header_is_a_section_header() -> None:
    line = ":: Relevantes aus dem Beispiel-Archiv:"
    assert is_section_header(features(split_lines(line)[0]))


@pytest.mark.parametrize(
    ("line", "consent"),
    [("Hier können Sie festlegen, ob externe Inhalte ohne erneute Zustimmung angezeigt werden.", True),
     ("Read our full mailing list consent terms here", True),
     ("Wir verwenden Cookies, um die Seite zu verbessern.", True),
     ("The principle of Free, Prior and Informed Consent was adopted by the assembly in 2007.", False),
     ("Knackpunkt war die Zustimmung des Parlaments zum Abkommen.", False)],
)  # fmt: skip
def test_consent_notices(line: str, consent: bool) -> None:
    assert is_consent(features(split_lines(line)[0])) is consent


def test_a_short_closing_sentence_stays_with_the_article() -> None:
    text = "\n\n".join(
        [NAV, "# Stadtrat beschließt Haushalt", *PROSE, "Die Sitzung endete um Mitternacht.",
         "## Das könnte Sie auch interessieren", "* [Neue Radwege](https://example.org/r)"]
    )  # fmt: skip
    _, body, _ = main_article(text)
    assert "Die Sitzung endete um Mitternacht." in body
    assert "Radwege" not in body


def test_a_short_cjk_sentence_is_prose() -> None:
    line = "市政府周二通过了新的预算，游泳馆的翻修工程将于明年春天开始，预计持续四年。"
    assert is_prose(features(split_lines(line)[0]))
