"""Byline finders for layouts beyond the common "By X" line, in several languages.

Each page is written here (never copied from a corpus), with the byline laid out the
way one kind of site prints it; the last cases are lines that name nobody.
"""

from __future__ import annotations

import pytest

from tests.test_pagebyline import full
from tests.test_parse_fullpage import main_article


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        # A publishing verb before the by-word, in the dumps' languages.
        ("Eingestellt von Lena Vogt", "Lena Vogt"),
        ("Publié par Marie Dupont", "Marie Dupont"),
        ("Publicado por Ana Ruiz", "Ana Ruiz"),
        ("Escrito por Ana Ruiz y Luis Gómez", "Ana Ruiz, Luis Gómez"),
        ("Scritto da Marco Rossi", "Marco Rossi"),
        ("Pubblicato da Giulia Bianchi il 3 marzo 2021", "Giulia Bianchi"),
        ("Geplaatst door Jan de Vries", "Jan de Vries"),
        ("Napisane przez Jan Kowalski", "Jan Kowalski"),
        # A line opened by a posting verb: its category may stand before the by-word.
        ("Posted in News by Jane Doe", "Jane Doe"),
        ("Veröffentlicht in Politik von Lena Vogt", "Lena Vogt"),
        # Desk labels with a colon name the person after them.
        ("Redacción: Ana Ruiz", "Ana Ruiz"),
        # A label in a table cell, the name in the next one.
        ("| Autor | Lena Vogt |\n|---|---|\n| Datum | 12.03.2021 |", "Lena Vogt"),
        ("Text | Von Lena Vogt | 12.03.2021", "Lena Vogt"),
        # A by-word and names, nothing else, in an h2 or h3.
        ("### By Jane Doe", "Jane Doe"),
        ("## Von Lena Vogt und Tom Brink", "Lena Vogt, Tom Brink"),
        # A genre before the by-word.
        ("Gastbeitrag von Lena Vogt", "Lena Vogt"),
        ("Analysis by Jane Doe", "Jane Doe"),
        ("Une chronique de Marie Dupont", "Marie Dupont"),
        ("Artículo de Ana Ruiz", "Ana Ruiz"),
        ("A cura di Marco Rossi", "Marco Rossi"),
        ("Propos recueillis par Marie Dupont", "Marie Dupont"),
        ("Opracowanie: Jan Kowalski", "Jan Kowalski"),
        # Text and pictures by one person; gender-inclusive labels.
        ("Text und Fotos: Lena Vogt", "Lena Vogt"),
        ("Texte et photos : Marie Dupont", "Marie Dupont"),
        ("Fotos y texto: Ana Ruiz", "Ana Ruiz"),
        ("Autor:in: Lena Vogt", "Lena Vogt"),
        ("Autor*innen: Lena Vogt und Tom Brink", "Lena Vogt, Tom Brink"),
        # A role phrase between the by-word and the name.
        ("Von unserer Korrespondentin Lena Vogt, Brüssel", "Lena Vogt"),
        ("Von Redakteur Tom Brink", "Tom Brink"),
        ("By our correspondent Jane Doe", "Jane Doe"),
        ("Par notre envoyée spéciale Marie Dupont", "Marie Dupont"),
        # Two names, the first given name unknown to the lexicon: both kept.
        ("Autoren Jelko Roe und Lena Vogt", "Jelko Roe, Lena Vogt"),
        # A community site's member profile: a full name, or a handle the address spells.
        ("[Lena Vogt](https://example.org/members/4711)", "Lena Vogt"),
        ("[lvogt](https://example.org/users/lvogt)", "lvogt"),
    ],
)
def test_labelled_bylines(meta: str, expected: str) -> None:
    assert main_article(full(meta))[0] == expected


@pytest.mark.parametrize(
    "meta",
    [
        # A calendar's weekday cells: "DI" is no by-word before a cell border.
        "MO| DI| MI| DO| FR| SA| SO",
        "Redacción: Madrid",
        "Scritto da noi",
        # "Interview: X" names the interviewee as often as the interviewer.
        "## Interview: Lena Vogt",
        # A section heading that opens with a by-word.
        "## Von Sprachregeln und Sprachgebrauch",
        "### By Jane Doe and the team",
        # Account pages share the member addresses.
        "[Registrieren](https://example.org/user/register)",
        "[Mitglieder](https://example.org/members/4711)",
        "[Member List](https://example.org/members/list/)",
        # Reader comments are headed "Kommentar von X"; a newspaper's "Tribune de X".
        "Kommentar von Lena Vogt",
        "Tribune de Genève",
        "Foto: Tom Brink",
        "Fuente: Ana Ruiz",
    ],
)
def test_labels_that_name_nobody(meta: str) -> None:
    assert main_article(full(meta))[0] is None


@pytest.mark.parametrize(
    ("sign_off", "expected"),
    [
        # A signature on its own line after the text: bare, after a dash, in parentheses.
        ("Lena Vogt", "Lena Vogt"),
        ("\\- Lena Vogt", "Lena Vogt"),
        ("— Marie Dupont", "Marie Dupont"),
        ("(Lena Vogt)", "Lena Vogt"),
        # An emphasized name the footnotes follow on the same line.
        ("_Denis Martin_ (1) Ces chiffres sont publiés par l'office.", "Denis Martin"),
        # A name set in capitals; a signature with its place; two signing.
        ("LENA VOGT", "LENA VOGT"),
        ("— Marie Dupont, Paris", "Marie Dupont"),
        ("Lena Vogt, Tom Brink", "Lena Vogt, Tom Brink"),
    ],
)
def test_signatures_after_the_text(sign_off: str, expected: str) -> None:
    assert main_article(full(after_prose=sign_off))[0] == expected


