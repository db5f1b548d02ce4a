"""Hot patterns must run in Arrow's RE2, never in pandas' per-row Python ``re`` fallback.

pandas 3 hands ``str.contains`` to ``pyarrow.compute`` only when
``_needs_python_regex`` (pandas/core/arrays/_arrow_string_mixins.py) says RE2 and
Python agree; lookaround, backreferences, ``\\w``/``\\b``/``\\d`` on non-ASCII values
and ``$`` with newlines fall back to Python, about 20x slower. Each shipped pattern
is checked both ways: pyarrow compiles it, and pandas' rule keeps it in Arrow for
non-ASCII text with newlines (the worst case).
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from corpus_qa.checks import boilerplate, email, image, text
from corpus_qa.hashing import _WHITESPACE_TO_COLLAPSE
from corpus_qa.parse.dates import RELATIVE_DATE_PATTERN

PATTERNS = {
    "email.address": email._ADDRESS,
    "email.obfuscated": email._OBFUSCATED,
    "image.logo_path": image._LOGO_PATH,
    "text.deck": text._DECK_IN_FIRST_SENTENCE,
    "date.relative": RELATIVE_DATE_PATTERN,
    "boilerplate.anywhere": boilerplate._alternation(boilerplate.LEAK_PHRASES),
    "boilerplate.line": "\n" + boilerplate._alternation(boilerplate.LINE_PHRASES) + "\n",
    "hashing.whitespace": _WHITESPACE_TO_COLLAPSE,
}
SAMPLE = pd.Series(["Régierung, 서울 — ligne\nsuivante $ ok", "plain ascii"], dtype="str")


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_compiles_in_re2(name: str) -> None:
    pc.match_substring_regex(pa.array(["x"]), PATTERNS[name])


# Owned by corpus_qa/parse/ (being rewritten on another branch): known to fall back
# (``\b`` on non-ASCII text). Strict, so the fix there turns this test red to remove it.
KNOWN_FALLBACK = {"date.relative"}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="parse/dates.py pattern"))
        if n in KNOWN_FALLBACK
        else n
        for n in sorted(PATTERNS)
    ],
)
def test_pandas_keeps_the_pattern_in_arrow(name: str) -> None:
    array = SAMPLE.array
    needs_python = getattr(array, "_needs_python_regex", None)
    if needs_python is None:
        pytest.skip("this pandas has no _needs_python_regex")
    assert not needs_python(PATTERNS[name]), f"{name} would fall back to Python re"
