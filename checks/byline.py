"""Bylines: who wrote the article."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.model import Severity
from corpus_qa.parse.bylines.drafts import AGENCIES


class BylineMissing(Check):
    """No author could be found for the article.

    What it catches
    ---------------
    Articles with no byline from any source corpus-qa knows: an author field, a
    ``By X`` line, a name in a title bracket (``[Robert J. Fouser] ...``) or a closing
    bio (``Robert J. Fouser, a former ... writes on ...``). A wire credit such as
    ``(Yonhap)`` names the agency, not an author, so it does not count; the message says
    when a credit is all there is. Unsigned genres (editorials, by default) are exempt
    through the policy's ``exempt`` table and counted as exempted.

    An article the page credits to an organisation that is no wire agency (the
    outlet's own name after a by-word, a JSON-LD ``Organization`` author, an author
    value that spells the publisher or the site) is not flagged: the page names no
    person, so there is no byline to lose, and the name is kept in ``credit``. Wire
    copy is still flagged, since a wire story usually carries a person's byline too.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Attribution is the first thing a template change breaks: the byline sits in its
    own element, and when the site renames it the scraper silently returns nothing.
    Downstream, articles without authors cannot be deduplicated by author, credited or
    filtered by source reliability.

    Example
    -------
    ``Lee also called for continued interest ... the office said. (Yonhap)`` with no
    author line anywhere: the only attribution is the agency credit.

    How to fix the scraper
    ----------------------
    Check the outlet's byline selector against a current page (``rel="author"``,
    ``[itemprop=author]``, ``.byline``, JSON-LD ``author``); fall back to the
    page's ``<meta name="author">``. If the outlet genuinely publishes wire copy
    unsigned, exempt it in the policy rather than lowering the threshold.
    """

    id: ClassVar[str] = "byline.missing"
    name: ClassVar[str] = "Missing byline"
    severity: ClassVar[Severity] = "error"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        byline = articles["byline"].astype("str")
        credit_all = articles["credit"].astype("str")
        # An organisation's own credit (not a wire agency): no person to lose.
        organisation = (credit_all.notna() & ~credit_all.isin(AGENCIES)).to_numpy()
        missing = (byline.isna() | (byline.str.strip() == "")).to_numpy() & ~organisation
        credit = articles["credit"].astype("str")[missing]
        plain = "no byline found (author field, 'By' line, title bracket or closing bio)"
        credited = (
            "no byline: only the wire credit ("
            + credit.fillna("")
            + "), which names the agency, not an author"
        )
        message = credited.where(credit.notna(), plain)
        return hits(np.flatnonzero(missing), "byline", message)
