"""Bylines: inferred over a drafts frame, and found on full pages.

- :mod:`.drafts`: byline, wire credit and genre over a drafts frame (:func:`infer_bylines`).
- :mod:`.page`: a full page's byline (:func:`find_byline`), from candidates found by
  :mod:`.markers` (by-words), :mod:`.meta` (names beside the title),
  :mod:`.boxes` (author boxes, bios, sign-offs) and ranked by :mod:`.rank`, else an
  agency's or desk's credit (:mod:`.credits`);
  :mod:`.names` says what a person's name looks like, :mod:`.site` what names the site.
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.parse.bylines.drafts import infer_bylines
    from corpus_qa.parse.bylines.page import find_byline

__all__ = [
    "find_byline",
    "infer_bylines",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "find_byline": "corpus_qa.parse.bylines.page",
        "infer_bylines": "corpus_qa.parse.bylines.drafts",
    },
)
