"""Reading record files (JSONL, JSON, CSV, Parquet) into draft frames, batch by batch."""

from __future__ import annotations

import csv
import json
import mmap
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from corpus_qa.ingest.columnar import map_table
from corpus_qa.ingest.compression import open_binary, truncation_of
from corpus_qa.ingest.fields import (
    Failed,
    FieldMap,
    JsonNumber,
    Positions,
    draft_frame,
    map_rows,
)
from corpus_qa.ingest.jsonarray import Element, iter_values
from corpus_qa.model import InputFile, Quarantined

_BLOCK = 8 << 20
#: Arrow's JSON block size: measured fastest at 1-4 MiB with two cores.
_ARROW_BLOCK = 4 << 20
#: Below this many lines a failing JSONL block is parsed line by line.
_BISECT_FLOOR = 16


@dataclass
class RecordBatch:
    """Up to ``chunk_size`` records of one file: the readable ones as a draft frame."""

    file: InputFile
    frame: pd.DataFrame
    quarantined: list[Quarantined] = field(default_factory=list)
    records_read: int = 0


Part = tuple[pd.DataFrame, list[Quarantined]]
Bytes = bytes | mmap.mmap


def _batch(file: InputFile, parts: Sequence[Part]) -> RecordBatch:
    frames = [frame for frame, _ in parts if len(frame)]
    if not frames:
        frame = empty_frame(file.display)
    else:
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    quarantined = [q for _, entries in parts for q in entries]
    return RecordBatch(file, frame, quarantined, len(frame) + len(quarantined))


def empty_frame(display: str) -> pd.DataFrame:
    nothing = pa.array([], pa.large_string())
    names = ("record_id", "body", "title", "byline", "published_raw", "url", "outlet")
    return draft_frame(display, np.empty(0, np.int64), dict.fromkeys(names, nothing), [])


def _stopped(file: InputFile, reason: str, line: int | None, offset: int | None, raw: str | None,
             kind: str = "input.truncated") -> RecordBatch:  # fmt: skip
    entry = Quarantined(file.display, line, f"{reason}; records after this point are lost",
                        offset, raw[:10_000] if raw else None, kind)  # fmt: skip
    return RecordBatch(file, empty_frame(file.display), [entry], 1)


# --- JSONL -------------------------------------------------------------------------------


class _JsonlSchema:
    """Arrow JSON parse options that force text fields to strings (ids stay exact).

    The fast attempt ignores fields we do not map; the types of author and image
    fields (strings, lists, objects) are learned from the first block that has them.
    """

    def __init__(self, fmap: FieldMap) -> None:
        texts = ("record_id", "body", "title", "published_raw", "url", "outlet")
        self.forced = [(n, pa.string()) for t in texts for n in dict.fromkeys(getattr(fmap, t))]
        self.flexible = list(dict.fromkeys((*fmap.byline, *fmap.images)))
        self.learned: dict[str, pa.DataType] = {}

    def _read(self, data: pa.Buffer, block: int, schema: pa.Schema, unexpected: str) -> pa.Table:
        options = pa_json.ReadOptions(block_size=block)
        parse = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior=unexpected)
        return pa_json.read_json(pa.BufferReader(data), read_options=options, parse_options=parse)

    def read(self, data: bytes | memoryview, longest: int = 0) -> pa.Table | None:
        """Parse JSON lines, or ``None`` if Arrow cannot (then go line by line)."""
        buffer = pa.py_buffer(data)
        # Arrow fails on a record longer than its block: make the block fit the longest.
        block = max(_ARROW_BLOCK, 2 * longest + 2)
        flexible = [(n, self.learned.get(n, pa.null())) for n in self.flexible]
        if self.learned or not self.flexible:
            try:
                return self._read(buffer, block, pa.schema(self.forced + flexible), "ignore")
            except (pa.ArrowInvalid, UnicodeDecodeError):
                pass
        try:
            table = self._read(buffer, block, pa.schema(self.forced), "infer")
        except (pa.ArrowInvalid, UnicodeDecodeError):
            return None
        for name in self.flexible:
            if name in table.column_names and not pa.types.is_null(table.schema.field(name).type):
                self.learned[name] = table.schema.field(name).type
        wanted = dict.fromkeys(n for n, _ in self.forced + flexible)
        return table.select([n for n in wanted if n in table.column_names])


