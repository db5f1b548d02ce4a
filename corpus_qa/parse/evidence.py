"""A page's own metadata (JSON-LD, meta tags, ``rel=author``, ``<time>``, a scraper's
metadata object) as evidence for its main article's byline and date.

Metadata is evidence, not truth. An author that JSON-LD types as an organization, or
that spells the outlet (the publisher, ``og:site_name``, the host's name), is no
byline; nor is a value that is no person's name by :func:`~.bylines.names.persons`.
The byline the page shows in its text wins over metadata: the visible line is what a
reader sees credited; metadata fills in where the text has none. Dates go the other
way: a machine-readable timestamp (JSON-LD, ``article:published_time``, ``<time
datetime>``) is more exact than a dateline the parser read, so it wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from corpus_qa.model import ArticleDraft, Evidence, ParsedPage
from corpus_qa.parse.bylines.names import MARKER_RE, known_given_name, persons
from corpus_qa.parse.bylines.site import fold, host_of, is_site_name, labels_of
from corpus_qa.parse.dateline import read_date

#: Byline sources, most trusted first (after a byline the page's text shows).
BYLINE_ORDER = ("jsonld", "microdata", "rel_author", "meta", "byline_element", "metadata")
#: Sources whose first credible item is the byline: later ones are mostly other
#: stories' authors (teasers, a sidebar, comments).
_FIRST_ONLY = frozenset({"byline_element"})
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


def outlet_names(evidence: Iterable[Evidence], url: str | None) -> frozenset[str]:
    """Folded names of the outlet: publisher, site name, the host's registered name."""
    names = {fold(e.value) for e in evidence if e.kind in ("publisher", "site_name")}
    host = host_of(url) if url else None
    if host is not None:
        names |= labels_of(host)
        names.add(fold(host))
    return frozenset(n for n in names if n)


def _person_names(value: str, *, explicit: bool = True) -> str | None:
    """The names ``value`` credits; ``explicit``: the value is stated as an author
    (metadata), so a one-word name counts; a byline element's text names one only
    after a by-word ("Von X") or as a full name."""
    marked = MARKER_RE.match(value)
    text = marked.group("rest") if marked else value
    names = persons(text, explicit=explicit or marked is not None)
    if names is None:
        return None
    # A CMS login ("ana.ruiz", "aruiz") is no name a reader sees credited.
    kept = [n for n in names.split(", ") if not _handle(n)]
    return ", ".join(kept) or None


def _handle(name: str) -> bool:
    return " " not in name and (name.islower() or "." in name or "_" in name)


def _is_outlet(name: str, outlets: frozenset[str]) -> bool:
    """Whether ``name`` spells the outlet; a person's full name never does: on a
    one-person site ("anaruiz.example", site name "Ana Ruiz") the owner is the author."""
    if len(name.split()) >= 2 and known_given_name(name):
        return False
    folded = fold(name)
    return folded in outlets or is_site_name(name, outlets)


def byline_of(evidence: list[Evidence], url: str | None) -> tuple[str, str] | None:
    """``(names, source)`` of the best credible author evidence, or ``None``."""
    outlets = outlet_names(evidence, url)
    for source in BYLINE_ORDER:
        found: list[str] = []
        for item in evidence:
            if item.kind != "author" or item.source != source or item.organization:
                continue
            names = _person_names(item.value, explicit=source not in _FIRST_ONLY)
            if names is None:
                continue
            for name in names.split(", "):
                if not _is_outlet(name, outlets) and name not in found:
                    found.append(name)
            if found and source in _FIRST_ONLY:
                break
        if found:
            return ", ".join(found), source
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


def apply_evidence(page: ParsedPage, evidence: list[Evidence], url: str | None) -> None:
    """Give the page's main article the byline and date its metadata vouches for."""
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
    if main.byline is None:
        found = byline_of(evidence, url or main.url)
        if found is not None:
            main.byline, main.byline_source = found  # type: ignore[assignment]
    dated = published_of(evidence)
    # A page's last-resort date (``page_date``) is a guess: any evidence beats it.
    if (
        main.published_raw is not None
        and dated is not None
        and main.published_source != "page_date"
    ):
        dated = _beside_dateline(main.published_raw, dated, evidence)
    if dated is not None:
        main.published_raw, main.published_source = dated  # type: ignore[assignment]


def _beside_dateline(
    dateline: str, best: tuple[str, str], evidence: list[Evidence]
) -> tuple[str, str] | None:
    """The date evidence to use on a page that prints a dateline, or None to keep the
    dateline. A timestamp on the printed day wins (sources disagree: the one the page
    confirms); else the best timestamp, unless it is htmldate's guess, or a UTC time
    one day off the printed day (UTC does not say the publisher's calendar day)."""
    printed = read_date(dateline)
    if printed is None:
        return best
    for source in DATE_ORDER:
        for item in evidence:
            if item.kind == "published" and item.source == source:
                day = read_date(item.value)
                if day is not None and day == printed:
                    return item.value, source
    if best[1] in _GUESSES:
        return None
    day = read_date(best[0])
    utc = best[0].rstrip().endswith(("Z", "+00:00", "+0000", "GMT", "UTC"))
    if day is not None and utc and abs((day - printed).days) == 1:
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
    draft.body_lines = [at(no) for no in draft.body_lines]
    for image in draft.images:
        image.line = at(image.line)
