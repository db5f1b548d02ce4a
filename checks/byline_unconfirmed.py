"""Bylines the page shows but the parser could not confirm as a person's."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.model import Severity
from corpus_qa.parse.bylines.drafts import AGENCIES

#: How each source of byline evidence reads in a message.
_SOURCES = {
    "author_link": "the label of a link to an author page",
    "by_word": "a name after a by-word near the title",
    "profile_link": "a name linked to a profile page beside the title",
    "jsonld": "a JSON-LD author",
    "microdata": "a microdata or RDFa author",
    "rel_author": "a rel=author link",
    "meta": "a meta author tag",
    "byline_element": "a byline element",
    "post_author": "the post author's comment",
    "metadata": "the scraper's metadata author",
}


class BylineUnconfirmed(Check):
    """The page shows byline evidence, but no name the parser accepts as a person's.

    What it catches
    ---------------
    Full pages (Markdown, HTML, WARC, a Markdown scraper's JSON) where no byline was
    accepted but the page gives byline evidence: the one-word or handle label of a
    link to an author's or a member's page (``[fri.juli](https://x.example/autor/fri-juli)``,
    ``/author/``, ``/autor/``, ``?author=``, ``/members/``: lexicons
    ``byline.author_paths``, ``byline.profile_paths``, ``byline.member_words``, when
    the address spells the label or an avatar beside it shows it), a by-word near the
    title before a name the rules reject (``Von ank``, ``By staff``), a name linked
    beside the title to a profile page that spells it with nothing to confirm it, or
    an author the page's metadata states that is no full name (a one-word JSON-LD or
    ``meta name=author`` value, a handle, a Twitter card's ``@creator`` account other
    than the site's), or a name-like whole text of an element whose class names a
    byline or an author (``<span class="author">Marta</span>``). The finding names the evidence and where it
    came from (``byline_evidence_source``), and points at its line. Only lines near the
    title count. Such articles are not flagged by ``byline.missing``: corpus-qa is
    the extractor on full pages, and evidence it cannot confirm is no proof the page
    is unsigned. Record dumps never get this finding: there the author field decides.

    Scope: per record.

    Why it matters
    --------------
    A handle, a first name or a desk is how many sites sign (forums, blogs, local
    desks); a downstream consumer that needs a person's full name cannot use it,
    and one that needs *some* attribution can. The warning lists these pages for a
    look without failing the gate on the parser's uncertainty, while ``byline.missing``
    stays an error for pages that show no byline evidence at all.

    Example
    -------
    A blog post whose only credit is ``[fri.juli](https://blog.example/autor/fri-juli)``
    under the title: ``byline evidence not accepted as a person's byline: 'fri.juli'
    (the label of a link to an author page)``.

    How to fix the scraper
    ----------------------
    Read the author from the page's structured data (JSON-LD ``author``, ``rel="author"``,
    ``<meta name="author">``) and keep handles and desks as the site prints them in
    the author field; if the outlet signs with handles on purpose, exempt it in the
    policy or turn the warning off for it.
    """

    id: ClassVar[str] = "byline.unconfirmed"
    name: ClassVar[str] = "Unconfirmed byline"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        if "byline_evidence" not in articles.columns:
            return hits([], "byline_evidence", "")
        evidence = articles["byline_evidence"].astype("str")
        byline = articles["byline"].astype("str")
        credit = articles["credit"].astype("str")
        # As byline.missing: an organisation's credit is no lost byline.
        organisation = (credit.notna() & ~credit.isin(AGENCIES)).to_numpy()
        empty = (byline.isna() | (byline.str.strip() == "")).to_numpy()
        rows = np.flatnonzero(evidence.notna().to_numpy() & empty & ~organisation)
        if not len(rows):
            return hits([], "byline_evidence", "")
        found = evidence.iloc[rows]
        source = articles["byline_evidence_source"].astype("str").iloc[rows]
        described = source.map(lambda s: _SOURCES.get(str(s), str(s)), na_action="ignore")
        message = (
            "byline evidence not accepted as a person's byline: '"
            + found
            + "' ("
            + described.fillna("unknown source")
            + ")"
        )
        lengths = found.str.len().astype("int64")
        return hits(rows, "byline_evidence", message, [0] * len(rows), lengths)
