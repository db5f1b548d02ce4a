"""Full-page bylines ranked over the whole page: which candidate wins, and what never
becomes a byline. Every page is written here in the layout one kind of site uses."""

from __future__ import annotations

import pytest

from corpus_qa.parse.bylines.names import known_given_name, persons
from corpus_qa.parse.bylines.site import host_names
from tests.test_pagebyline import full
from tests.test_parse_fullpage import PROSE, main_article, page


def blog(host: str, before_prose: str = "", after_prose: str = "", footer: str = "") -> str:
    """A one-person blog on ``host``: its menu, a post, the blog's footer."""
    nav = "\n".join(
        f"* [{w}](https://{host}/{w.lower()}/)"
        for w in ("Start", "Reisen", "Rezepte", "Garten", "Archiv", "Kontakt", "Impressum")
    )
    parts = [nav, "# Ein Sommer im Schrebergarten"]
    parts += [before_prose] if before_prose else []
    parts += [*PROSE]
    parts += [after_prose] if after_prose else []
    parts += ["## Kommentare", "* [Ältere Beiträge](https://" + host + "/page/2/)"]
    parts += [footer] if footer else []
    return "\n\n".join(parts)


def test_a_by_word_in_the_comments_names_a_commenter() -> None:
    # The article's own "Par X le ..." stands above its first paragraph; the comments
    # below start with another "par X le ...".
    comments = (
        "## Commentaires\n\npar Luc Martin le 7 mai 2024 - 12:38.\n\n"
        "Je ne suis pas d'accord avec cette analyse du budget municipal."
    )
    text = full("Par [Claire Dubois](https://example.org/node/claire-dubois) le 7 mai 2024")
    text = text.replace("## Das könnte", comments + "\n\n## Das könnte", 1)
    assert main_article(text)[0] == "Claire Dubois"


def test_the_copyright_holder_of_a_one_person_site() -> None:
    text = blog("www.gartenblog-example.de", footer="© 2009-2024 Greta Sommer. Impressum")
    assert main_article(text)[0] == "Greta Sommer"
    # A photo credit has no year and no rights: it names the photographer.
    credit = blog("www.gartenblog-example.de", footer="© Greta Sommer")
    assert main_article(credit)[0] is None


def test_a_person_spelling_the_host_owns_the_site() -> None:
    # Equal to the host's label: an outlet's name is dropped, a person's name stays.
    header = "[Gartennotizen](https://gretasommer.blog.example/) Greta Sommer"
    assert host_names("gretasommer.blog.example") == frozenset({"gretasommer"})
    text = blog("gretasommer.blog.example").replace("# Ein Sommer", header + "\n\n# Ein Sommer")
    assert main_article(text)[0] == "Greta Sommer"
    footer = blog("www.gretasommer.example", footer="© 2024 Greta Sommer")
    assert main_article(footer)[0] == "Greta Sommer"


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("Jana Vogel ist Redakteurin im Lokalressort und schreibt über Verkehr.", "Jana Vogel"),
        ("Tom Reed is a reporter covering city hall and transport.", "Tom Reed"),
        ("## Sobre el autor\n\nDiego Marín escribe sobre urbanismo desde 2010.", "Diego Marín"),
    ],
)
def test_a_short_bio_after_the_article(after: str, expected: str) -> None:
    assert main_article(full(after_prose=after))[0] == expected


