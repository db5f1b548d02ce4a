"""Lexicons: the words and phrases the parser and the checks look for, as data.

One TOML file per language in ``data/`` (``en.toml``, ``de.toml``, ...), each a tree of
categories whose leaves are lists of phrases::

    language = "de"

    [site_text]
    newsletter = ["Newsletter abonnieren", "Jetzt zum Newsletter anmelden"]

A category is named by its dotted path (``site_text.newsletter``); asking for a
category returns the phrases of every leaf below it, in every language or in the
languages named. Adding a language is one file. Patterns are compiled in one place,
:mod:`.compile`, so every stage matches phrases the same way.

Public API:

- :func:`phrases`: a category's phrases, deduplicated, in file order.
- :func:`categories`, :func:`languages`: what the lexicons hold.
- :func:`alternation`: an RE2- and ``re``-compatible pattern matching any phrase of a
  category (escaped, longest first, word-bounded at ASCII letters and digits).
"""

from corpus_qa.lexicons.compile import alternation
from corpus_qa.lexicons.load import categories, languages, phrases

__all__ = ["alternation", "categories", "languages", "phrases"]
