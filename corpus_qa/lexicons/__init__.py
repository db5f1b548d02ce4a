"""Lexicons: the words and phrases the parser and the checks look for, as data.

One TOML file per language in ``data/`` (``en.toml``, ``de.toml``, ...), each a tree of
categories whose leaves are lists of phrases::

    language = "de"

    [byline]
    by_words = ["von", "vom", "durch"]

    [sections]
    comments = ["kommentar", "kommentare", "leserkommentare", "antworten"]

A category is named by its dotted path (``sections.comments``); asking for a
category returns the phrases of every leaf below it, in every language or in the
languages named. Patterns are compiled in one place, :mod:`.compile`, so every
stage matches phrases the same way. A phrase is text, never regex: a rule that
needs structure (a count before "comments", a name after "more from") keeps it in
its module and takes the words from here.

The parser's tables: ``byline`` (by-words, verbs, genres, labels, roles),
``sections`` (comments, related, share, newsletter, tags, author and site headers),
``chrome`` (UI lines, comment widgets), ``consent``, ``footer``, ``genre`` (title
tags), ``agencies`` (wire credits) and ``dates`` (month and weekday names, date
labels).

Adding a language:

1. Write ``data/<lang>.toml`` with ``language = "<lang>"`` and the categories the
   language has words for (any category may be left out); copy the tables of a
   language you know and translate. Phrases are lower-case unless case matters
   (``agencies``). A word that is also ordinary text (German "Kommentar" is a
   genre, Chinese 评论 a site's commentary section) belongs in no category that
   ends an article.
2. Write a small page in that language, ``tests/fixtures/pages/<lang>.md``: a
   navigation list, a title, a byline, three paragraphs, a share and a comments
   header with a comment, a footer; add its byline, headers and comment text to
   ``EXPECTED`` in ``tests/test_lexicon_pages.py``.
3. Run ``tests/test_lexicons.py`` (every phrase matches itself in RE2 and ``re``),
   ``tests/test_lexicon_pages.py`` and ``make accuracy``.

Public API:

- :func:`phrases`: a category's phrases, deduplicated, in file order.
- :func:`categories`, :func:`languages`: what the lexicons hold.
- :func:`alternation`: an RE2- and ``re``-compatible pattern matching any phrase of a
  category (escaped, longest first, word-bounded at ASCII letters and digits).
- :func:`words`: the same for several categories, optionally without word
  boundaries or for some languages only, for a rule to place in its own pattern.
"""

from corpus_qa.lexicons.compile import alternation, words
from corpus_qa.lexicons.load import categories, languages, phrases

__all__ = ["alternation", "categories", "languages", "phrases", "words"]
