"""HTML left in extracted text: entities never decoded, tags never stripped."""

from __future__ import annotations

import html.entities
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, find_spans, hits
from corpus_qa.model import Severity

TEXT_FIELDS = ("title", "body", "byline")

_ENTITY = r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
# Elements that carry article text or layout; a bare "<b>" in prose is markup, an
# "a < b" comparison is not (no element name right after the "<").
_TAGS = (
    "p|br|hr|div|span|a|img|strong|em|b|i|u|s|sup|sub|small|ul|ol|li|dl|dt|dd"
    "|h[1-6]|table|thead|tbody|tr|td|th|figure|figcaption|picture|source|blockquote"
    "|q|cite|code|pre|script|style|noscript|iframe|section|article|header|footer|nav"
    "|aside|main|form|input|button|label|svg|path|meta|link"
)
_TAG = rf"</?(?i:{_TAGS})(?:[ \t\n][^<>]{{0,300}})?/?>"
_RESIDUE = f"{_ENTITY}|{_TAG}"
_NAMED = frozenset(name.rstrip(";") for name in html.entities.html5)


def _is_markup(match: str) -> bool:
    """A tag, a numeric entity, or a named entity HTML knows (not "&Co;")."""
    if not match.startswith("&") or match.startswith("&#"):
        return True
    return match[1:-1] in _NAMED


class TextHtmlResidue(Check):
    """HTML entities or tags left in the text.

    What it catches
    ---------------
    Character references never decoded (``&amp;``, ``&#8217;``, ``&nbsp;``,
    ``&quot;``) and tags never stripped (``<p>``, ``<br>``, ``</div>``, ``<a
    href="...">``) in titles, bodies and bylines. Named references must be ones HTML
    defines; a comparison such as ``a < b`` is no tag. The evidence is the first one.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    The text is not what a reader saw: ``AT&amp;T`` and ``it&#8217;s`` break search,
    deduplication and tokenization, and stray tags leak into summaries and training
    data. Markup in the text usually means a field was taken from the raw HTML or an
    RSS description instead of the rendered text.

    Example
    -------
    ``"text": "<p>The council approved the budget &amp; the new library.</p>"``

    How to fix the scraper
    ----------------------
    Take the element's text content rather than its inner HTML, and unescape
    character references (``html.unescape``) after stripping tags; for RSS
    descriptions, parse the HTML they carry.
    """

    id: ClassVar[str] = "text.html_residue"
    name: ClassVar[str] = "HTML residue in text"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        frames = []
        for field in TEXT_FIELDS:
            if field not in articles:
                continue
            values = articles[field].astype("str").reset_index(drop=True)
            # Every match starts with "&" or "<": two literal screens first.
            spans = find_spans(values, _RESIDUE, prefilter=("&", "<"))
            if spans.empty:
                continue
            keep = np.array([_is_markup(str(m)) for m in spans["match"].tolist()], dtype=bool)
            spans = spans[keep].drop_duplicates("row")
            if spans.empty:
                continue
            frames.append(
                hits(
                    spans["row"].to_numpy(),
                    field,
                    "HTML left in the text: '" + spans["match"].reset_index(drop=True) + "'",
                    start=spans["start"].tolist(),
                    end=spans["end"].tolist(),
                )
            )
        return pd.concat(frames, ignore_index=True) if frames else hits([], "", "")
