"""Ingest: find a dump's files and stream them as pages and batches of draft records.

Public API::

    discovery = discover("dump/", format=None)   # Discovery(root, files, skipped)
    for unit in iter_units(discovery, chunk_size=10_000, fields=FieldMap()):
        ...  # PageUnit (one page file) or RecordBatch (<= chunk_size records)

Nothing here raises on bad data: unreadable records, files and bytes become
:class:`~corpus_qa.model.Quarantined` entries next to the data that could be read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from corpus_qa.ingest.compression import open_binary, truncation_of
from corpus_qa.ingest.discover import FORMATS, Discovery, detect, discover
from corpus_qa.ingest.fields import FieldMap
from corpus_qa.ingest.pages import PageUnit, read_page
from corpus_qa.ingest.records import RecordBatch, empty_frame, read_records
from corpus_qa.model import InputFile, Quarantined


def _unreadable(file: InputFile, error: OSError) -> RecordBatch:
    reason = f"cannot read the file: {error.strerror or error}"
    entry = Quarantined(file.display, None, reason, kind="input.unreadable")
    return RecordBatch(file, empty_frame(file.display), [entry], 1)


def iter_units(
    discovery_or_files: Discovery | Iterable[InputFile],
    *,
    chunk_size: int = 10_000,
    fields: FieldMap | None = None,
) -> Iterator[PageUnit | RecordBatch]:
    """Stream every file: one :class:`PageUnit` per page file, record files in batches.

    Each batch holds at most ``chunk_size`` records of a single file, and
    ``records_read == len(frame) + len(quarantined)``.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    files = (
        discovery_or_files.files
        if isinstance(discovery_or_files, Discovery)
        else discovery_or_files
    )
    fmap = fields or FieldMap()
    for file in files:
        try:
            if file.format == "pages":
                yield read_page(file)
            else:
                yield from read_records(file, chunk_size, fmap)
        except OSError as error:
            # Vanished or unreadable since discovery: report it and go on with the rest.
            yield _unreadable(file, error)


__all__ = [
    "FORMATS",
    "Discovery",
    "FieldMap",
    "InputFile",
    "PageUnit",
    "Quarantined",
    "RecordBatch",
    "detect",
    "discover",
    "iter_units",
    "open_binary",
    "truncation_of",
]
