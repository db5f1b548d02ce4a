"""Hot patterns must run in Arrow's RE2, never in pandas' per-row Python ``re`` fallback.

pandas 3 hands ``str.contains`` to ``pyarrow.compute`` only when
``_needs_python_regex`` (pandas/core/arrays/_arrow_string_mixins.py) says RE2 and
Python agree; lookaround, backreferences, ``\\w``/``\\b``/``\\d`` on non-ASCII values
and ``$`` with newlines fall back to Python, about 20x slower. Each shipped pattern
is checked both ways: pyarrow compiles it, and pandas' rule keeps it in Arrow for
non-ASCII text with newlines (the worst case).
"""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import dates, email, image, text
from corpus_qa.checks.builtin._date_words import relative_pattern
from corpus_qa.parse.datelines import RELATIVE_DATE_PATTERN
from corpus_qa.text.keys import _WHITESPACE_TO_COLLAPSE
from corpus_qa.text.re2 import contains
from tests.conftest import examples

PATTERNS = {
    "email.address": email._ADDRESS,
    "email.obfuscated": email._OBFUSCATED,
    "image.logo_path": image._LOGO_PATH,
    "text.deck": text._DECK_IN_FIRST_SENTENCE,
    # The check's (every lexicon language; GX mirrors it through pandas) and the
    # parser's (English, resolved against the reference time).
    "date.relative": relative_pattern(),
    "date.relative.parser": RELATIVE_DATE_PATTERN,
    "hashing.whitespace": _WHITESPACE_TO_COLLAPSE,
}
SAMPLE = pd.Series(["Régierung, 서울 — ligne\nsuivante $ ok", "plain ascii"], dtype="str")


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_compiles_in_re2(name: str) -> None:
    pc.match_substring_regex(pa.array(["x"]), PATTERNS[name])


# Run through corpus_qa.text.re2.contains (RE2 whatever the data), because pandas
# would hand their ``$`` to Python's ``re``; each must mean the same in both engines.
ARROW_DIRECT = {"date.relative.parser"}


@pytest.mark.parametrize("name", sorted(set(PATTERNS) - ARROW_DIRECT))
def test_pandas_keeps_the_pattern_in_arrow(name: str) -> None:
    array = SAMPLE.array
    needs_python = getattr(array, "_needs_python_regex", None)
    if needs_python is None:
        pytest.skip("this pandas has no _needs_python_regex")
    assert not needs_python(PATTERNS[name]), f"{name} would fall back to Python re"


@settings(max_examples=examples(300))
@given(
    head=st.text(max_size=12),
    core=st.sampled_from(["4 hours ago", "yesterday", "Just now", "3h ago", "last week"]),
    tail=st.sampled_from(["", "\n", ".\n", "\nnext", "s", "ly", " \n", "\r\n"]),
)
def test_arrow_direct_patterns_mean_what_python_re_means(head: str, core: str, tail: str) -> None:
    values = pd.Series([head + core + tail, head, core + tail], dtype="str")
    for name in ARROW_DIRECT:
        python = [re.search(PATTERNS[name], value) is not None for value in values]
        assert contains(values, PATTERNS[name]).tolist() == python, (name, values.tolist())


def test_date_relative_finds_relative_dates_in_values_with_newlines() -> None:
    raw = pd.Series(["4 hours ago\n", "2024-05-01", "yesterday"], dtype="str")
    articles = pd.DataFrame({"published_raw": raw})
    found = dates.DateRelative().run(articles, pd.DataFrame())
    assert found["row"].tolist() == [0, 2]
