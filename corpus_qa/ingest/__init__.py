"""Ingest: find a dump's files and stream them as pages and batches of draft records.

Public API::

    discovery = discover("dump/", format=None)   # Discovery(root, files, skipped)
    for unit in iter_units(discovery, chunk_size=10_000, fields=FieldMap()):
        ...  # PageUnit (one page file) or RecordBatch (<= chunk_size records)

:func:`iter_plan` is the same stream with plain JSONL files left unread, as
:class:`LineRange` s that :func:`load_unit` reads and parses where they are checked
(in worker processes: see :mod:`.ranges`).

Nothing here raises on bad data: unreadable records, files and bytes become
:class:`~corpus_qa.model.Quarantined` entries next to the data that could be read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from corpus_qa.ingest.batch import unreadable
from corpus_qa.ingest.compression import open_binary, truncation_of
from corpus_qa.ingest.discover import FORMATS, Discovery, detect, discover
from corpus_qa.ingest.fields import FieldMap
from corpus_qa.ingest.page_files import PageUnit, read_page
from corpus_qa.ingest.ranges import Digests, LineRange, load_range
from corpus_qa.ingest.records import RecordBatch, plan_records
from corpus_qa.ingest.scraper_pages import looks_like_scraper_output, read_scraper
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits
from corpus_qa.model import InputFile, Quarantined

#: What :func:`iter_plan` yields: a unit, or a range of a file still to be read.
Planned = PageUnit | RecordBatch | LineRange


def load_unit(unit: Planned) -> PageUnit | RecordBatch:
    """A planned unit, read: a :class:`LineRange` is read and parsed, others are as is."""
    return load_range(unit) if isinstance(unit, LineRange) else unit


def iter_units(
    discovery_or_files: Discovery | Iterable[InputFile],
    *,
    chunk_size: int = 10_000,
    fields: FieldMap | None = None,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[PageUnit | RecordBatch]:
    """Stream every file: one :class:`PageUnit` per page file, record files in batches.

    Each batch holds at most ``chunk_size`` records of a single file, and
    ``records_read == len(frame) + len(quarantined)``.
    """
    for unit in iter_plan(discovery_or_files, chunk_size=chunk_size, fields=fields, limits=limits):
        yield load_unit(unit)


def iter_plan(
    discovery_or_files: Discovery | Iterable[InputFile],
    *,
    chunk_size: int = 10_000,
    fields: FieldMap | None = None,
    digests: Digests | None = None,
    tail_parts: int = 1,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[Planned]:
    """:func:`iter_units` with plain JSONL files as :class:`LineRange` s of at most
    ``chunk_size`` lines, not yet read: this process only finds their boundaries (and
    puts the sha256 of each such file, read to its end, in ``digests``). The last
    file's tail is cut in two even ranges per worker (``tail_parts`` workers).
    ``limits`` bounds what any one input may cost (see :mod:`corpus_qa.limits`)."""
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    files = list(
        discovery_or_files.files
        if isinstance(discovery_or_files, Discovery)
        else discovery_or_files
    )
    fmap = fields or FieldMap()
    for number, file in enumerate(files, 1):
        try:
            if file.format == "pages":
                yield read_page(file)
            elif file.format == "html":
                # lxml and html2text load only for a dump that has HTML pages.
                from corpus_qa.ingest.html_pages import read_html

                yield read_html(file)
            elif file.format == "warc":
                from corpus_qa.ingest.warc_pages import read_warc

                yield from read_warc(file)
            elif file.format in ("jsonl", "json") and looks_like_scraper_output(file):
                # Whole pages as Markdown with their metadata: the page parser reads them.
                yield from read_scraper(file)
            else:
                parts = tail_parts if number == len(files) else 1
                yield from plan_records(file, chunk_size, fmap, digests, parts, limits)
        except OSError as error:
            # Vanished or unreadable since discovery: report it and go on with the rest.
            yield unreadable(file, error)


__all__ = [
    "FORMATS",
    "Digests",
    "Discovery",
    "FieldMap",
    "IngestLimits",
    "InputFile",
    "LineRange",
    "PageUnit",
    "Planned",
    "Quarantined",
    "RecordBatch",
    "detect",
    "discover",
    "iter_plan",
    "iter_units",
    "load_unit",
    "open_binary",
    "truncation_of",
]
