"""Reading record files (JSON, CSV, Parquet; JSONL in :mod:`.jsonl`) batch by batch."""

from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

import pyarrow as pa

from corpus_qa.ingest.batch import RecordBatch, empty_frame, make_batch, stopped
from corpus_qa.ingest.columnar import map_table
from corpus_qa.ingest.compression import open_binary, stop_kind_of, truncation_of
from corpus_qa.ingest.depth import json_depth
from corpus_qa.ingest.fields import Failed, FieldMap, Positions, map_rows
from corpus_qa.ingest.jsonarray import Element, iter_values
from corpus_qa.ingest.jsonl import read_jsonl
from corpus_qa.ingest.ranges import Digests, LineRange, load_range, plan_ranges
from corpus_qa.ingest.recode import recode
from corpus_qa.ingest.remote import seekable
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits
from corpus_qa.model import InputFile

#: Bytes copied at a time when spooling a compressed Parquet file.
_BLOCK = 8 << 20


# --- JSON ----------------------------------------------------------------------------------


def _looks_like_jsonl(file: InputFile, fmap: FieldMap, limits: IngestLimits) -> bool:
    """A ``.json`` file whose first line is a whole JSON object, and no wrapper of a
    record list (see :mod:`.jsonarray`), is read as JSONL."""
    if limits.json_path is not None:
        return False
    with open_binary(file, limits) as opened:
        stream, _ = recode(opened, file)
        head = stream.readline(min(64 << 20, limits.max_line_bytes)).lstrip(b"\xef\xbb\xbf")
    head = head.strip()
    if not head.startswith(b"{") or json_depth(head) > limits.max_depth:
        return False
    try:
        first = json.loads(head)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(first, dict) and not _wraps_records(first, fmap.all_names())


def _wraps_records(value: dict[str, Any], record_keys: frozenset[str] | set[str]) -> bool:
    """An object with no record field and a list of objects: a wrapper, not a record."""
    if value.keys() & record_keys:
        return False
    return any(
        isinstance(item, list) and item and isinstance(item[0], dict)
        for key, item in value.items()
        if key not in record_keys
    )