@pytest.mark.parametrize(
    "sign_off",
    [
        "Foto: Tom Brink",
        "Photo by Tom Brink",
        "Weitere Informationen",  # a heading, no given name
        "Berlin",
        "US RTX",  # acronyms in capitals, not a name
        "— Redaktion",
        "Berlin, Hamburg",
    ],
)
def test_closing_lines_that_sign_nothing(sign_off: str) -> None:
    assert main_article(full(after_prose=sign_off))[0] is None


def test_a_byline_in_capitals_beside_the_date() -> None:
    assert main_article(full("JANE DOE\n\nMay 2, 2020"))[0] == "JANE DOE"


def test_a_desk_signs_beside_the_date() -> None:
    """A desk printed where the byline goes names who is responsible for the text."""
    assert main_article(full("WB Online |\n\n09 Jun 2020, 02:32 PM"))[0] == "WB Online"
    assert main_article(full("Lokale Themen\n\n09 Jun 2020, 02:32 PM"))[0] is None


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        # A linked name whose mailbox spells it, next to the title.
        ("[Lena Vogt](mailto:lena.vogt@example.org)\n\n12.03.2021", "Lena Vogt"),
        # Co-authors on a metadata line; a place, a role or an outlet is no co-author.
        ("Lena Vogt, Tom Brink, 12.03.2021", "Lena Vogt, Tom Brink"),
        ("Lena Vogt, Berlin\n\n12.03.2021", "Lena Vogt"),
        ("Jane Doe, Senior Editor\n\nMay 2, 2020", "Jane Doe"),
        ("Jane Doe, Washington Post\n\nMay 2, 2020", "Jane Doe"),
        # A date in words before the name; a name filling one field beside a date.
        ("May 2, 2020 — Jane Doe", "Jane Doe"),
        ("Stand: 12.03.2021, 10:15 Uhr | Lena Vogt", "Lena Vogt"),
        ("Lena Vogt | 12.03.2021 | 3 Min. Lesezeit", "Lena Vogt"),
        ("12 mars 2021 à 10h15 | Marie Dupont", "Marie Dupont"),
        ("Politik | Wirtschaft | 12.03.2021", None),
        # A heading's article or preposition opens no name.
        ("Im Wortlaut, Radio Example, 02.11.2021", None),
        # A degree after the name is no second author.
        ("By Jane Doe, Ph.D.", "Jane Doe"),
        # A role and its desk, without a colon, name nobody; the name on the line above does.
        ("Lena Vogt\n\nRedakteurin Politik", "Lena Vogt"),
    ],
)
def test_metadata_lines(meta: str, expected: str | None) -> None:
    assert main_article(full(meta))[0] == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        # An interview's credit line names both people.
        ("Richard Roe im Gespräch mit Lena Vogt", "Richard Roe, Lena Vogt"),
        ("Jane Doe in conversation with John Roe", "Jane Doe, John Roe"),
        ("Mehr dazu im Gespräch mit Lena Vogt", None),
        # A community member's avatar and handle, linked to the member page.
        (
            "[ ![lvogt](https://example.org/img/4711.jpg) lvogt ](https://example.org/members/4711)",
            "lvogt",
        ),
        ("[ lvogt ](https://example.org/members/4711)", None),
    ],
)
def test_credit_lines(meta: str, expected: str | None) -> None:
    assert main_article(full(meta))[0] == expected


def test_a_forum_poster_over_the_user_box() -> None:
    """A forum post signs with the poster's handle over the user box's figures."""
    box = "**radler84**\n\nRegistriert seit: 03.2009\n\nBeiträge: 1.234"
    assert main_article(full(box))[0] == "radler84"
    menu = "Account\n\nMessages\n\nSettings"  # a menu with no figures is no user box
    assert main_article(full(menu))[0] is None


@pytest.mark.parametrize(
    ("bio", "expected"),
    [
        ("*Der Autor Tom Brink ist Historiker.*", "Tom Brink"),
        ("L'auteure Marie Dupont est historienne.", "Marie Dupont"),
        ("Der Autor des Buches ist Historiker.", None),
    ],
)
def test_a_bio_introduced_as_the_author(bio: str, expected: str | None) -> None:
    assert main_article(full(after_prose=bio))[0] == expected


def test_a_book_tip_under_the_text_credits_the_book_not_the_article() -> None:
    """ "[Linked Title](...) - von X" after the text is a book tip's or teaser's credit;
    the signature under the text names the article's author."""
    after = (
        "12\\. März 2021\n\n\\- Lena Vogt\n\n#### Bücher zum Thema\n\n"
        "[Neue Energie für Städte](https://example.org/buchtipps/energie/) \\- von Tom Brink"
    )
    assert main_article(full(after_prose=after))[0] == "Lena Vogt"
    # A linked date before the by-word is the post's own ("[May 2, 2020](/p) by X").
    dated = "[May 2, 2020](https://example.org/2020/05/post/) by [Jane Doe](https://example.org/jd)"
    assert main_article(full(dated))[0] == "Jane Doe"