def _parse_line(line: bytes, offset: int) -> object:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        where = offset + error.start
        return Failed(
            f"invalid UTF-8 at byte {where} (0x{line[error.start]:02x})",
            "encoding.invalid_utf8",
            where,
        )
    try:
        return json.loads(text, parse_int=JsonNumber, parse_float=JsonNumber)
    except json.JSONDecodeError as error:
        return Failed(f"invalid JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return Failed("invalid JSON: nested too deeply")


def _map_arrow(table: pa.Table | None, count: int, pos: Positions, fmap: FieldMap) -> Part | None:
    if table is None or table.num_rows != count:
        return None
    try:
        return map_table(table, pos, fmap, validate_utf8=True)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # invalid UTF-8 somewhere: only the line-by-line path can say where


def _jsonl_lines(
    lines: list[bytes], pos: Positions, fmap: FieldMap, schema: _JsonlSchema
) -> list[Part]:
    """Parse lines with Arrow; bisect a failing block to find the bad lines."""
    if len(lines) > _BISECT_FLOOR:
        table = schema.read(b"\n".join(lines), max(map(len, lines)))
        mapped = _map_arrow(table, len(lines), pos, fmap)
        if mapped is not None:
            return [mapped]
        mid = len(lines) // 2
        return [
            *_jsonl_lines(lines[:mid], _slice(pos, 0, mid), fmap, schema),
            *_jsonl_lines(lines[mid:], _slice(pos, mid, len(lines)), fmap, schema),
        ]
    offsets = pos.offsets or [0] * len(lines)
    records = [_parse_line(ln, off or 0) for ln, off in zip(lines, offsets, strict=True)]
    return [map_rows(records, pos, fmap)]


def _slice(pos: Positions, start: int, stop: int) -> Positions:
    return Positions(
        pos.display,
        pos.lines[start:stop],
        None if pos.offsets is None else pos.offsets[start:stop],
        None if pos.raws is None else pos.raws[start:stop],
    )


def _jsonl_chunk(
    data: Bytes, start: int, stop: int, count: int, at: _Cursor, file: InputFile,
    fmap: FieldMap, schema: _JsonlSchema,
) -> RecordBatch:  # fmt: skip
    """``count`` whole lines, ``data[start:stop]``, the first being line ``at.line``."""
    # The common case: one record per line, so lines are numbered by position. Arrow
    # skips blank lines, so a row count equal to the line count means there were none
    # (unless a line also held two objects, which JSONL forbids: accepted as a risk,
    # since looking for blank lines costs more than the parse). Any quarantine sends
    # the chunk down the slow path, which knows each record's byte offset.
    line, offset = at.line, at.offset
    at.line, at.offset = line + count, offset + stop - start
    pos = Positions(file.display, range(line, line + count))
    mapped = _map_arrow(schema.read(memoryview(data)[start:stop]), count, pos, fmap)
    if mapped is not None and not mapped[1]:
        return _batch(file, [mapped])
    lines: list[bytes] = []
    numbers: list[int] = []
    offsets: list[int] = []
    for part in data[start:stop].split(b"\n"):
        if part.strip():
            lines.append(part)
            numbers.append(line)
            offsets.append(offset)
        line += 1
        offset += len(part) + 1
    pos = Positions(file.display, numbers, offsets, lines)
    return _batch(file, _jsonl_lines(lines, pos, fmap, schema) if lines else [])


@dataclass
class _Cursor:
    line: int = 1
    offset: int = 0


def _line_ends(data: Bytes, start: int, end: int, n: int) -> tuple[int, int]:
    """``(position, lines)``: just past the ``n``-th newline from ``start``, or ``end``."""
    for done in range(n):
        found = data.find(b"\n", start, end)
        if found < 0:
            return end, done + (start < end)
        start = found + 1
    return start, n


def _jsonl_window(
    data: Bytes, start: int, end: int, final: bool, at: _Cursor, chunk_size: int,
    file: InputFile, fmap: FieldMap, schema: _JsonlSchema,
) -> Iterator[RecordBatch | int]:  # fmt: skip
    """Batches of whole lines from ``data[start:end]``; last, where the unread rest starts."""
    while start < end:
        stop, count = _line_ends(data, start, end, chunk_size)
        if count < chunk_size and not final:
            break  # an incomplete chunk: wait for more data
        if stop == end and not final and data[end - 1 : end] != b"\n":
            break
        yield _jsonl_chunk(data, start, stop, count, at, file, fmap, schema)
        start = stop
    yield start


def read_jsonl(
    file: InputFile, stream: BinaryIO, chunk_size: int, fmap: FieldMap
) -> Iterator[RecordBatch]:
    schema = _JsonlSchema(fmap)
    at = _Cursor()
    args = (at, chunk_size, file, fmap, schema)
    bom = b"\xef\xbb\xbf"
    if file.compression is None and os.fstat(stream.fileno()).st_size > 0:
        # Uncompressed: map the file; Arrow parses slices of it with no copy at all.
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            at.offset = 3 if mapped[:3] == bom else 0
            for item in _jsonl_window(mapped, at.offset, len(mapped), True, *args):
                if not isinstance(item, int):
                    yield item
            return
    pending: list[bytes] = []
    newlines = 0
    while True:
        block = stream.read(_BLOCK)
        if not block:
            break
        if not pending and at.offset == 0 and block.startswith(bom):
            block, at.offset = block[3:], 3  # a UTF-8 BOM is not part of the first record
        pending.append(block)
        newlines += block.count(b"\n")
        if newlines < chunk_size:
            continue  # join blocks once per chunk, not once per block
        data = b"".join(pending)
        line = at.line
        for item in _jsonl_window(data, 0, len(data), False, *args):
            if isinstance(item, int):
                pending = [data[item:]]
            else:
                yield item
        newlines -= at.line - line
    data = b"".join(pending)
    start = 0
    truncated = truncation_of(stream)
    # A cut archive ends inside a record: that partial line is reported, not parsed.
    end = data.rfind(b"\n") + 1 if truncated is not None else len(data)
    end = max(end, start)
    for item in _jsonl_window(data, start, end, True, *args):
        if not isinstance(item, int):
            yield item
    if truncated is not None:
        tail = data[end:]
        raw = tail.decode("utf-8", errors="replace") if tail else None
        yield _stopped(file, truncated, at.line, at.offset, raw)


# --- JSON ----------------------------------------------------------------------------------


def _looks_like_jsonl(file: InputFile) -> bool:
    """A ``.json`` file whose first line is a whole JSON object is read as JSONL."""
    with open_binary(file) as stream:
        head = stream.readline(64 << 20).lstrip(b"\xef\xbb\xbf").strip()
    if not head.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(head), dict)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False


