"""boilerplate.leak on what needs the text around it: a live ticker's heading, the
lines after a link back to the top of the page, and the outlet's own promotion
(its name in a line said to the reader). Article text that looks alike stays
unflagged, in several languages."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.checks.builtin.boilerplate import BoilerplateLeak
from corpus_qa.checks.builtin.recurring import BoilerplateRecurring
from corpus_qa.model import ArticleDraft
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.test_boilerplate_cards import ARTICLE, ARTIKEL
from tests.test_boilerplate_leak import bodies_of

ARTICULO = (
    "El ayuntamiento aprobó el presupuesto el martes tras un debate que se prolongó "
    "hasta la noche, y varios concejales advirtieron de que los recortes en el horario "
    "de las bibliotecas afectarán sobre todo a las familias sin internet en casa."
)


def _spans(body: str, outlet: str | None = None, title: str = "A title") -> list[str]:
    frame: dict[str, list[str | None]] = {"title": [title], "body": [body]}
    if outlet is not None:
        frame["outlet"] = [outlet]
    found = BoilerplateLeak().run(pd.DataFrame(frame, dtype="str"), pd.DataFrame())
    return [body[s:e] for s, e in zip(found["start"], found["end"], strict=True)]


# The heading of a live ticker a page embeds, closed by its label after a separator.
LIVE_HEADINGS = [
    "Real Madrid vs. Sevilla, en vivo: minuto a minuto",
    "Council budget vote – live",
    "Brexit talks: live updates",
    "Hochwasser an der Elbe – Liveticker",
    "Tour de France, 12e étape : en direct",
    "Juventus-Inter, la diretta",
    "Flamengo x Palmeiras – ao vivo",
    "Wybory samorządowe 2024 – relacja na żywo",
    "Galatasaray - Fenerbahçe: canlı anlatım",
    "Спартак – Зенит: текстовая трансляция",
]


@pytest.mark.parametrize("heading", LIVE_HEADINGS, ids=lambda x: x[:20])
def test_a_live_tickers_heading_is_found(heading: str) -> None:
    assert _spans(f"{ARTICLE}\n{heading}\n{ARTICLE}") == [heading]


# Live words inside a heading or a sentence, or glued to the word before: the
# article's own.
LIVE_IN_ARTICLE = [
    "Bundesliga live: Dortmund gegen Gladbach",
    "Fensterputzen mit den Ratboys: „The Window“ live",
    "The band played the new album live",
    "Die Abstimmung verfolgen wir im Liveticker.",
    "El partido se podrá seguir en vivo por la televisión pública, minuto a minuto.",
    "Das Brexit-live",
    f"{ARTICLE} Follow the vote – live",
]


@pytest.mark.parametrize("line", LIVE_IN_ARTICLE, ids=lambda x: x[:20])
def test_live_words_in_the_articles_text_are_not_flagged(line: str) -> None:
    assert _spans(f"{ARTICLE}\n{line}\n{ARTICLE}") == []


# A link back to the top, and the short lines closing the body after it: the page's
# navigation (a section's heading and a link's teaser).
PAGE_TOPS = [
    (ARTIKEL, "Nach oben\nGefahrenentwicklung\nLawinenbulletins dieser Zeitperiode im Überblick."),
    (ARTICLE, "Back to top\n\nAbout the council\nContact the newsroom"),
    (ARTICULO, "Volver arriba"),
    (ARTICLE, "↑ Back to top"),
    (ARTIKEL, "Zum Seitenanfang\n\nImpressum"),
]


@pytest.mark.parametrize(("article", "tail"), PAGE_TOPS, ids=lambda x: x[:12])
def test_the_lines_after_a_link_to_the_top_are_site_text(article: str, tail: str) -> None:
    assert _spans(f"{article}\n{tail}") == [tail]


def test_a_link_to_the_top_between_sections_leaves_the_next_section_alone() -> None:
    # A long page with a link to the top after each section: what follows one is the
    # article's next section, not the page's navigation.
    body = f"{ARTIKEL}\nNach oben\nZweiter Abschnitt\n{ARTIKEL}\n{ARTIKEL}\nNach oben"
    assert _spans(body) == ["Nach oben", "Nach oben"]
    # Nor is a link label inside a sentence, or a line that only opens with one.
    assert _spans(f"{ARTIKEL}\nDer Kurs ging nach oben, sagte die Sprecherin.") == []
    assert _spans(f"{ARTICLE}\nBack to top form: the striker scores again") == []


# The outlet's name in a short line said to the reader, in a body with other site text.
SELF_PROMOTIONS = [
    ("FinCompare", "Nutzen Sie FinCompare als Wettbewerbsvorteil"),
    ("Harbor Times", "Do you want the Harbor Times in your inbox? Sign up here"),
    ("La Voz del Valle", "Apoya a La Voz del Valle con tu suscripción"),
    ("Le Petit Quotidien", "Soutenez Le Petit Quotidien : votre don compte"),
]


@pytest.mark.parametrize(("outlet", "line"), SELF_PROMOTIONS, ids=lambda x: x[:12])
def test_the_outlets_own_promotion_is_found(outlet: str, line: str) -> None:
    body = f"{ARTICLE}\n{line}\nNewsletter"
    assert _spans(body, outlet) == [line, "Newsletter"]


def test_an_outlets_self_description_with_an_ask_is_one_box() -> None:
    # The outlet's name is evidence of a promotion box beside a phrase of the lexicon,
    # in a box longer than one that does not name the outlet.
    box = (
        "Sternwarte Heute war eine Zeitschrift für praktische Astronomie in deutscher "
        "Sprache. Sie galt als Nachfolger eines langjährigen Magazins für Sternfreunde. "
        "Beeindruckende Bilder und Fakten aus der Welt der Sterne, Hinweise auf aktuelle "
        "Himmelsereignisse, Anregungen für Einsteiger und fortgeschrittene Beobachter "
        "sowie Hintergründiges und Unterhaltsames aus der Szene zeichneten das Blatt aus. "
        "Im Dezember 2018 erschien die letzte Ausgabe. Ein Fachhändler für Teleskope führt "
        "die Website des Magazins jetzt weiter. Melden Sie sich an und werden Sie aktiv in "
        "der Community! Wir freuen uns auf Ihre Bilder, Berichte und Fragen."
    )
    assert len(box) > 600
    assert _spans(f"{ARTIKEL}\n{box}", "Sternwarte Heute") == [box]
    # Without the outlet's name, only the ask is site text.
    assert _spans(f"{ARTIKEL}\n{box}", "Sternblatt") == [
        "Melden Sie sich an und werden Sie aktiv in der Community!"
    ]


# The outlet named in its own article: reporting, an interview's questions, a
# question to the reader, a long paragraph that speaks to the reader, an outlet
# whose name is a common word; or a body with no other site text.
OUTLET_IN_ARTICLE = [
    ("SPIEGEL", f"{ARTIKEL}\nSPIEGEL: Sie sagen, das sei zu wenig.\nNewsletter"),
    ("Harbor Times", f"{ARTICLE}\nThe mayor told the Harbor Times she would resign.\nNewsletter"),
    ("Harbor Times", f"{ARTICLE}\nDo you remember the Harbor Times flood of 1998?\nNewsletter"),
    (
        "BeFifty",
        f"{ARTIKEL}\nUnd wer Long Island liebt, liebt natürlich auch New York. Im kurzen "
        "BeFifty Video nehme ich Euch mit in den Big Apple, inklusive Drohnenflug über "
        "den High Line Park.\nNewsletter",
    ),
    ("Bild", f"{ARTIKEL}\nSie haben ein Bild an die Redaktion geschickt.\nNewsletter"),
    ("Harbor Times", f"{ARTICLE}\nSupport the Harbor Times, your town's paper since 1901."),
]


@pytest.mark.parametrize(("outlet", "body"), OUTLET_IN_ARTICLE, ids=lambda x: x[:16])
def test_the_outlet_named_in_its_article_is_not_its_promotion(outlet: str, body: str) -> None:
    assert [s for s in _spans(body, outlet) if s != "Newsletter"] == []


# The body's last sentence, short, closed by a phrase of the ``ending`` class: a link
# to an overview under a heading, or a teaser's call to go and look.
ENDINGS = [
    (
        f"{ARTIKEL}\nGefahrenentwicklung\nLawinenbulletins dieser Zeitperiode im Überblick.",
        "Lawinenbulletins dieser Zeitperiode im Überblick.",
    ),
    (
        f"{ARTIKEL}\nWeitere Themen\nAlle Termine des Festivals auf einen Blick",
        "Alle Termine des Festivals auf einen Blick",
    ),
    (
        f"{ARTICLE}\nRelated\nAll of this season's council votes at a glance",
        "All of this season's council votes at a glance",
    ),
    (
        f"{ARTICULO}\nMás información\nTodos los resultados de la jornada de un vistazo.",
        "Todos los resultados de la jornada de un vistazo.",
    ),
    (
        # A teaser glued to the paragraph it closes: its last sentence alone.
        "Pierogi to klasyczne danie nie tylko kuchni polskiej – podobne potrawy zjeść "
        "można także w innych regionach świata. Przyrządź pierogi z dynią w sosie "
        "szałwiowym. To naprawdę pyszne danie – przekonaj się?",
        "To naprawdę pyszne danie – przekonaj się?",
    ),
    (
        f"{ARTICLE} Our pick of the week's new recipes. It tastes wonderful – see for yourself!",
        "It tastes wonderful – see for yourself!",
    ),
    (f"{ARTICLE}\nVoyez par vous-même.", "Voyez par vous-même."),
    (
        f"{ARTICLE}\nMeer nieuws\nAlle uitslagen van de gemeenteraadsverkiezingen op een rij",
        "Alle uitslagen van de gemeenteraadsverkiezingen op een rij",
    ),
]


@pytest.mark.parametrize(("body", "closing"), ENDINGS, ids=lambda x: x[-16:])
def test_a_short_last_sentence_closed_by_an_ending_phrase_is_site_text(
    body: str, closing: str
) -> None:
    assert _spans(body) == [closing]


# The same words where they are the article's: inside the body, before the list they
# announce, in a long closing sentence, opening the text, or in a title.
ENDINGS_IN_ARTICLE = [
    f"{ARTIKEL}\nDie wichtigsten Ergebnisse im Überblick:\n- Mehr Geld für Schulen",
    f"Die Ergebnisse im Überblick.\n{ARTIKEL}",
    f"{ARTIKEL}\nAuf einen Blick wird klar, warum die Stadt sparen muss, sagte der "
    "Kämmerer am Abend nach der Sitzung des Finanzausschusses im Rathaus.",
    f"{ARTICLE}\nThe mayor said residents could compare the old and the new library "
    "hours for every branch on the council's website and see for yourself.",
    f"{ARTICLE}\nSee for yourself, the mayor said, how the cuts will hurt.\n{ARTICLE}",
    f"{ARTICULO}\nEl alcalde lo resumió de un vistazo: recortes.",
    f"{ARTIKEL}\nIm Überblick\n{ARTIKEL}",
    f"{ARTICLE}\nDe belangrijkste maatregelen op een rij:\n- Minder geld voor bibliotheken",
    "Przekonaj się, jak radni uzasadniają cięcia w budżecie bibliotek miejskich, które "
    "od stycznia będą otwarte krócej.\nBurmistrz zapowiedział dalsze rozmowy.",
]


@pytest.mark.parametrize("body", ENDINGS_IN_ARTICLE, ids=lambda x: x[-24:])
def test_ending_words_in_the_articles_text_are_not_flagged(body: str) -> None:
    assert _spans(body) == []


def test_an_ending_phrase_in_a_title_is_its_topic() -> None:
    assert _spans(ARTIKEL, title="Die Bundesliga im Überblick") == []


PIECES = st.sampled_from(
    [
        "live",
        "LIVE",
        "en vivo:",
        "minuto a minuto",
        "Brexit-live",
        "–",
        ",",
        "Nach oben",
        "Back to top",
        "返回顶部",
        "直播",
        "：",
        "Sie",
        "Newsletter",
        "said the mayor.",
        "im Überblick.",
        "at a glance",
        "przekonaj się?",
        "一览",
        "x",
    ]
)


@settings(max_examples=150, deadline=None)
@given(bodies_of(PIECES))
def test_the_screen_keeps_every_closer_and_link_to_the_top(bodies: list[str]) -> None:
    table = sitetext.entries(sitetext.ALL_CLASSES)
    values = pd.Series(bodies, dtype="str")
    outlets = pd.Series(["Harbor Times"] * len(bodies), dtype="str")
    assert sitetext.find(values, table, outlets=outlets) == sitetext.find(
        values, table, screened=False, outlets=outlets
    )


# A site block closing the body with no marker ("Gefahrenentwicklung" / "Lawinenbulletins
# dieser Zeitperiode im Überblick."): on one page only its link's words tell it from an
# article's last section (boilerplate.leak's ``ending`` class), and an outlet's other
# pages repeat it. Weekly reports of one outlet, a
# paragraph a line as trafilatura writes them, each closing on the same link box.
CLOSING_BOX = ["Schneeentwicklung", "Alle Wochenberichte dieser Saison im Überblick."]
WEEK_LINES = [
    "In der Woche {w} lag die Nullgradgrenze meist über {h} Metern.",
    "Am Wochenende fielen im Norden {c} Zentimeter Neuschnee, im Süden blieb es trocken.",
    "Die Gefahrenstufe {s} galt in Woche {w} vor allem in den inneralpinen Gebieten.",
]


def _weekly_reports(pages: int) -> list[ArticleDraft]:
    drafts = []
    for week in range(pages):
        lines = [
            line.format(w=week + 1, h=1500 + 50 * week, c=10 + week, s=1 + week % 4)
            for line in WEEK_LINES
        ]
        drafts.append(
            ArticleDraft(
                record_id=f"w{week}",
                source_path="reports.jsonl",
                line_start=week + 1,
                line_end=week + 1,
                role="main",
                title=f"Wochenbericht {week + 1}",
                title_line=None,
                body="\n".join([*lines, *CLOSING_BOX]),
                body_lines=None,
                outlet="Lawinendienst Alpen",
            )
        )
    return drafts


def test_an_unmarked_closing_block_is_found_where_the_outlet_repeats_it() -> None:
    articles, images = build_tables(drafts_frame(_weekly_reports(24)))
    check = BoilerplateRecurring()
    found = check.finalize(check.observe(articles, images))
    bodies = dict(zip(articles["record_id"], articles["body"], strict=True))
    where = zip(found["record_id"], found["start"], found["end"], strict=True)
    spans = {bodies[record][start:end] for record, start, end in where}
    # The box's teaser line on every page; the heading is too short to count alone.
    assert spans == {CLOSING_BOX[1]}
    assert set(found["record_id"]) == set(articles["record_id"])
    # One page of the outlet alone: silent, as on the scraper-output corpus.
    one, images = build_tables(drafts_frame(_weekly_reports(1)))
    assert check.finalize(check.observe(one, images)).empty
