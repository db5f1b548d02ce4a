"""WARC files (CC-NEWS style): every ``response`` record with an HTML payload is a page.

Read with warcio, record by record (gzip members or plain). A page's articles are
named ``<file>@<offset>`` (the record's byte offset in the file, as a CDX index gives
it) and carry the record's target URI; their line numbers are lines of the record's
HTML payload. Other records (``request``, ``metadata``, ``warcinfo``, non-HTML
responses) are counted and skipped (``input.skipped``); a damaged record is
quarantined with its offset, and the records before it are kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from corpus_qa.ingest.batch import RecordBatch, empty_frame
from corpus_qa.ingest.html_pages import html_unit
from corpus_qa.ingest.page_files import PageUnit
from corpus_qa.ingest.remote import open_source
from corpus_qa.model import InputFile, Quarantined

#: Payload types read as HTML pages.
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _is_html(content_type: str | None) -> bool:
    if not content_type:
        return False
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _entry(file: InputFile, reason: str, offset: int | None, kind: str) -> Quarantined:
    return Quarantined(file.display, None, reason, byte_offset=offset, kind=kind)


def read_warc(file: InputFile) -> Iterator[PageUnit | RecordBatch]:
    """Page units of a WARC file's HTML responses, then one batch of what was left out."""
    skipped = 0
    quarantined: list[Quarantined] = []
    offset: int | None = 0
    with open_source(file) as raw:
        records = ArchiveIterator(raw, arc2warc=True)
        try:
            for record in records:
                http = record.http_headers
                kind = None if http is None else http.get_header("Content-Type")
                if record.rec_type != "response" or not _is_html(kind):
                    skipped += 1
                    offset = None
                    continue
                # The payload first: asking for the offset reads the record to its end.
                payload = record.content_stream().read()
                offset = records.get_record_offset()
                uri = record.rec_headers.get_header("WARC-Target-URI")
                yield html_unit(payload, file, f"{file.display}@{offset}", uri)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError) as error:
            # warcio stops at a damaged record (a cut gzip member, headers without a
            # target URI): what came before it stands.
            where = getattr(records, "offset", offset)
            quarantined.append(
                _entry(
                    file,
                    f"damaged WARC record at byte {where}: {error}; records after it are lost",
                    where,
                    "input.truncated",
                )
            )
    issues = []
    if skipped:
        issues.append(
            _entry(
                file,
                f"{skipped} WARC records skipped (not an HTML response: request, "
                "metadata, warcinfo or another payload type)",
                None,
                "input.skipped",
            )
        )
    if quarantined or issues:
        yield RecordBatch(file, empty_frame(file.display), quarantined, len(quarantined), issues)