def read_json(
    file: InputFile, stream: BinaryIO, chunk_size: int, fmap: FieldMap
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
        return _batch(file, [map_rows(values, pos, fmap)])

    for element in iter_values(stream):
        pending.append(element)
        if len(pending) >= chunk_size:
            yield flush()
    if pending:
        yield flush()
    truncated = truncation_of(stream)
    if truncated is not None:
        yield _stopped(file, truncated, None, None, None)


# --- CSV -----------------------------------------------------------------------------------


def read_csv(
    file: InputFile, stream: BinaryIO, chunk_size: int, fmap: FieldMap
) -> Iterator[RecordBatch]:
    # Article bodies exceed the csv module's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, 1 << 30)))
    seen: dict[int, tuple[int, bytes]] = {}
    state = {"line": 0, "offset": 0}

    def text_lines() -> Iterator[str]:
        for raw in stream:
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
            row, problem = [""], Failed(f"malformed CSV row: {error}")
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
            yield _batch(
                file, [map_rows(values, Positions(file.display, lines, offsets, raws), fmap)]
            )
            values, lines, offsets, raws = [], [], [], []
    if values:
        yield _batch(file, [map_rows(values, Positions(file.display, lines, offsets, raws), fmap)])
    truncated = truncation_of(stream)
    if truncated is not None:
        yield _stopped(file, truncated, state["line"], state["offset"], None)


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
    file: InputFile, stream: BinaryIO, chunk_size: int, fmap: FieldMap
) -> Iterator[RecordBatch]:
    source: Any = file.path
    if file.compression is not None:
        # Parquet needs random access: spool the decompressed file (disk above 64 MiB).
        spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115
        shutil.copyfileobj(stream, spool, _BLOCK)
        spool.seek(0)
        source = spool
        truncated = truncation_of(stream)
        if truncated is not None:
            yield _stopped(file, truncated, None, None, None)
            return
    try:
        parquet = pq.ParquetFile(source)
    except (pa.ArrowException, OSError) as error:
        yield _stopped(file, f"not a readable Parquet file: {error}", None, None, None,
                       kind="input.malformed")  # fmt: skip
        return
    wanted = fmap.all_names()
    columns = [name for name in parquet.schema_arrow.names if name in wanted]
    row = 0
    batches = parquet.iter_batches(batch_size=chunk_size, columns=columns)
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError) as error:
            yield _stopped(file, f"unreadable Parquet data after row {row}: {error}", row + 1,
                           None, None, kind="input.malformed")  # fmt: skip
            return
        if batch is None:
            return
        lines = range(row + 1, row + batch.num_rows + 1)
        pos = Positions(file.display, lines, index_ids=True, first_index=row)
        yield _batch(file, [map_table(pa.Table.from_batches([batch]), pos, fmap)])
        row += batch.num_rows


READERS = {"jsonl": read_jsonl, "json": read_json, "csv": read_csv, "parquet": read_parquet}


def read_records(file: InputFile, chunk_size: int, fmap: FieldMap) -> Iterator[RecordBatch]:
    """Stream one record file as batches of at most ``chunk_size`` records."""
    reader = READERS[file.format]
    if file.format == "json" and _looks_like_jsonl(file):
        reader = read_jsonl
    with open_binary(file) as stream:
        yield from reader(file, stream, chunk_size, fmap)


__all__ = ["RecordBatch", "read_records"]