def test_a_portrait_beside_a_name_after_the_article() -> None:
    box = "![Lena Hoff](https://example.org/img/lh.jpg)\n\nLena Hoff"
    assert main_article(full(after_prose=box))[0] == "Lena Hoff"
    # A teaser's picture captioned with its own heading names no one.
    teaser = "![Effiziente Speicher](https://example.org/img/s.jpg)\n\nEffiziente Speicher"
    assert main_article(full(after_prose=teaser))[0] is None
    # Nor does a bio-like sentence about a thing.
    thing = "Neue Fähre ist ein Projekt der Stadtwerke und der Redaktion des Hafenblatts."
    assert main_article(full(after_prose=thing))[0] is None


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        # A linked name after the by-word, in whatever case the blog wrote it.
        ("May 2, 2024 _by_[Ravi kumar](https://blog.example/profile/18169630)", "Ravi kumar"),
        # An illustrator credited on the byline line is not an author.
        (
            "words by [Aiko Mori](https://example.org/people/aiko-mori/) • "
            "Art by [Kenji](https://example.org/people/kenji/)",
            "Aiko Mori",
        ),
        # An agency's code after the name is a credit.
        ("Von Ute Sommer/EXA", "Ute Sommer"),
        ("Napisał Jan Kowalski", "Jan Kowalski"),
        # The outlet, the date, then the author, on one line.
        ("[Example Gazette](https://gazette.example/) 02/10/2020 Anna Berg", "Anna Berg"),
        # An author link known by its tooltip, whatever its address.
        (
            '[Marta Ruiz](https://example.org/?p=12 "Beiträge von Marta Ruiz") | 12.03.2024',
            "Marta Ruiz",
        ),
        # A name over a date line further down, past a lede and a picture.
        ("Stadt und Land\n\n" * 8 + "Lea Brandt\n\n12.03.2024", "Lea Brandt"),
    ],
)
def test_ranked_layouts(meta: str, expected: str) -> None:
    assert main_article(page(meta))[0] == expected


@pytest.mark.parametrize(
    "meta",
    [
        # Capitalised nouns beside a date (German), not a person.
        "Neue Wege\n\n12.03.2024",
        # A company's address line with a date and time.
        "Beispiel Holding GmbH, Hafenstraße 9, 12.03.2024",
        # A caption under a picture, with years in it.
        "![Der Ratssaal](https://example.org/saal.jpg)\n\nJohn Roe, Bürgermeister von 1988 bis 1996.",
        # A timestamp alone.
        "Aktualisiert 12:30 Uhr",
        # A person the text links to, in the middle of a paragraph.
        "Zum Auftakt sprach [Peter Lindqvist](https://example.org/peter-lindqvist/1.html), der "
        "den Verein seit Jahren leitet, über die Pläne für das neue Vereinsheim am Hafen.",
        # A photo credit with a person's profile link.
        "Fotos: [Mia Lund](https://example.org/people/mia-lund/)",
        # A label in capitals after a by-word.
        "By [BANKING](https://example.org/author/banking/)",
    ],
)
def test_not_bylines_on_ranked_pages(meta: str) -> None:
    assert main_article(page(meta))[0] is None


def test_given_names_and_what_is_not_one() -> None:
    assert known_given_name("Dr. Karin Schmitz")
    assert known_given_name("Hans-Peter Roe")
    assert known_given_name("Example-Online-Experte Robin Roe")  # a role compound first
    assert not known_given_name("Neue Wege")
    assert not known_given_name("The Morning Lamp")  # "The" is a rare given name too
    assert not known_given_name("ARD Mediathek")  # an acronym, not "Ard"
    assert not known_given_name("E. Roe")


def test_codes_after_a_name_are_credits() -> None:
    assert persons("Ute Sommer/EXA", explicit=True) == "Ute Sommer"
    assert persons("Ute Sommer, Tom Reed", explicit=True) == "Ute Sommer, Tom Reed"


def test_a_name_the_lexicon_lacks_is_vouched_for_by_a_bio() -> None:
    """Beside the date and again in a bio after the text, a name counts without a
    known given name; beside the date alone it does not."""
    from tests.test_pagebyline import full
    from tests.test_parse_fullpage import main_article

    bio = "Xiroa Tanvel ist Redakteurin im Ressort Politik."
    assert main_article(full("Xiroa Tanvel\n\n12.03.2021", bio))[0] == "Xiroa Tanvel"
    assert main_article(full("Xiroa Tanvel\n\n12.03.2021"))[0] is None
