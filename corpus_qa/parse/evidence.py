"""A page's own metadata (JSON-LD, meta tags, ``rel=author``, ``<time>``, a scraper's
metadata object) as evidence for its main article's byline and date.

Metadata is evidence, not truth: how bylines are judged, and when metadata overrides
the byline the page's text shows, is :mod:`corpus_qa.parse.bylines.metadata`. Dates
go the other way: a machine-readable timestamp (JSON-LD, ``article:published_time``, ``<time
datetime>``) is more exact than a dateline the parser read, so it wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from corpus_qa.model import ArticleDraft, Evidence, ParsedPage
from corpus_qa.parse.bylines.metadata import arbitrate, byline_of, organisation_of
from corpus_qa.parse.bylines.unconfirmed import METADATA_SOURCES, refused_author
from corpus_qa.parse.dateline import read_date, read_days

__all__ = ["apply_evidence", "byline_of", "published_of", "remap_lines", "url_of"]

#: Date sources, most trusted first; the page's dateline comes after all of them but
#: htmldate, whose search of the whole markup is a guess.
DATE_ORDER = ("jsonld", "meta", "metadata", "time_element", "htmldate")
#: Date sources that give way to a dateline the page prints.
_GUESSES = frozenset({"htmldate"})
#: A date value holds a four-digit year.
_YEAR_DIGITS = 4


def url_of(evidence: Iterable[Evidence]) -> str | None:
    """The page's own URL (canonical link, ``og:url``, a scraper's source URL)."""
    for item in evidence:
        if item.kind == "url" and item.value.startswith(("http://", "https://")):
            return item.value
    return None


def published_of(evidence: list[Evidence]) -> tuple[str, str] | None:
    """``(raw date, source)`` of the best date evidence, or ``None``."""
    for source in DATE_ORDER:
        for item in evidence:
            if item.kind == "published" and item.source == source and _dated(item.value):
                return item.value, source
    return None


def _dated(value: str) -> bool:
    digits = 0
    for char in value:
        digits = digits + 1 if char.isdigit() else 0
        if digits == _YEAR_DIGITS:
            return True
    return False


def apply_evidence(
    page: ParsedPage, evidence: list[Evidence], url: str | None, text: str = ""
) -> None:
    """Give the page's main article the byline and date its metadata vouches for;
    ``text`` is the page's text, where the metadata's names may be printed."""
    main = next((a for a in page.articles if a.role == "main"), None)
    if main is None and len(page.articles) == 1:
        main = page.articles[0]
    if main is None:
        return
    if main.url is None and url is not None:
        main.url = url
    if main.title is None:
        # No heading on the page (a scraper's Markdown often starts with the lede):
        # the title the page states about itself, with no line of its own.
        main.title = next((e.value for e in evidence if e.kind == "title"), None)
    if main.byline is None or main.byline_source == "credit":
        found = byline_of(evidence, url or main.url)
        if found is None and main.byline is None:
            # No person anywhere: the organisation the metadata credits, if any.
            credit = organisation_of(evidence, url or main.url)
            found = None if credit is None else (credit, "credit")
    elif main.byline_source == "by_line":
        found = arbitrate(main.byline, main.byline_kind, evidence, url or main.url, text)
    else:
        found = None
    if found is not None:
        main.byline, main.byline_source = found  # type: ignore[assignment]
    if main.byline is None and main.byline_evidence is None:
        # Metadata that states an author the rules refuse: the page is unconfirmed.
        refused = refused_author(evidence)
        if refused is not None:
            main.byline_evidence, main.byline_evidence_source, main.byline_evidence_line = refused
    dated = published_of(evidence)
    # A page's last-resort date (``page_date``, ``page_text``) is a guess: any evidence
    # beats it.
    if (
        main.published_raw is not None
        and dated is not None
        and main.published_source not in ("page_date", "page_text")
    ):
        dated = _beside_dateline(main.published_raw, dated, evidence)
    if dated is not None:
        main.published_raw, main.published_source = dated  # type: ignore[assignment]


def _beside_dateline(
    dateline: str, best: tuple[str, str], evidence: list[Evidence]
) -> tuple[str, str] | None:
    """The date evidence to use on a page that prints a dateline, or None to keep the
    dateline. A timestamp on the printed day wins (sources disagree: the one the page
    confirms; a numeric dateline that reads either way, "11/01/2021", is confirmed on
    either day); else the best timestamp, unless it is htmldate's guess, or a UTC time
    one day off the printed day (UTC does not say the publisher's calendar day)."""
    printed = read_days(dateline)
    if not printed:
        return best
    for source in DATE_ORDER:
        for item in evidence:
            if item.kind == "published" and item.source == source:
                day = read_date(item.value)
                if day is not None and day in printed:
                    return item.value, source
    if best[1] in _GUESSES:
        return None
    day = read_date(best[0])
    utc = best[0].rstrip().endswith(("Z", "+00:00", "+0000", "GMT", "UTC"))
    if day is not None and utc and any(abs((day - p).days) == 1 for p in printed):
        return None
    return best


def remap_lines(page: ParsedPage, source_lines: list[int]) -> ParsedPage:
    """The page with every line number moved from the rendering to its source."""

    def at(no: int) -> int:
        return source_lines[min(max(no, 1), len(source_lines)) - 1] if source_lines else no

    for draft in page.articles:
        _remap_draft(draft, at)
    chrome = [
        type(span)(
            span.source_path,
            at(span.line_start),
            at(span.line_end),
            span.kind,
            span.text,
            span.reason,
        )
        for span in page.chrome
    ]
    return ParsedPage(page.source_path, page.articles, chrome, page.layout)


def _remap_draft(draft: ArticleDraft, at: Callable[[int], int]) -> None:
    draft.line_start = at(draft.line_start)
    draft.line_end = at(draft.line_end)
    if draft.title_line is not None:
        draft.title_line = at(draft.title_line)
    if draft.byline_evidence_line is not None and (
        draft.byline_evidence_source not in METADATA_SOURCES
    ):
        # Metadata's lines are the source's already; the text's are the rendering's.
        draft.byline_evidence_line = at(draft.byline_evidence_line)
    draft.body_lines = [at(no) for no in draft.body_lines]
    for image in draft.images:
        image.line = at(image.line)
