"""Full-page bylines beyond "By X" on the byline line: layouts found on real scrapes.

Each page is written here (never copied from a corpus): the same navigation, title,
prose and footer as :mod:`tests.test_parse_fullpage`, with the byline laid out the
way one kind of site prints it.
"""

from __future__ import annotations

import pytest

from corpus_qa.parse.bylines.site import (
    is_site_name,
    labels_of,
    site_host,
    site_labels,
    spells_name,
)
from corpus_qa.parse.layouts import parse_page
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.test_parse_fullpage import NAV, PROSE, main_article, page

SITE_NAV = "\n".join(
    f"* [{w}](https://www.stadtbote-example.de/{w.lower()}/)"
    for w in ("Home", "Politik", "Wirtschaft", "Sport", "Kultur", "Wissen", "Reisen")
)


def full(before_prose: str = "", after_prose: str = "", *, nav: str = NAV) -> str:
    """A page with ``before_prose`` between title and text, ``after_prose`` after it."""
    parts = [nav, "# Stadtrat beschließt Haushalt"]
    parts += [before_prose] if before_prose else []
    parts += [*PROSE]
    parts += [after_prose] if after_prose else []
    parts += ["## Das könnte Sie auch interessieren", "* [Neue Radwege](https://example.org/r)"]
    parts += ["© 2024 Example Verlag. Alle Rechte vorbehalten."]
    return "\n\n".join(parts)


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        # A by-word alone on its line, the name on the next one (list-style bylines).
        ("* Von\n\n* [ Lena Vogt ](https://example.org/--4711)", "Lena Vogt"),
        ("Por\n\n[Iván Suárez @isuarez](https://example.org/author/isuarez/)", "Iván Suárez"),
        ("Published By\n\n[Mia Lund](https://example.org/in/mialund)", "Mia Lund"),
        # Several authors, one author link per line.
        (
            "[Ada Hart](https://example.org/bio/ada-hart), Staff Attorney\n"
            "& [Ben Cole](https://example.org/bio/ben-cole), Director of Policy",
            "Ada Hart, Ben Cole",
        ),
        # A by-word alone, then author links with the joiner on a line of its own.
        (
            "By\n\n[Ada Hart](https://example.org/staff/ada-hart)\n\nand\n\n"
            "[Ben Cole](https://example.org/staff/ben-cole)",
            "Ada Hart, Ben Cole",
        ),
        (
            "Von\n\n[Lena Vogt](https://example.org/autor/lena-vogt)\n\nund\n\n"
            "[Tom Brink](https://example.org/autor/tom-brink)",
            "Lena Vogt, Tom Brink",
        ),
        # ... but not a link after a line that joins nothing.
        (
            "By\n\n[Ada Hart](https://example.org/staff/ada-hart)\n\nPhotos\n\n"
            "[Ben Cole](https://example.org/staff/ben-cole)",
            "Ada Hart",
        ),
        # Initials linked to the author page, the full name printed below them.
        (
            "[ KM ](https://example.org/autor?termo=karla-moser)\n\nKarla Moser\n\n"
            "[ TB ](https://example.org/autor?termo=tom-brink)\n\nTom Brink",
            "Karla Moser, Tom Brink",
        ),
        # A job title after the name is no second author.
        ("Von Ute Sommer, Projektleiterin der Stiftung", "Ute Sommer"),
        # A name heading a metadata line with a time further below the title.
        ("Stadt und Land\n\n" * 6 + "###### Rosa Linde | Publicado hace 3 horas", "Rosa Linde"),
        # A profile link glued to a photo caption, its address spelling the name.
        (
            "[Jörg Schäfer](https://example.org/schaefer-joerg/1234.html) "
            "Der Ratssaal am Abend vor der Abstimmung. ![Ratssaal](https://example.org/a.jpg)",
            "Jörg Schäfer",
        ),
        # The author's portrait in an author box.
        (
            "[![Nina Brand](https://example.org/styles/author_thumb/nb.jpg)](/x) am 3.3.2024",
            "Nina Brand",
        ),
        # CJK: an editor credit with a full-width colon.
        ("作者：王小明", "王小明"),
    ],
)
def test_byline_layouts(meta: str, expected: str) -> None:
    assert main_article(page(meta))[0] == expected


def test_name_beside_a_date_line_above_the_title() -> None:
    text = full().replace("# Stadtrat", "22.11.2022\n\n##### Kurt Eibl\n\n# Stadtrat", 1)
    assert main_article(text)[0] == "Kurt Eibl"


