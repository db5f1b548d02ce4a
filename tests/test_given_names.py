"""The given-name lexicon behind weak byline candidates: shipped data under a
permissive licence, many locales, and how it is built."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import pytest

from accuracy.make_given_names import words
from corpus_qa.parse.bylines.names import given_names, known_given_name
from tests.test_parse_fullpage import main_article, page


def test_lexicon_ships_in_the_package_with_its_licence_notice() -> None:
    text = resources.files("corpus_qa.parse").joinpath("given_names.txt").read_text("utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("MIT licence" in line for line in header)
    assert any("Permission is hereby granted" in line for line in header)
    assert not any("GPL" in line or "General Public" in line for line in header)
    lexicon = given_names()
    assert len(lexicon) > 20_000
    assert all(w == w.casefold() and " " not in w for w in lexicon)


@pytest.mark.parametrize(
    "name",
    [
        "Zofia Nowakowska",
        "Paweł Roe",
        "Søren Roe",
        "Aoife Roe",
        "Chloé Roe",
        "Jürgen Roe",
        "František Roe",
        "Matteo Roe",
        "Priya Roe",
        "Hiroshi Roe",
        "Thandiwe Roe",
        "Prof. Dr. Björn Roe",
    ],
)
def test_given_names_of_many_locales(name: str) -> None:
    assert known_given_name(name)


@pytest.mark.parametrize(
    "name", ["Öffentliche Sicherheit", "Spot Charakter", "Energie Wende", "Redaktion Politik"]
)
def test_nouns_are_no_given_names(name: str) -> None:
    assert not known_given_name(name)


def test_no_gpl_lexicon_is_imported() -> None:
    probe = (
        "import sys; from corpus_qa.parse.bylines.names import known_given_name;"
        "assert known_given_name('Ana Ruiz'); print(sorted(m for m in sys.modules if 'gender' in m))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_words_keeps_one_word_names_and_the_parts_of_compounds() -> None:
    built = words(["Ana", "Hans-Peter", "Maria del Carmen", "J.", "Zoë", "X", "Anna2", " Lea "])
    assert built == {"ana", "hans", "peter", "zoë", "lea"}


def test_a_name_alone_beside_the_date_needs_a_given_name_of_the_lexicon() -> None:
    assert main_article(page("Ingrid Vossberg\n\n12.03.2024"))[0] == "Ingrid Vossberg"
    # An invented given name and a heading of two nouns: no evidence of a person.
    assert main_article(page("Talvik Vossberg\n\n12.03.2024"))[0] is None
    assert main_article(page("Öffentliche Sicherheit\n\n12.03.2024"))[0] is None
