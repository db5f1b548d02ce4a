"""Full pages: chrome inside the article's range (issue 7, body vs chrome).

Each test builds a small page of its own (never corpus text): navigation, an
article, and one widget inside or right after it: a caption repeating the image's
alt text, header labels, a promo box, an author bio, a table of contents, an
embedded post, a widget heading. The widget leaves the body, the article stays
whole, and every line is accounted for. Negatives: subheadings, bullet lists,
block quotes, short one-sentence paragraphs and an in-text "read more" stay.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.parse import parse_page
from corpus_qa.parse.blocks import features, is_comment_marker, is_link_chrome
from corpus_qa.parse.layouts import _parse
from corpus_qa.parse.lines import split_lines
from tests.conftest import examples
from tests.test_parse_fullpage import NAV, PROSE
from tests.test_parse_fullpage_chrome import LONG, TITLE, body_of
from tests.test_parse_pages import assert_accounting

FOOTER = "\n\n".join(
    [
        "## Das könnte Sie auch interessieren",
        "* [Neue Radwege geplant](https://example.org/radwege)",
        "* [Freibad öffnet früher](https://example.org/freibad)",
        "© 2024 Example Verlag. Alle Rechte vorbehalten.",
    ]
)


def build(*parts: str) -> str:
    return "\n\n".join([NAV, TITLE, *parts, FOOTER])


def assert_whole(body: str, paragraphs: tuple[str, ...] | list[str] = PROSE) -> None:
    for paragraph in paragraphs:
        assert paragraph in body


# -- captions ---------------------------------------------------------------------------


def test_a_caption_repeating_the_alt_text_leaves_the_body() -> None:
    caption = "Die Schwimmhalle am Stadtpark wird seit dem Frühjahr saniert"
    body = body_of(
        build(
            PROSE[0],
            f"![{caption}](https://news.example/halle.jpg)",
            f"{caption}. Anna Beispiel",
            PROSE[1],
            f"[![{caption}](https://news.example/h2.jpg)](https://news.example/h2-gross.jpg) "
            f"{caption}",
            PROSE[2],
        )
    )
    assert "Stadtpark" not in body
    assert_whole(body)


def test_a_paragraph_under_an_image_with_another_alt_text_stays() -> None:
    short = "Am Ende stimmte eine knappe Mehrheit für den Plan."
    body = body_of(
        build(
            PROSE[0],
            "![Das Rathaus von außen](https://news.example/rathaus.jpg)",
            short,
            *PROSE[1:],
        )
    )
    assert short in body
    assert_whole(body)


def test_a_short_label_under_a_picture_leaves_the_body() -> None:
    # No alt text to repeat, no credit: only the place under the picture and the
    # missing sentence tell the caption (or an ad's tagline) from the text.
    body = body_of(
        build(
            PROSE[0],
            "![](https://news.example/bild-4.jpg)",
            "Blick vom Turm auf die Baustelle im Oktober",
            PROSE[1],
            "![Werbung](https://ads.example/banner.png)",
            "Die neuesten Angebote aus Ihrer Region | Example Markt",
            PROSE[2],
        )
    )
    assert "Baustelle im Oktober" not in body
    assert "Angebote aus Ihrer Region" not in body
    assert_whole(body)


def test_sentences_subheadings_and_rows_under_a_picture_stay() -> None:
    stays = [
        "Die Stadt schläft, der Fluss nicht…",
        "**Was der Plan kostet**",
        "| Kosten | 2,4 Mio. Euro |",
        "二月十七日，志愿者在中心献血。",
    ]
    parts = [PROSE[0]]
    for k, line in enumerate(stays):
        parts += [f"![](https://news.example/b{k}.jpg)", line]
    body = body_of(build(*parts, *PROSE[1:]))
    for line in stays:
        assert line in body
    assert_whole(body)


# -- header labels ----------------------------------------------------------------------


def test_labels_between_the_title_and_the_lede_leave_the_body() -> None:
    body = body_of(build("Lokalpolitik", "By Staff Writer", "1.234 Aufrufe", *PROSE))
    for label in ("Lokalpolitik", "Staff Writer", "Aufrufe"):
        assert label not in body
    assert_whole(body)


def test_a_short_one_sentence_lede_stays() -> None:
    lede = "Es ist entschieden."
    body = body_of(build(lede, *PROSE))
    assert lede in body
    assert_whole(body)


def test_short_lines_are_the_text_when_no_paragraph_follows_soon() -> None:
    items = [f"{k * 100} g Zutat {k}" for k in range(1, 14)]
    body = body_of(build(*items, *PROSE))
    for item in items:
        assert item in body


# -- promo boxes ------------------------------------------------------------------------


def test_a_support_box_after_the_article_ends_it() -> None:
    box = [
        "### Sie lesen uns gern?",
        "Unterstützen Sie unsere Arbeit mit einem kleinen Beitrag!",
        "Mit Ihrem Beitrag sichern Sie unabhängigen Lokaljournalismus in der Region, "
        "heute und in den kommenden Jahren, und dafür danken wir Ihnen.",
    ]
    text = build(*LONG, *box)
    body = body_of(text)
    assert "Sie lesen uns gern" not in body and "Lokaljournalismus" not in body
    assert_whole(body, LONG)


def test_a_newsletter_ask_inside_the_article_leaves_only_itself() -> None:
    ask = (
        "_Lust auf mehr? Die wichtigsten Nachrichten jede Woche in Ihrem Posteingang._ "
        "[_Melden Sie sich hier für unseren Newsletter an_](https://news.example/nl)"
    )
    body = body_of(build(*LONG[:4], ask, *LONG[4:]))
    assert "Posteingang" not in body
    assert_whole(body, LONG)


def test_a_long_paragraph_about_a_newsletter_stays() -> None:
    paragraph = (
        "Die Stadtverwaltung will ihre Bürger künftig über einen Newsletter informieren, für "
        "den man sich im Rathaus anmelden kann; Kritiker halten das für zu wenig, weil viele "
        "ältere Menschen kein E-Mail-Konto besitzen und die Aushänge im Schaukasten am Markt "
        "seit Jahren nicht mehr aktualisiert werden, obwohl der Rat dies mehrfach beschlossen hat."
    )
    body = body_of(build(PROSE[0], paragraph, *PROSE[1:]))
    assert paragraph in body


# -- author bios ------------------------------------------------------------------------


def test_an_about_the_author_heading_and_bio_leave_the_body() -> None:
    text = build(
        *PROSE,
        "## Über Anna Beispiel",
        "Anna Beispiel schreibt seit zehn Jahren über Lokalpolitik und lebt mit ihrer Familie "
        "am Stadtrand.",
        "[Alle Beiträge von Anna Beispiel](https://news.example/author/anna/)",
    )
    body = body_of(text)
    assert "Über Anna" not in body and "zehn Jahren" not in body
    assert_whole(body)


def test_a_bio_under_the_authors_picture_leaves_the_body() -> None:
    text = build(
        "[![Anna Beispiel](https://news.example/anna.jpg)](https://news.example/author/anna/)",
        "Anna Beispiel is a reporter covering city hall and the county council.",
        "* * *",
        *PROSE,
    )
    body = body_of(text)
    assert "covering city hall" not in body
    assert_whole(body)


def test_a_subheading_starting_with_about_stays() -> None:
    body = body_of(build(PROSE[0], "## Über Grenzen hinweg", PROSE[1], PROSE[2]))
    assert "Über Grenzen hinweg" in body
    assert_whole(body)


# -- tables of contents, embeds, widget headings ----------------------------------------


def test_a_table_of_contents_leaves_the_body_and_lists_stay() -> None:
    text = build(
        "## Inhalt",
        "  * Was der Rat beschlossen hat",
        "  * Was die Opposition sagt",
        PROSE[0],
        "## Was der Rat beschlossen hat",
        PROSE[1],
        "  * mehr Geld für Schulen",
        "  * weniger Geld für Straßen",
        "## Was die Opposition sagt",
        PROSE[2],
    )
    body = body_of(text)
    assert "Inhalt" not in body
    assert body.count("Was der Rat beschlossen hat") == 1
    assert "mehr Geld für Schulen" in body and "weniger Geld für Straßen" in body
    assert_whole(body)


def test_an_embedded_post_leaves_the_body_and_a_quote_stays() -> None:
    tweet = [
        "> Heute beschließt der Rat den Haushalt. Wir sind gespannt!",
        ">",
        "> — Stadt Beispiel (@stadtbeispiel) [March 5, 2024]"
        "(https://twitter.com/stadtbeispiel/status/123456789)",
    ]
    quote = "> „Wir haben um jeden Euro gerungen“, sagte die Kämmerin nach der Sitzung im Rathaus."
    body = body_of(build(PROSE[0], "\n".join(tweet), PROSE[1], quote, PROSE[2]))
    assert "gespannt" not in body and "@stadtbeispiel" not in body
    assert "um jeden Euro gerungen" in body
    assert_whole(body)


def test_a_heading_over_share_buttons_leaves_the_body() -> None:
    share = "\n".join(
        f"  * [{name}](https://news.example/share?to={name.lower()})"
        for name in ("Facebook", "Twitter", "WhatsApp")
    )
    body = body_of(build(PROSE[0], "### Teilen Sie dies mit:", share, "## Die Debatte", *PROSE[1:]))
    assert "Teilen Sie" not in body
    assert "Die Debatte" in body
    assert_whole(body)


def test_a_heading_after_the_last_paragraph_opens_a_widget() -> None:
    text = build(
        *PROSE,
        "### Keine Lust, allein zu planen?",
        "Termine",
        "[Jetzt buchen](https://x.example/b)",
    )
    body = body_of(text)
    assert "Keine Lust" not in body and "Termine" not in body
    assert_whole(body)


def test_a_subheaded_article_with_lists_quotes_and_read_more_stays_whole() -> None:
    parts = [
        PROSE[0],
        "## Die Debatte",
        "Es war knapp.",
        PROSE[1],
        "  * mehr Geld für Schulen",
        "  * weniger Geld für Straßen",
        "> „Ein guter Tag für die Stadt“, sagte der Bürgermeister nach der langen Sitzung.",
        "Lesen Sie mehr dazu im [Haushaltsplan](https://news.example/plan.pdf), der online steht.",
        "## Wie es weitergeht",
        PROSE[2],
    ]
    body = body_of(build(*parts))
    for part in parts:
        text = part.lstrip(" *>#").split("](")[0]
        assert text[:20] in body, part


# -- links, comment forms, page choice --------------------------------------------------


def test_the_end_of_a_link_begun_on_an_earlier_line_is_a_link() -> None:
    line = split_lines("Zurück zur Übersicht](https://news.example/liste)")[0]
    assert is_link_chrome(features(line))


def test_a_link_around_a_teaser_with_a_read_more_link_is_a_link() -> None:
    line = split_lines(
        "[ Leseprobe: Der Stadtrat und sein Haushalt, alles über die lange Sitzung am Dienstag "
        "[weiterlesen](https://news.example/a) ](https://news.example/a)"
    )[0]
    assert is_link_chrome(features(line))


def test_a_reply_form_heading_is_a_comment_marker() -> None:
    line = split_lines("### Schreibe etwas [Antwort abbrechen](https://blog.example/p/#respond)")[0]
    assert is_comment_marker(features(line))


def test_the_article_above_the_comments_wins_over_a_longer_text_below_them() -> None:
    below = [
        "Your email address will not be published. Required fields are marked *",
        *(p.replace("Gemeinderat", "Kreistag") for p in LONG),
    ]
    text = "\n\n".join(
        [NAV, TITLE, *PROSE, "### Leave a Reply [Cancel reply](https://b.example/#r)", *below]
    )
    parsed = parse_page(text, "p.md")
    assert_accounting(text, parsed)
    body = parsed.articles[0].body
    assert_whole(body)
    assert "Kreistag" not in body


def test_a_lede_split_from_the_article_by_a_paywall_box_is_kept() -> None:
    lede = (
        "Nach drei Stunden Debatte hat der Gemeinderat den Haushalt beschlossen; die Schwimmhalle "
        "wird saniert, die Jugendarbeit bekommt weniger Geld."
    )
    paywall = [
        "#### Mit Plus weiterlesen",
        "Digital-Abo",
        "9,99 EUR im Monat",
        "[Jetzt testen](https://news.example/abo)",
        "Bereits Abonnent?[Einloggen](https://news.example/login)",
    ]
    # The title stands far above the run, beyond the usual reach of a title search.
    filler = [f"Zeile {k}" for k in range(30)]
    text = "\n\n".join(
        [NAV, "## Stadtrat beschließt Haushalt", lede, *paywall, *filler, *LONG, FOOTER]
    )
    parsed = parse_page(text, "p.md")
    assert_accounting(text, parsed)
    article = parsed.articles[0]
    assert article.title == "Stadtrat beschließt Haushalt"
    assert lede in article.body and "9,99" not in article.body
    assert_whole(article.body, LONG)


def test_a_recent_comments_widget_is_not_the_article() -> None:
    widget = "\n".join(
        f'  * [Leser{k}](https://news.example/other-{k}/#comment-{k}00 "Anderer Beitrag"): '
        "Ich finde, das ist eine sehr lange und ausführliche Meinung zu einem ganz anderen "
        "Thema, die hier im Seitenrand erscheint."
        for k in range(1, 9)
    )
    body = body_of(build(*PROSE) + "\n\n" + widget)
    assert "Seitenrand" not in body
    assert_whole(body)


def test_name_and_date_pairs_under_a_comments_header_are_comments_not_teasers() -> None:
    comments = "\n\n".join(
        f"Leser {k}\n12. März 2024\n\nEin Kommentar zum Haushalt, der länger ist als eine Zeile "
        "und deshalb wie ein kleiner Absatz aussieht."
        for k in range(1, 4)
    )
    text = "\n\n".join([NAV, TITLE, *PROSE, "##### 3 Comments", comments])
    parsed = _parse(text, "p.md")
    assert parsed.layout == "page"
    assert_accounting(text, parsed)
    assert_whole(parsed.articles[0].body)


_widget_line = st.sampled_from(
    [
        "![Die Schwimmhalle am Stadtpark wird saniert](https://news.example/h.jpg)",
        "Die Schwimmhalle am Stadtpark wird saniert",
        "By Staff Writer",
        "### Sie lesen uns gern?",
        "Unterstützen Sie unsere Arbeit mit einem kleinen Beitrag!",
        "## Über Anna Beispiel",
        "[![Anna Beispiel](https://news.example/anna.jpg)](https://news.example/author/anna/)",
        "Anna Beispiel is a reporter covering city hall.",
        "## Inhalt",
        "  * Was der Rat beschlossen hat",
        "## Was der Rat beschlossen hat",
        "> — Stadt Beispiel (@stadtbeispiel) [May 2](https://twitter.com/s/status/1)",
        "> Heute beschließt der Rat den Haushalt.",
        "### Teilen Sie dies mit:",
        "Zurück zur Übersicht](https://news.example/liste)",
        "### Kommentar [Antwort abbrechen](https://blog.example/#respond)",
        "  * [Leser](https://news.example/o/#comment-100): Eine Meinung zu etwas anderem.",
        "#### Mit Plus weiterlesen",
        "",
        *PROSE,
    ]
)


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(_widget_line, min_size=6, max_size=50))
def test_pages_with_widgets_account_for_every_line(lines: list[str]) -> None:
    text = "\n".join([NAV, *lines])
    assert_accounting(text, _parse(text, "any.md"))
