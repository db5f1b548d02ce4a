"""Markdown-scraper output (Firecrawl, Crawl4AI, Jina): records holding a whole page's
``markdown`` and a ``metadata`` object are pages, not extracted articles.

Each record goes to the page parser like a Markdown page file; its metadata
(``author``, ``publishedTime``, ``title``, ``ogSiteName``, ``sourceURL``,
``language``) is evidence for the byline and date, as an HTML page's head is. Every
line of a record's page points at the record's line in the file (JSONL) or at the
record's number (a JSON array).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from corpus_qa.ingest.batch import RecordBatch, empty_frame
from corpus_qa.ingest.compression import open_binary, stop_kind_of, truncation_of
from corpus_qa.ingest.page_files import PageUnit, clean_text
from corpus_qa.model import Evidence, InputFile, Quarantined

#: metadata key -> evidence kind (Firecrawl's camelCase, Crawl4AI's and Jina's names).
_METADATA_KINDS: dict[str, str] = {
    "author": "author",
    "article:author": "author",
    "publishedTime": "published",
    "published_time": "published",
    "article:published_time": "published",
    "datePublished": "published",
    "modifiedTime": "modified",
    "title": "title",
    "ogTitle": "title",
    "ogSiteName": "site_name",
    "og:site_name": "site_name",
    "sourceURL": "url",
    "url": "url",
    "ogUrl": "url",
    "language": "language",
}
#: How much of a file is read to tell scraper output from other records.
_PROBE_BYTES = 1 << 20


def is_scraper_page(record: object) -> bool:
    """A record of a Markdown scraper: a ``markdown`` text and a ``metadata`` object."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("markdown"), str)
        and isinstance(record.get("metadata"), dict)
    )


def looks_like_scraper_output(file: InputFile) -> bool:
    """Whether the first record of a JSONL or JSON file is a scraper page."""
    try:
        with open_binary(file) as stream:
            head = stream.read(_PROBE_BYTES)
    except OSError:
        return False
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if file.format == "json" and text.startswith("["):
        text = text[1:].lstrip()
    try:
        first, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return False
    return is_scraper_page(first)


def metadata_evidence(metadata: dict[str, Any]) -> list[Evidence]:
    """Evidence of a scraper's metadata object (source ``metadata``)."""
    found: list[Evidence] = []
    for key, kind in _METADATA_KINDS.items():
        value = metadata.get(key)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and item.strip():
                found.append(Evidence(kind, " ".join(item.split()), "metadata"))
    return found


def _unit(file: InputFile, record: dict[str, Any], key: str, line: int) -> PageUnit:
    text, issues = clean_text(record["markdown"], file)
    evidence = metadata_evidence(record["metadata"])
    url = next((e.value for e in evidence if e.kind == "url"), None)
    lines = [line] * (text.count("\n") + 1)
    return PageUnit(file, text, issues, evidence, lines, key, url)


def _bad(file: InputFile, line: int, reason: str, raw: str | None) -> RecordBatch:
    entry = Quarantined(file.display, line, reason, None, raw, "input.malformed")
    return RecordBatch(file, empty_frame(file.display), [entry], 1)


def read_scraper(file: InputFile) -> Iterator[PageUnit | RecordBatch]:
    """One page unit per scraper record; an unreadable record is quarantined, and a
    file cut short (a damaged archive) ends in ``input.truncated``."""
    if file.format == "json":
        yield from _read_array(file)
        return
    with open_binary(file) as stream:
        # Line by line: a crawl's JSONL can be far larger than memory.
        for number, line in enumerate(stream, 1):
            raw = line.decode("utf-8", errors="replace")
            if raw.strip():
                yield _from_line(file, number, raw)
        truncated = truncation_of(stream)
        if truncated is not None:
            kind = stop_kind_of(stream)
            entry = Quarantined(file.display, None, truncated, None, None, kind, unknown_loss=True)
            yield RecordBatch(file, empty_frame(file.display), [entry], 1)


def _from_line(file: InputFile, number: int, raw: str) -> PageUnit | RecordBatch:
    try:
        record = json.loads(raw)
    except ValueError as error:
        return _bad(file, number, f"not valid JSON: {error}", raw[:1000])
    if is_scraper_page(record):
        return _unit(file, record, f"{file.display}:{number}", number)
    return _bad(file, number, "record has no markdown text and metadata object", raw[:1000])


def _read_array(file: InputFile) -> Iterator[PageUnit | RecordBatch]:
    """A JSON array of scraper records (read whole: such files hold one crawl)."""
    with open_binary(file) as stream:
        text = stream.read().decode("utf-8", errors="replace")
    try:
        records = json.loads(text)
    except ValueError as error:
        yield _bad(file, 1, f"not valid JSON: {error}", None)
        return
    for number, record in enumerate(records if isinstance(records, list) else [records], 1):
        if is_scraper_page(record):
            yield _unit(file, record, f"{file.display}:{number}", number)
        else:
            yield _bad(file, number, "record has no markdown text and metadata object", None)
