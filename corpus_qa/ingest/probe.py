"""The first records of a dump's record files, as parsed JSON objects, to survey fields.

What fields a dump has, and which of them fill each column, is known before the run
from its first records (:mod:`corpus_qa.run.field_survey`). Nothing here reports
errors: a record or file that cannot be read is left out (the readers report it).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any, BinaryIO

import pyarrow as pa

from corpus_qa.ingest.compression import open_binary
from corpus_qa.ingest.depth import json_depth
from corpus_qa.ingest.jsonarray import iter_values
from corpus_qa.ingest.recode import recode
from corpus_qa.ingest.remote import seekable
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits
from corpus_qa.model import InputFile

#: Records read per survey (the first ones of each file, in dump order).
SAMPLE = 2000
#: Longest JSON line parsed for the survey.
_LINE_LIMIT = 64 << 20
#: Most lines of one JSON Lines file the probe reads.
_PROBE_LINES = 1_000_000


def sample_records(
    files: Sequence[InputFile],
    limit: int = SAMPLE,
    *,
    limits: IngestLimits = DEFAULT_LIMITS,
    record_keys: frozenset[str] = frozenset(),
) -> list[tuple[InputFile, list[dict[str, Any]]]]:
    """Up to ``limit`` records (JSON objects) by file, shared evenly among the dump's
    first ``limit`` record files: a file whose schema drifted is seen next to the others.
    A JSON file is read as the run reads it: ``limits.json_path`` and ``record_keys``
    find the record list a wrapping object holds (:func:`iter_values`)."""
    record_files = [file for file in files if file.format not in ("pages", "html", "warc")][:limit]
    per_file = max(1, limit // max(1, len(record_files)))
    found: list[tuple[InputFile, list[dict[str, Any]]]] = []
    for file in record_files:
        try:
            records = list(islice(_records(file, limits, record_keys), per_file))
        except (OSError, ValueError, pa.ArrowException):
            continue
        if records:
            found.append((file, records))
    return found


def _records(
    file: InputFile, limits: IngestLimits, record_keys: frozenset[str]
) -> Iterator[dict[str, Any]]:
    if file.format == "parquet":
        import pyarrow.parquet as pq  # only for Parquet inputs

        if file.compression is None:
            parquet = pq.ParquetFile(file.path if file.url is None else seekable(file))
            for batch in parquet.iter_batches(batch_size=SAMPLE):
                yield from batch.to_pylist()
                return
        return
    with open_binary(file) as opened:
        stream, _ = recode(opened, file)
        if file.format == "csv":
            yield from _csv_rows(stream)
        else:
            yield from _json_objects(stream, file.format == "jsonl", limits, record_keys)


def _csv_rows(stream: BinaryIO) -> Iterator[dict[str, Any]]:
    """The rows of a CSV sample, up to the first one the csv module refuses (a field
    past its size limit): the reader quarantines that row, the survey needs no more."""
    rows = csv.DictReader(io.TextIOWrapper(stream, "utf-8", errors="replace"))
    try:
        yield from rows
    except csv.Error:
        return


def _json_objects(
    stream: BinaryIO, lines: bool, limits: IngestLimits, record_keys: frozenset[str]
) -> Iterator[dict[str, Any]]:
    if not lines:
        # A top-level array, a run of values (JSON Lines named .json among them), or
        # the record list of a wrapping object.
        for element in iter_values(stream, limits, record_keys):
            if isinstance(element.value, dict):
                yield element.value
        return
    # The probe is a sample: a run of blank or unreadable lines (a bomb of newlines)
    # ends it, as the reader will report those lines anyway.
    lines_read = iter(lambda: stream.readline(_LINE_LIMIT), b"")
    for line in islice(lines_read, _PROBE_LINES):
        if not line.strip():
            continue  # blank lines (a million of them, or a bomb's) cost no depth scan
        # No line nests deeper than it has opening brackets: most need no exact scan.
        brackets = line.count(b"{") + line.count(b"[")
        if brackets > limits.max_depth and json_depth(line) > limits.max_depth:
            continue  # quarantined by the reader (input.too_complex); never parsed here
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(value, dict):
            yield value
