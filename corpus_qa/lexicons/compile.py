"""Phrases -> one regular expression, the same way for every stage.

The pattern is valid in both RE2 (pyarrow's ``match_substring_regex`` and
``extract_regex``) and Python's ``re``: no look-around, no backreferences. Phrases are
escaped (a lexicon holds text, not regex) and tried longest first, so "Newsletter
abonnieren" wins over "Newsletter". Whitespace inside a phrase matches any run of
spaces. A phrase that begins or ends with an ASCII letter or digit gets a word
boundary there; CJK phrases match anywhere, as those scripts have no word spaces.
RE2's ``\\b`` and ``\\s`` are ASCII-only: compile with ``re.ASCII`` in Python
(:data:`PYTHON_FLAGS`) and both engines match the same spans.

A rule that needs more than "any of these phrases" keeps its structure and takes
the words from here: ``rf"^(?:\\d+ )?{words('sections.comments')}(?: \\(\\d+\\))?$"``.
``bounds=False`` leaves the word boundaries to the rule (a suffix such as "-leiter"
in "Projektleiter", a stem such as "jan" before more letters).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from corpus_qa.lexicons.load import phrases

#: Flags that make Python's ``re`` match these patterns as RE2 does.
PYTHON_FLAGS = re.ASCII | re.IGNORECASE


def _escape(phrase: str, bounds: bool) -> str:
    words = phrase.split()
    body = r"\s+".join(re.escape(word) for word in words)
    if bounds and _ascii_word_char(words[0][0]):
        body = r"\b" + body
    if bounds and _ascii_word_char(words[-1][-1]):
        body += r"\b"
    return body


def _ascii_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def alternation_of(values: Iterable[str], *, bounds: bool = True) -> str:
    """A non-capturing group matching any of ``values`` (longest first)."""
    unique = sorted(set(values), key=lambda v: (-len(v), v))
    if not unique:
        raise ValueError("an empty phrase list matches nothing")
    return "(?:" + "|".join(_escape(v, bounds) for v in unique) + ")"


@functools.cache
def alternation(category: str, langs: tuple[str, ...] | None = None) -> str:
    """The phrases of a lexicon category as one alternation (see the module doc)."""
    return alternation_of(phrases(category, langs))


@functools.cache
def words(*categories: str, bounds: bool = True, langs: tuple[str, ...] | None = None) -> str:
    """The phrases of all ``categories`` (every language, or ``langs``) as one
    alternation, for a rule to place inside its own pattern."""
    return alternation_of(
        [phrase for category in categories for phrase in phrases(category, langs)],
        bounds=bounds,
    )