def read_json(
    file: InputFile,
    stream: BinaryIO,
    chunk_size: int,
    fmap: FieldMap,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[RecordBatch]:
    pending: list[Element] = []

    def flush() -> RecordBatch:
        pos = Positions(
            file.display,
            [e.line for e in pending],
            [e.offset for e in pending],
            [e.raw for e in pending],
            index_ids=True,
            first_index=pending[0].index,
        )
        values = [e.value for e in pending]
        pending.clear()
        return make_batch(file, [map_rows(values, pos, fmap)])

    for element in iter_values(stream, limits, frozenset(fmap.all_names())):
        pending.append(element)
        if len(pending) >= chunk_size:
            yield flush()
    if pending:
        yield flush()
    truncated = truncation_of(stream)
    if truncated is not None:
        yield stopped(file, truncated, None, None, None, stop_kind_of(stream))


# --- CSV -----------------------------------------------------------------------------------


def read_csv(
    file: InputFile,
    stream: BinaryIO,
    chunk_size: int,
    fmap: FieldMap,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[RecordBatch]:
    # Article bodies exceed the csv module's default 128 KiB field limit; a field past
    # the line cap is an error of its row (input.too_large), never held whole.
    cap = limits.max_line_bytes
    csv.field_size_limit(min(sys.maxsize, cap))
    seen: dict[int, tuple[int, bytes]] = {}
    state = {"line": 0, "offset": 0}
    oversized: list[tuple[int, int, int]] = []  # (line, offset, bytes) of skipped lines

    def text_lines() -> Iterator[str]:
        while raw := stream.readline(cap + 1):
            if len(raw) > cap and not raw.endswith(b"\n"):
                # Too long to hold: counted and dropped up to its newline, read as empty.
                size = len(raw)
                while more := stream.readline(1 << 20):
                    size += len(more)
                    if more.endswith(b"\n"):
                        break
                state["line"] += 1
                oversized.append((state["line"], state["offset"], size))
                state["offset"] += size
                yield "\n"
                continue
            if state["line"] == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw, state["offset"] = raw[3:], 3
            state["line"] += 1
            seen[state["line"]] = (state["offset"], raw)
            state["offset"] += len(raw)
            yield raw.decode("utf-8", errors="surrogateescape")

    reader = csv.reader(text_lines())
    header: list[str] | None = None
    values: list[object] = []
    lines: list[int] = []
    offsets: list[int] = []
    raws: list[bytes] = []
    while True:
        start = state["line"] + 1
        problem: Failed | None = None
        try:
            row = next(reader, None)
        except csv.Error as error:
            kind = "input.too_large" if "field larger" in str(error) else "input.malformed"
            row, problem = [""], Failed(f"malformed CSV row: {error}", kind)
        while oversized:
            line, offset, size = oversized.pop(0)
            values.append(
                Failed(
                    f"line of {size:,} bytes is longer than --max-line-bytes ({cap:,}): "
                    "skipped unread",
                    "input.too_large",
                )
            )
            lines.append(line)
            offsets.append(offset)
            raws.append(b"")
        if row is None:
            break
        if not row:
            continue  # a blank line
        end = state["line"]
        offset = seen[start][0] if start in seen else 0
        raw = b"".join(seen[n][1] for n in range(start, end + 1) if n in seen)
        for n in [n for n in seen if n <= end]:
            del seen[n]
        if header is None:
            header = [str(name).strip() for name in row]
            continue
        values.append(problem or _csv_record(header, row, raw, offset))
        lines.append(start)
        offsets.append(offset)
        raws.append(raw)
        if len(values) >= chunk_size:
            yield make_batch(
                file, [map_rows(values, Positions(file.display, lines, offsets, raws), fmap)]
            )
            values, lines, offsets, raws = [], [], [], []
    if values and isinstance(values[-1], Failed) and raws[-1] and not raws[-1].endswith(b"\n"):
        # The file's last row, unterminated and unreadable: cut short mid-write.
        reason = f"the file ends inside this row ({values[-1].reason}): cut short mid-write"
        values[-1] = Failed(reason, "input.truncated")
    if values:
        yield make_batch(
            file, [map_rows(values, Positions(file.display, lines, offsets, raws), fmap)]
        )
    truncated = truncation_of(stream)
    if truncated is not None:
        yield stopped(file, truncated, state["line"], state["offset"], None, stop_kind_of(stream))


def _csv_record(header: list[str], row: list[str], raw: bytes, offset: int) -> object:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        where = offset + error.start
        return Failed(f"invalid UTF-8 at byte {where}", "encoding.invalid_utf8", where)
    if len(row) != len(header):
        return Failed(f"row has {len(row)} fields, the header has {len(header)}")
    return dict(zip(header, row, strict=True))


# --- Parquet -------------------------------------------------------------------------------


def read_parquet(
    file: InputFile,
    stream: BinaryIO,
    chunk_size: int,
    fmap: FieldMap,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[RecordBatch]:
    # Parquet needs random access: a remote file is read by range requests.
    source: Any = file.path if file.url is None else seekable(file)
    if file.compression is not None:
        # Parquet needs random access: spool the decompressed file (disk above 64 MiB).
        spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115
        shutil.copyfileobj(stream, spool, _BLOCK)
        spool.seek(0)
        source = spool
        truncated = truncation_of(stream)
        if truncated is not None:
            yield stopped(file, truncated, None, None, None, stop_kind_of(stream))
            return
    import pyarrow.parquet as pq  # only for Parquet inputs

    try:
        parquet = pq.ParquetFile(source)
    except (pa.ArrowException, OSError) as error:
        # Its records, however many, are all lost: never one malformed record.
        reason = f"not a readable Parquet file: {error}"
        yield stopped(file, reason, None, None, None, kind="input.unreadable")
        return
    wanted = fmap.all_names()
    columns = [name for name in parquet.schema_arrow.names if name in wanted]
    row = 0
    batches = parquet.iter_batches(batch_size=chunk_size, columns=columns)
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError) as error:
            yield stopped(
                file,
                f"unreadable Parquet data after row {row}: {error}",
                row + 1,
                None,
                None,
                kind="input.truncated",
            )
            return
        if batch is None:
            return
        lines = range(row + 1, row + batch.num_rows + 1)
        pos = Positions(file.display, lines, index_ids=True, first_index=row)
        yield make_batch(file, [map_table(pa.Table.from_batches([batch]), pos, fmap)])
        row += batch.num_rows


READERS = {"jsonl": read_jsonl, "json": read_json, "csv": read_csv, "parquet": read_parquet}


def _range_readable(file: InputFile) -> bool:
    """A regular, uncompressed file that is UTF-8 with LF (or CRLF) line ends as is."""
    if file.compression is not None:
        return False
    with open_binary(file) as opened:
        if file.url is None and not stat.S_ISREG(os.fstat(opened.fileno()).st_mode):
            return False
        _, issues = recode(opened, file)
        return not issues  # recoding (UTF-16, cp1252, CR-only) reports an issue


def plan_records(
    file: InputFile,
    chunk_size: int,
    fmap: FieldMap,
    digests: Digests | None = None,
    parts: int = 1,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[RecordBatch | LineRange]:
    """One record file as batches of at most ``chunk_size`` records, in file order.

    A plain JSONL file comes as :class:`LineRange` s instead, read and parsed by
    :func:`load_range` in the process that checks them.
    """
    reader = READERS[file.format]
    if file.format == "json" and _looks_like_jsonl(file, fmap, limits):
        reader = read_jsonl
    if reader is read_jsonl and _range_readable(file):
        yield from plan_ranges(file, chunk_size, fmap, digests=digests, parts=parts, limits=limits)
        return
    with open_binary(file, limits) as opened:
        stream, issues = (opened, []) if file.format == "parquet" else recode(opened, file)
        for batch in reader(file, stream, chunk_size, fmap, limits):
            # A recoded file says so once, with its first batch.
            batch.issues.extend(issues)
            issues = []
            yield batch
        if issues:
            yield RecordBatch(file, empty_frame(file.display), [], 0, issues)
        stream.close()


def read_records(
    file: InputFile, chunk_size: int, fmap: FieldMap, limits: IngestLimits = DEFAULT_LIMITS
) -> Iterator[RecordBatch]:
    """Stream one record file as batches of at most ``chunk_size`` records."""
    for unit in plan_records(file, chunk_size, fmap, limits=limits):
        yield load_range(unit) if isinstance(unit, LineRange) else unit


__all__ = ["LineRange", "RecordBatch", "empty_frame", "load_range", "plan_records", "read_records"]
