"""The lexicon files load, and their compiled patterns match the same in RE2 and ``re``."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.lexicons import alternation, categories, languages, phrases
from corpus_qa.lexicons.compile import PYTHON_FLAGS, alternation_of, words


def test_every_language_file_loads_and_names_itself() -> None:
    assert "en" in languages()
    for category in categories():
        assert phrases(category), category


def test_unknown_category_is_an_error() -> None:
    with pytest.raises(KeyError):
        phrases("no.such.category")


def test_every_phrase_matches_its_own_category() -> None:
    for category in categories():
        pattern = re.compile(alternation(category), PYTHON_FLAGS)
        for phrase in phrases(category):
            assert pattern.search(f"x {phrase} y"), (category, phrase)


@pytest.mark.parametrize("bounds", [True, False])
def test_every_phrase_matches_itself_in_re2_and_re(bounds: bool) -> None:
    """Each phrase, whole, through its category's compiled pattern: RE2 (pyarrow) and
    Python's ``re`` with :data:`PYTHON_FLAGS`, with and without word boundaries."""
    for category in categories():
        values = phrases(category)
        pattern = words(category, bounds=bounds)
        python = re.compile(pattern, PYTHON_FLAGS)
        misses = [v for v in values if not python.fullmatch(v)]
        assert not misses, (category, misses)
        arrow = pc.match_substring_regex(pa.array(values), f"(?i)^(?:{pattern})$").to_pylist()
        assert all(arrow), (category, [v for v, ok in zip(values, arrow, strict=True) if not ok])


def test_a_phrase_does_not_match_inside_a_longer_word() -> None:
    pattern = re.compile(words("byline.by_words"), PYTHON_FLAGS)
    assert pattern.search("Text by Ana") and not pattern.search("a bypass")
    assert re.compile(words("byline.roles", bounds=False), PYTHON_FLAGS).search("projektleiter")


texts = st.text(alphabet="abcßüé-.'日本 ", min_size=1, max_size=12).filter(str.strip)


@given(st.lists(texts, min_size=1, max_size=5), st.text(alphabet="abcßüé-.'日本 \n", max_size=40))
def test_re2_and_python_agree(values: list[str], text: str) -> None:
    pattern = alternation_of(values)
    python = re.search(pattern, text, PYTHON_FLAGS)
    arrow = pc.extract_regex(pa.array([text]), f"(?i)(?P<m>{pattern})").to_pylist()[0]
    assert (python.group(0) if python else None) == (arrow["m"] if arrow else None)
