"""Bylines: who wrote the article."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.model import Severity
from corpus_qa.parse.bylines.drafts import AGENCIES


def unconfirmed(articles: pd.DataFrame) -> np.ndarray:
    """Rows whose page showed byline evidence the parser did not accept (pages only:
    a record dump's table holds none, and frames built without the column have none)."""
    if "byline_evidence" not in articles.columns:
        return np.zeros(len(articles), dtype=bool)
    return articles["byline_evidence"].notna().to_numpy(dtype=bool)


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

    On a full page (Markdown, HTML, WARC, a scraper's JSON), an article whose page
    shows byline evidence the parser would not accept as a person's byline (a
    one-word or handle label of an author link, a by-word before a rejected name, a
    metadata author that is no full name) is not flagged here but by
    ``byline.unconfirmed``, a warning: the page may well be
    signed, and the gate does not fail on ambiguous evidence. Record dumps are judged
    on their author field alone, as before.

    An article the page credits to an organisation that is no wire agency (the
    outlet's own name after a by-word, a JSON-LD ``Organization`` author, an author
    value that spells the publisher or the site) is not flagged: the page names no
    person, so there is no byline to lose, and the name is kept in ``credit``. Wire
    copy is still flagged, since a wire story usually carries a person's byline too;
    but on a full page, an agency's or desk's credit printed where the byline goes
    (a dateline's "Hamburg (dpa/lno) -", "Quelle: APA", a closing "red/dpa") is the
    page's byline when no person is named, and the article is not flagged.

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
        # Byline evidence the page shows but the parser refused: byline.unconfirmed.
        missing &= ~unconfirmed(articles)
        credit = articles["credit"].astype("str")[missing]
        plain = "no byline found (author field, 'By' line, title bracket or closing bio)"
        credited = (
            "no byline: only the wire credit ("
            + credit.fillna("")
            + "), which names the agency, not an author"
        )
        message = credited.where(credit.notna(), plain)
        return hits(np.flatnonzero(missing), "byline", message)