def test_author_box_after_the_article() -> None:
    box = "[**Hanna Roth**](https://example.org/ajax?id=44)\n\nPressesprecherin der Landeskirche"
    assert main_article(full(after_prose=box))[0] == "Hanna Roth"
    search = "### Jonas Kern\n\n#### Search for this author in:"
    assert main_article(full(after_prose=search))[0] == "Jonas Kern"


def test_contact_box_names_the_press_officer() -> None:
    box = "Kontakt:\n\nIlse Brandt\n\nTelefon +49 (0)30 / 123 45 67\n\n[i.brandt@example.org](mailto:i.brandt@example.org)"
    assert main_article(full(after_prose=box))[0] == "Ilse Brandt"


def test_name_above_a_link_to_the_authors_page() -> None:
    box = "Eva Lenz\n\n[Alle Rezepte der Autorin](https://example.org/experten/eva-lenz)"
    assert main_article(full(after_prose=box))[0] == "Eva Lenz"


def test_sign_off_closing_the_article() -> None:
    assert main_article(full(after_prose="**_Till Weber_**"))[0] == "Till Weber"
    last = PROSE[-1] + " (Paul Brenner) +++"
    assert main_article(full().replace(PROSE[-1], last))[0] == "Paul Brenner"


def test_outlet_name_is_not_a_byline_when_a_person_is_named() -> None:
    # "By" the outlet (linked to its own author page) above "Written by" a person.
    text = full(
        "By\n\n[Stadtbote Example](https://www.stadtbote-example.de/author/redaktion/)",
        "_Written by: [Jana Frei](https://other.example/story) _",
        nav=SITE_NAV,
    )
    assert main_article(text)[0] == "Jana Frei"


def test_outlet_name_alone_is_a_credit_only_after_a_by_word() -> None:
    explicit = full(
        "By [Stadtbote Example](https://www.stadtbote-example.de/author/sb/)", nav=SITE_NAV
    )
    # The articles contract keeps the outlet out of ``byline``: it is the credit.
    assert main_article(explicit)[0] is None
    parsed = parse_page(explicit, "p.md")
    articles, _ = build_tables(drafts_frame(parsed.articles))
    assert list(articles["credit"]) == ["Stadtbote Example"]
    bare = full("Stadtbote Example\n\n12.03.2024", nav=SITE_NAV)
    assert main_article(bare)[0] is None


@pytest.mark.parametrize(
    "meta",
    [
        "Von [Google](https://policies.google.com/privacy?hl=de)",
        "* [Authors & Referees](https://example.org/authors/index.html)",
        "* [AUTHORS](https://example.org/our-authors/)",
        "CONTINUA DEPOIS DA PUBLICIDADE",
        "Ein Gespräch mit [Bestseller-Autor Sven Tal](https://example.org/sven-tal.html)",
        "Dichte (Luft) | 1,60 | 1,55",
        "[ JF ](https://example.org/author/redaktion/)",
        # A section label glued to a teaser's author by the scrape.
        "[FINANZENOla Brandt](https://example.org/author/ola-brandt/)",
        # A masthead linking to the site it spells.
        "[The Example Times](https://www.theexampletimes.com/) | 12.03.2024",
    ],
)
def test_not_bylines(meta: str) -> None:
    assert main_article(page(meta))[0] is None


def test_site_is_learned_from_the_pages_links() -> None:
    lines = [SITE_NAV, "[Mehr](https://elsewhere.example/x)"]
    assert site_labels(lines) == frozenset({"stadtboteexample"})
    assert is_site_name("Stadtbote-Example", site_labels(lines))
    assert labels_of("www.example.co.uk") == frozenset({"example"})
    # A blog host's subdomain names the blogger, who is the author there.
    assert labels_of("anaruiz.blogs.example") == frozenset({"blogs"})
    assert spells_name("https://x.example/roevekamp-marie/1.html", "Marie Rövekamp")
    assert not spells_name("https://x.example/politik/", "Marie Rövekamp")


def test_an_archive_capture_is_unwrapped_to_the_archived_site() -> None:
    wrap = "https://archive.example/web/20240102030405/https://www.harbour-ledger.example"
    lines = [
        "[Calendar](https://archive.example/web/*/harbour-ledger.example)",
        "[Archive home](https://archive.example/)",
        "[About the archive](https://archive.example/about)",
        f"[Home]({wrap}/) [Politics]({wrap}/politics/)",
        f"[Sport]({wrap}/sport/)",
    ]
    assert site_host(lines) == "www.harbour-ledger.example"
    assert is_site_name("Harbour Ledger", site_labels(lines))
    assert spells_name(f"{wrap}/team/mara-vonk/", "Mara Vonk")
