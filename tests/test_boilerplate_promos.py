"""boilerplate.leak on promotions inside paragraphs, link lists and one-word UI labels:
site text in several languages is found, article text of other sites is left alone."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.checks.builtin.boilerplate import BoilerplateLeak
from tests.test_boilerplate_cards import ARTICLE, ARTIKEL


def _spans(body: str) -> list[str]:
    articles = pd.DataFrame({"title": ["A title"], "body": [body]}, dtype="str")
    found = BoilerplateLeak().run(articles, pd.DataFrame())
    return [body[s:e] for s, e in zip(found["start"], found["end"], strict=True)]


# A sentence that speaks to the reader with a phrase of the lexicon (or that the
# phrase starts), inside a paragraph too long to be a promo line as a whole:
# (paragraph, the sentence found).
READER_SENTENCES = [
    (
        "Auch ohne Bewegtbild sind Sie am Ball: Zusammenfassungen und kurze Einblendungen "
        "gibt es beim Hörfunk der Landesrundfunkanstalten. Kein Bild, kein Ton und trotzdem "
        "bestens informiert: Mit dem Live-Ticker der Redaktion sind Sie immer auf dem "
        "aktuellen Stand und verpassen keinen wichtigen Spielzug.",
        "Kein Bild, kein Ton und trotzdem bestens informiert: Mit dem Live-Ticker der "
        "Redaktion sind Sie immer auf dem aktuellen Stand und verpassen keinen wichtigen "
        "Spielzug.",
    ),
    (
        "The match kicks off at 8pm and is shown live on the club's own channel, with "
        "highlights on the evening bulletin and a full replay the next morning for members. "
        "For live scores, line-ups and the table, our sports desk sends alerts from the "
        "ground so you never miss a goal.",
        "For live scores, line-ups and the table, our sports desk sends alerts from the "
        "ground so you never miss a goal.",
    ),
    (
        "Le festival ouvre ses portes vendredi et accueillera une quarantaine de groupes "
        "sur trois scènes, avec des concerts gratuits le dimanche après-midi pour les "
        "familles du quartier. Restez informés : le programme jour après jour "
        "dans notre lettre quotidienne.",
        "Restez informés : le programme jour après jour dans notre lettre quotidienne.",
    ),
    (
        "El partido comenzará a las nueve de la noche en el estadio municipal, que espera "
        "una entrada de unas veinte mil personas según los organizadores del encuentro y "
        "la federación regional. Mantente informado de cada jugada con las "
        "alertas de nuestra redacción.",
        "Mantente informado de cada jugada con las alertas de nuestra redacción.",
    ),
]


@pytest.mark.parametrize(("body", "sentence"), READER_SENTENCES, ids=lambda x: x[:20])
def test_a_sentence_said_to_the_reader_is_found_inside_a_paragraph(
    body: str, sentence: str
) -> None:
    assert len(body) > sitetext.SHORT_LINE
    assert _spans(f"{ARTICLE}\n{body}") == [sentence]


# A line holding two phrases of a promotion box (a phrase and a hint, or two phrases),
# said to the reader: the box as a whole.
PROMO_BOXES = [
    "Hier gibt es die Nachrichten der Sportredaktion und des Vereins gebündelt in einer "
    "App. Sehen Sie die Höhepunkte der europäischen Ligen auf Ihrem Smartphone oder "
    "Tablet. Die größte Sportredaktion des Landes versorgt Sie mit Videos, Tabellen, "
    "Ergebnissen und umfangreichen Statistiken zu jedem Spieltag der Saison.",
    "All the scores, all the stories and every goal from the league in one place: read "
    "them on your smartphone or tablet with our free app, and download our app today to "
    "get alerts the moment your team scores, plus highlights and the table after every "
    "round.",
    "Toute l'actualité de votre région, les résultats sportifs et la météo sont "
    "disponibles sur votre smartphone ou tablette : téléchargez notre application "
    "gratuite et recevez les alertes de la rédaction dès qu'un événement important se "
    "produit près de chez vous.",
]


@pytest.mark.parametrize("box", PROMO_BOXES, ids=lambda x: x[:20])
def test_a_promotion_box_is_found_as_a_whole(box: str) -> None:
    assert _spans(f"{ARTICLE}\n{box}\n{ARTICLE}") == [box]


# Article text of other sites: an app's news names its stores, a service article
# speaks to its reader, a flattened page holds two labels of the UI.
ARTICLE_TEXT = [
    "Die Corona-Warn-App ist seit Dienstag im App Store und bei Google Play erhältlich. "
    "Das Robert-Koch-Institut rechnet mit Millionen Downloads, die Opposition kritisiert "
    "den Datenschutz und fordert eine unabhängige Prüfung des Quellcodes.",
    "The app, available on iOS and Android, was downloaded two million times in its "
    "first week, the company said, and Apple's App Store ranked it first among free "
    "apps on Friday while Google Play listed it third in the news category.",
    "Wer seine Steuererklärung elektronisch abgibt, kann die Belege auf Ihrem Smartphone "
    "oder Tablet fotografieren, sagt die Beraterin; das Finanzamt akzeptiert die Bilder "
    "seit dem vergangenen Jahr, verlangt aber die Originale auf Nachfrage zurück.",
    "Der Bürgermeister erklärte, man werde die Anwohner über die Bauarbeiten informieren. "
    "Die Stadt hat dafür eine Hotline eingerichtet, die werktags von acht bis achtzehn "
    "Uhr erreichbar ist; bei Fragen zu Umleitungen hilft das Ordnungsamt weiter.",
    "Readers said the Sunday letter, delivered to your inbox every week since 2019, "
    "had become the paper's most read product. The company plans a second one in the "
    "autumn, with a focus on local politics, the harbour redevelopment and the "
    "schools, edited by the team that runs the city desk.",
    "Der Verein hält seine Mitglieder mit einem Rundbrief immer auf dem Laufenden, sagte "
    "die Vorsitzende, und die Zahl der Abonnenten ist im vergangenen Jahr auf mehr als "
    "dreitausend gestiegen, obwohl der Beitrag zweimal erhöht wurde.",
]


@pytest.mark.parametrize("body", ARTICLE_TEXT, ids=lambda x: x[:20])
def test_article_text_of_other_sites_is_not_flagged(body: str) -> None:
    assert _spans(f"{ARTIKEL}\n{body}\n{ARTICLE}") == []


def test_a_flattened_body_is_judged_by_its_sentences_not_as_one_box() -> None:
    # One line: two phrases in it make no box of the whole body.
    body = (
        f"{ARTICLE} {ARTICLE} Download our app for the latest news. {ARTICLE} "
        "Never miss a story from our newsroom."
    )
    assert "\n" not in body
    assert body not in _spans(body)


LINK_LISTS = [
    "Widerruf des Lebensversicherungsvertrags vor oder nach Kündigung (example.de)\n"
    "Rückabwicklung, Widerruf und Vollstreckung bei betrieblicher ... (example.de)",
    "City council delays vote on the new harbour bridge (harbortimes.com)\n"
    "Ferry timetable changes from Monday (www.harbortimes.com)\n"
    "Library opening hours cut again (citynews.co.uk)",
    "Le conseil municipal reporte le vote sur le pont (exemple.fr)\n"
    "Les horaires du bac changent lundi (.exemple.fr)",
]


@pytest.mark.parametrize("block", LINK_LISTS, ids=lambda x: x[:20])
def test_a_list_of_links_closed_by_their_domain_is_found(block: str) -> None:
    assert _spans(f"{ARTICLE}\n{block}") == block.split("\n")


LINKED_ARTICLE = [
    # One source line: the article may cite where it read something.
    f"{ARTICLE}\nThe full report is on the council's website (harbortimes.gov)",
    # Domains inside the article's long sentences.
    f"{ARTICLE} The figures come from the census office (census.example.org). {ARTICLE} "
    "A second survey, run by the university (uni-example.de), found the same trend.",
    # Abbreviations and credits in parentheses are no domains.
    f"{ARTICLE}\nDer Rat tagt wieder am Montag (z.B. im Rathaus)\nDas Foto zeigt den Saal (dpa)",
]


@pytest.mark.parametrize("body", LINKED_ARTICLE, ids=lambda x: x[-20:])
def test_the_articles_own_links_are_not_a_link_list(body: str) -> None:
    assert _spans(body) == []


def test_a_one_word_ui_label_counts_only_as_a_line_of_its_own() -> None:
    # "Tag" is an Italian UI label and a German day: "Tag: Samstag" heads a fact box.
    fact_box = "Tag: Samstag, 12. Mai\nOrt: Marktplatz\nEintritt: frei"
    assert _spans(f"{ARTIKEL}\n{fact_box}\n{ARTIKEL}") == []
    assert _spans(f"{ARTIKEL}\nTag\n{ARTIKEL}") == ["Tag"]
    assert _spans(f"{ARTIKEL}\nKategorie: Sport\n{ARTIKEL}") == []
    # A label of more words still leads a line.
    assert _spans(f"{ARTIKEL}\nZurück zur Übersicht: Sport\n{ARTIKEL}") == [
        "Zurück zur Übersicht: Sport"
    ]


PIECES = st.sampled_from(
    [
        "App Store",
        "Google Play",
        "auf Ihrem Smartphone oder Tablet",
        "gebündelt in einer App",
        "Download our app",
        "Never miss a story",
        "Sie",
        "you",
        "said the mayor.",
        "(example.de)",
        "Tag:",
        "Samstag",
        "x",
        ".",
    ]
)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(PIECES, st.sampled_from([" ", "\n"])), max_size=12).map(
            lambda parts: "".join(p + s for p, s in parts)
        ),
        max_size=5,
    )
)
def test_the_screen_keeps_every_promotion_box(bodies: list[str]) -> None:
    # Hints are screened like phrases: the anchored search equals trying every entry.
    table = sitetext.entries(sitetext.ALL_CLASSES)
    values = pd.Series(bodies, dtype="str")
    assert sitetext.find(values, table) == sitetext.find(values, table, screened=False)


STAY_INFORMED = [
    "Blijf op de hoogte met onze gratis nieuwsbrief.",
    "Bądź na bieżąco – zapisz się do naszego newslettera.",
    "Будьте в курсе главных новостей региона.",
    "Håll dig uppdaterad med vårt nyhetsbrev.",
    "Fique por dentro das principais notícias do dia.",
    "最新情報をお届けします。",
]


@pytest.mark.parametrize("line", STAY_INFORMED, ids=lambda x: x[:12])
def test_stay_informed_promos_are_found_in_many_languages(line: str) -> None:
    assert _spans(f"{ARTICLE}\n{line}\n{ARTICLE}") == [line]
