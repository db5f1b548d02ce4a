"""One page unit -> parsed page: the page parser on its text, then its evidence
(:mod:`.evidence`) and, for a rendering, line numbers moved to the source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corpus_qa.model import ParsedPage
from corpus_qa.parse.evidence import apply_evidence, remap_lines, url_of
from corpus_qa.parse.layouts import parse_page

if TYPE_CHECKING:
    from corpus_qa.ingest.page_files import PageUnit


def parse_unit(unit: PageUnit, *, max_seconds: float | None = None) -> ParsedPage:
    """Parse a page unit (a Markdown page, an HTML page's rendering, a scraper record)
    within the page budget (:func:`~corpus_qa.parse.layouts.parse_page`)."""
    parsed = parse_page(unit.text, unit.file.display, max_seconds=max_seconds)
    if unit.record_key is not None:
        for number, draft in enumerate(parsed.articles):
            draft.record_id = f"{unit.record_key}#{number}"
    if unit.evidence or unit.url:
        apply_evidence(parsed, unit.evidence, unit.url or url_of(unit.evidence), unit.text)
    if unit.source_lines:
        parsed = remap_lines(parsed, unit.source_lines)
    return parsed
