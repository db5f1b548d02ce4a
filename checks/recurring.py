"""Body paragraphs that recur across many articles of one outlet: learned chrome."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checking import GLOBAL_HIT_COLUMNS, GlobalCheck
from corpus_qa.model import Severity
from corpus_qa.vector import collapse_whitespace, group

_EVIDENCE_CHARS = 120
_HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:www\.)?(?P<host>[^/?#:]+)"


def _empty() -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in GLOBAL_HIT_COLUMNS})


class BoilerplateRecurring(GlobalCheck):
    """The same body paragraph on many pages of one outlet.

    What it catches
    ---------------
    Body paragraphs whose normalized text (case folded, whitespace collapsed)
    recurs in at least ``min_pages`` articles of the same outlet (the ``outlet``
    column, else the URL's host, else the whole dump), counting paragraphs of at
    least ``min_chars`` characters. The parser sees one page at a time and cannot
    know that "Unterstützen Sie unabhängigen Journalismus" closes every article of
    a site; across the dump it can: this check learns the outlet's chrome from the
    dump itself, with no list of sites. Every occurrence is a finding.

    Why it matters
    --------------
    Recurring promos, newsletter boxes, author bios and legal notices inside
    bodies skew text statistics, duplicate detection and anything trained on the
    dump, and they mean the page parser let site chrome through.

    Example
    -------
    "Melden Sie sich für unseren Newsletter an." in 40 bodies of one outlet.

    How to fix the scraper
    ----------------------
    Cut the template's promo and footer elements before extracting the text, or
    drop paragraphs this check reports for the outlet.
    """

    id: ClassVar[str] = "boilerplate.recurring"
    name: ClassVar[str] = "Recurring boilerplate paragraph"
    severity: ClassVar[Severity] = "warning"

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        min_chars = int(self.options.get("min_chars", 20))
        body = articles["body"].astype("str").fillna("")
        lines = articles["body_lines"].astype(object)
        # One row per paragraph, with its source line where the parser recorded it.
        paragraphs = body.str.split("\n\n").explode()
        row = paragraphs.index.to_numpy()
        position = paragraphs.groupby(level=0).cumcount().to_numpy()
        line_lists = lines.to_numpy()[row]
        start = articles["line_start"].to_numpy()[row]
        line = np.array(
            [
                lst[k] if isinstance(lst, list) and k < len(lst) else s
                for lst, k, s in zip(line_lists, position, start, strict=True)
            ],
            dtype="int64",
        )
        text = pd.Series(paragraphs.to_numpy(), dtype="str").fillna("")
        # Where the paragraph starts in the body (paragraphs are joined by "\n\n").
        length = text.str.len().to_numpy()
        offset = pd.Series(length).groupby(row).cumsum().to_numpy() - length + 2 * position
        norm = collapse_whitespace(text).str.casefold()
        keep = (norm.str.len() >= min_chars).to_numpy()
        outlet = articles["outlet"].astype("str")
        host = group(articles["url"].astype("str"), _HOST, "host")
        owner = outlet.str.casefold().fillna(host.str.casefold()).fillna("")
        return pd.DataFrame(
            {
                "key": pd.util.hash_pandas_object(norm, index=False).to_numpy()[keep],
                "group": owner.to_numpy()[row][keep],
                "record_id": articles["record_id"].to_numpy()[row][keep],
                "source_path": articles["source_path"].to_numpy()[row][keep],
                "line": line[keep],
                "outlet": articles["outlet"].to_numpy()[row][keep],
                # Only what a finding shows: the state of every paragraph of the dump
                # waits in the parent until finalize, whole paragraphs made it outweigh
                # the dump itself (6 KB per article).
                "evidence": text.str.slice(0, _EVIDENCE_CHARS).to_numpy()[keep],
                "offset": offset[keep],
            }
        )

    def finalize(self, state: pd.DataFrame) -> pd.DataFrame:
        if state.empty:
            return _empty()
        min_pages = int(self.options.get("min_pages", 5))
        pages = state.groupby(["group", "key"])["record_id"].transform("nunique")
        hits = state[(pages >= min_pages).to_numpy()].reset_index(drop=True)
        if hits.empty:
            return _empty()
        count = pages[(pages >= min_pages).to_numpy()].to_numpy()
        evidence = hits["evidence"].astype("str").str.slice(0, _EVIDENCE_CHARS)
        start = hits["offset"].to_numpy().astype("int64")
        return pd.DataFrame(
            {
                "record_id": hits["record_id"].to_numpy(),
                "source_path": hits["source_path"].to_numpy(),
                "line": hits["line"].to_numpy(),
                "outlet": hits["outlet"].to_numpy(),
                "field": "body",
                "evidence": evidence.to_numpy(),
                "start": start,
                "end": start + evidence.str.len().to_numpy(),
                "message": "paragraph recurs in "
                + pd.Series(count).astype("str").to_numpy()
                + " articles of this outlet (site chrome, learned from the dump)",
            }
        )
