"""JSON Lines: parsed with Arrow in parallel pieces, line by line only where that fails.

Text fields are forced to strings in the Arrow schema so ids stay exactly as written
(``"007"``); a chunk Arrow cannot read (a malformed line, mixed types, bad UTF-8) is
bisected until the bad lines are found and parsed with :func:`json.loads`.

Plain files are split into line ranges by :mod:`.ranges` and each range is parsed by
:func:`parse_range` (in a worker process, with ``--jobs``); compressed or recoded
streams cannot be read from an offset and go through :func:`read_jsonl`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.json as pa_json

from corpus_qa.ingest.batch import Part, RecordBatch, make_batch, stopped, too_large
from corpus_qa.ingest.columnar import map_table
from corpus_qa.ingest.compression import stop_kind_of, truncation_of
from corpus_qa.ingest.depth import bracket_positions
from corpus_qa.ingest.fields import Failed, FieldMap, JsonNumber, Positions, map_rows
from corpus_qa.ingest.prescreen import forced_failures
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits
from corpus_qa.model import InputFile

#: Bytes read from a (decompressing) stream at a time.
_BLOCK = 8 << 20
#: Smallest piece of a chunk handed to one Arrow JSON reader thread.
_ARROW_PIECE = 4 << 20
#: Below this many lines a failing JSONL block is parsed line by line.
_BISECT_FLOOR = 16


class _JsonlSchema:
    """Arrow JSON parse options that force text fields to strings (ids stay exact).

    The fast attempt ignores fields we do not map; the types of author and image
    fields (strings, lists, objects) are learned from the first block that has them.
    """

    def __init__(self, fmap: FieldMap, limits: IngestLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        texts = ("record_id", "body", "title", "published_raw", "url", "outlet")
        flexible = (n for n in (*fmap.byline, *fmap.images) if "." not in n)
        self.flexible = list(dict.fromkeys(flexible))
        # A field named twice in one Arrow schema crashes the reader: each name once.
        names = dict.fromkeys(n for t in texts for n in getattr(fmap, t) if "." not in n)
        self.forced = [(n, pa.string()) for n in names if n not in self.flexible]
        self.forced += fmap.nested_types()
        self.learned: dict[str, pa.DataType] = {}
        #: The forced fields, for :data:`_SEEN`.
        self.key = tuple((n, str(t)) for n, t in self.forced)

    def _narrowed(self, pieces: list[memoryview]) -> pa.Table | None:
        """What the inferring read with every forced field gives, from a read that
        forces only the fields earlier reads in this process found values in
        (:data:`_SEEN`), or ``None`` when it cannot tell.

        Most candidate names are absent from any one dump, and each forced field
        costs the parse though it never occurs. A forced field missing from the
        narrowed schema is absent from the data when no column of that name comes
        back inferred; it is then all null, as the full read makes it. One that
        does come back (its type guessed, a date read as a timestamp), or a read
        that fails, leaves the answer to the full read, and the field is forced
        from then on.
        """
        shared = _SEEN.get(self.key)
        if not shared:
            return None
        seen = set(shared)  # one view throughout: another thread may add names
        narrowed = [(n, t) for n, t in self.forced if n in seen]
        left = [(n, t) for n, t in self.forced if n not in seen]
        if not narrowed or not left:
            return None
        try:
            table = self._read(pieces, pa.schema(narrowed), "infer")
        except (pa.ArrowException, UnicodeDecodeError):
            return None
        inferred = {n for n, _ in left} & set(table.column_names)
        if inferred:
            shared.update(inferred)
            return None
        for name, kind in left:
            table = table.append_column(name, pa.nulls(table.num_rows, kind))
        return table

    def _read(self, pieces: list[memoryview], schema: pa.Schema, unexpected: str) -> pa.Table:
        parse = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior=unexpected)

        def one(piece: memoryview) -> pa.Table:
            # One Arrow block per piece: Arrow fails on a record longer than its block.
            options = pa_json.ReadOptions(use_threads=False, block_size=len(piece) + 1)
            source = pa.BufferReader(pa.py_buffer(piece))
            return pa_json.read_json(source, read_options=options, parse_options=parse)

        if len(pieces) == 1:
            return one(pieces[0])
        tables = list(_pool().map(one, pieces))
        return pa.concat_tables(tables, promote_options="permissive")

    def read(self, data: bytes, start: int = 0, stop: int | None = None) -> pa.Table | None:
        """Parse the JSON lines of ``data[start:stop]``, or ``None`` if Arrow cannot."""
        pieces = _pieces(data, start, len(data) if stop is None else stop)
        if pieces is None:
            return None
        flexible = [(n, self.learned.get(n, pa.null())) for n in self.flexible]
        if self.learned or not self.flexible:
            try:
                return self._read(pieces, pa.schema(self.forced + flexible), "ignore")
            except (pa.ArrowException, UnicodeDecodeError):
                pass
        table = self._narrowed(pieces)
        if table is None:
            try:
                table = self._read(pieces, pa.schema(self.forced), "infer")
            except (pa.ArrowException, UnicodeDecodeError):
                return None
            _SEEN.setdefault(self.key, set()).update(
                n for n, _ in self.forced if table.column(n).null_count < table.num_rows
            )
        for name in self.flexible:
            if name in table.column_names and not pa.types.is_null(table.schema.field(name).type):
                self.learned[name] = table.schema.field(name).type
        wanted = dict.fromkeys(n for n, _ in self.forced + flexible)
        return table.select([n for n in wanted if n in table.column_names])


#: Forced fields (a :class:`_JsonlSchema`'s ``key``) -> those a read in this
#: process found values in: only these are forced first (see ``_narrowed``).
_SEEN: dict[tuple[tuple[str, str], ...], set[str]] = {}

_WORKERS = min(4, os.cpu_count() or 2)
#: Parse each range in one piece, on the calling thread (see parse_in_one_piece).
_ONE_PIECE = False


#: A run of non-empty line content (see _jsonl_chunk's slow path).
_NON_EMPTY = re.compile(rb"[^\n]+")
#: Bytes scanned for newlines per numpy step in _line_ends (fits in the cache).
_LINE_WINDOW = 1 << 18


def parse_in_one_piece() -> None:
    """Parse JSON Lines in one piece per range, on the calling thread.

    For ``--jobs`` worker processes, which already keep every core busy: there the
    pieces' threads gained nothing, and their results came in one Arrow chunk per
    piece, which the tables then copied into one array per text column (CPU spent on
    the threads and that copy for nothing).
    """
    global _ONE_PIECE
    _ONE_PIECE = True


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="corpus-qa-json")
    return _POOL


def _forget_pool() -> None:
    # A forked worker inherits the pool object but none of its threads: it would hang.
    global _POOL
    _POOL = None


os.register_at_fork(after_in_child=_forget_pool)


def _pieces(data: bytes, start: int, stop: int) -> list[memoryview] | None:
    """Split ``data[start:stop]`` at newlines into pieces parsed in parallel.

    pyarrow 26 crashes the process (segfault) when an Arrow JSON block *starts* with
    a top-level ``null``, so each piece is one block, and a piece that does not start
    with an object is refused here; the caller then bisects down to that line and
    parses it with the standard library.
    """
    count = 1 if _ONE_PIECE else max(1, min(4 * _WORKERS, (stop - start) // _ARROW_PIECE))
    size = (stop - start) // count
    bounds = [start]
    for k in range(1, count):
        cut = data.find(b"\n", start + k * size, stop)
        if cut < 0 or cut + 1 >= stop:
            break
        if cut + 1 > bounds[-1]:
            bounds.append(cut + 1)
    bounds.append(stop)
    view = memoryview(data)
    pieces = []
    for a, b in pairwise(bounds):
        head = bytes(view[a : min(b, a + 256)]).lstrip()
        if not head.startswith(b"{"):
            return None
        pieces.append(view[a:b])
    return pieces


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
    nul = text.find("\x00")
    if nul >= 0:
        # Usually zero padding left by a crash mid-write: say so, not "control character".
        where = offset + len(text[:nul].encode("utf-8"))
        return Failed(f"NUL byte at byte {where}: not JSON", "input.malformed", where)
    try:
        return json.loads(text, parse_int=JsonNumber, parse_float=JsonNumber)
    except json.JSONDecodeError as error:
        msg = error.msg.removesuffix(" at")  # "Invalid control character at"
        return Failed(f"invalid JSON: {msg} at column {error.colno}")
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
        # Only object lines go to Arrow (see _jsonl_chunk: a `null` line crashes it).
        if all(line.lstrip()[:1] == b"{" for line in lines):
            table = schema.read(b"\n".join(lines))
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
    data: bytes,
    start: int,
    stop: int,
    count: int,
    at: _Cursor,
    file: InputFile,
    fmap: FieldMap,
    schema: _JsonlSchema,
    at_end: bool = False,
) -> RecordBatch:
    """``count`` whole lines, ``data[start:stop]``, the first being line ``at.line``;
    ``at_end``: the block ends the file."""
    # The common case: one object per line, so lines are numbered by position. Arrow
    # gets the chunk only when every line starts with "{" (see _braced_lines): then
    # there is no blank line, and a line holding two objects would
    # make the row count exceed the line count, which _map_arrow rejects. It also
    # keeps top-level scalars away from Arrow: pyarrow 26 segfaults on a `null` line
    # when given an explicit schema. Anything else, or any quarantine, takes the slow
    # path, which knows each record's byte offset.
    line, offset = at.line, at.offset
    at.line, at.offset = line + count, offset + stop - start
    pos = Positions(file.display, range(line, line + count))
    block = data[start:stop]  # the whole buffer (a range read) is not copied
    # Lines nested too deep never reach Arrow (it segfaults on them); a file's last
    # line, cut mid-record, is a truncation, not one malformed record.
    # One scan finds the newlines for the depth screen and the line-start count.
    positions = bracket_positions(block)
    forced = forced_failures(block, at_end, schema.limits, positions)
    if not forced and _braced_lines(block, newlines=positions[1]) == count:
        mapped = _map_arrow(schema.read(block), count, pos, fmap)
        if mapped is not None and not mapped[1]:
            return make_batch(file, [mapped])
    lines: list[bytes] = []
    numbers: list[int] = []
    offsets: list[int] = []
    failed: list[tuple[Failed, int, int, bytes]] = []
    # Only non-empty lines are visited: a block of blank lines (a bomb of newlines)
    # costs one scan in C, not a Python step per line.
    index = cursor = 0
    for match in _NON_EMPTY.finditer(block):
        begin = match.start()
        index += block.count(b"\n", cursor, begin)
        cursor = begin
        part = match.group()
        if index in forced:
            failed.append((forced[index], line + index, offset + begin, part))
        elif part.strip():
            lines.append(part)
            numbers.append(line + index)
            offsets.append(offset + begin)
    pos = Positions(file.display, numbers, offsets, lines)
    parts = _jsonl_lines(lines, pos, fmap, schema) if lines else []
    if failed:
        where = Positions(
            file.display, [f[1] for f in failed], [f[2] for f in failed], [f[3] for f in failed]
        )
        parts.append(map_rows([f[0] for f in failed], where, fmap))
    return make_batch(file, parts)


def _braced_lines(
    block: bytes, window: int = 1 << 20, *, newlines: np.ndarray | None = None
) -> int:
    """Lines of ``block`` that start with "{" (a "{" as its very last byte opens none).

    numpy finds the newlines faster than ``bytes.count(b"\\n{")`` on a 32 MiB range,
    ``window`` bytes at a time, which fit in the cache: over the whole range at once,
    the 32 MiB mask and its index arrays fall out of it and cost several times as much.
    ``newlines``: every newline's position in ``block`` (ascending), if already found.
    """
    raw = np.frombuffer(block, dtype=np.uint8)
    end = max(0, len(raw) - 2)
    if newlines is not None:
        after = newlines[newlines < end] + 1
        return int(np.count_nonzero(raw[after] == 0x7B)) + block.startswith(b"{")
    braced = 0
    for start in range(0, end, window):
        stop = min(start + window, end)
        after = np.flatnonzero(raw[start:stop] == 0x0A) + (start + 1)
        braced += int(np.count_nonzero(raw[after] == 0x7B))
    return braced + block.startswith(b"{")


@dataclass
class _Cursor:
    line: int = 1
    offset: int = 0


def _line_ends(data: bytes, start: int, end: int, n: int) -> tuple[int, int, int]:
    """``(position, lines, filled)``: just past the newline of the ``n``-th non-empty
    line from ``start``, or ``end``; empty lines do not fill a chunk.

    Newlines are found by numpy, ``_LINE_WINDOW`` bytes at a time: a run of millions
    of blank lines (a decompression bomb of newlines) costs no Python step per line.
    """
    if n <= 0:
        return start, 0, 0
    raw = np.frombuffer(data, dtype=np.uint8)
    lines = filled = 0
    begin = start  # where the current line starts
    for window in range(start, end, _LINE_WINDOW):
        stop = min(window + _LINE_WINDOW, end)
        ends = np.flatnonzero(raw[window:stop] == 0x0A) + window
        if not len(ends):
            continue
        begins = np.empty_like(ends)
        begins[0] = begin
        begins[1:] = ends[:-1] + 1
        counted = np.cumsum(ends > begins)
        if counted[-1] >= n - filled:
            index = int(np.searchsorted(counted, n - filled))
            return int(ends[index]) + 1, lines + index + 1, n
        lines += len(ends)
        filled += int(counted[-1])
        begin = int(ends[-1]) + 1
    rest = begin < end
    return end, lines + rest, filled + rest


def _jsonl_window(
    data: bytes,
    start: int,
    end: int,
    final: bool,
    at: _Cursor,
    chunk_size: int,
    file: InputFile,
    fmap: FieldMap,
    schema: _JsonlSchema,
) -> Iterator[RecordBatch | int]:
    """Batches of whole lines from ``data[start:end]``; last, where the unread rest starts."""
    while start < end:
        stop, count, filled = _line_ends(data, start, end, chunk_size)
        if filled < chunk_size and not final:
            break  # an incomplete chunk: wait for more data
        if stop == end and not final and data[end - 1 : end] != b"\n":
            break
        yield _jsonl_chunk(data, start, stop, count, at, file, fmap, schema, final and stop == end)
        start = stop
    yield start


def parse_range(
    file: InputFile,
    data: bytes,
    first_line: int,
    offset: int,
    lines: int,
    fmap: FieldMap,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> RecordBatch:
    """Parse ``data``: ``lines`` whole lines of ``file`` starting at line ``first_line``,
    byte ``offset`` (see :mod:`.ranges`); the last line may lack its newline, and then
    ends the file."""
    at = _Cursor(first_line, offset)
    schema = _JsonlSchema(fmap, limits)
    at_end = not data.endswith(b"\n")
    return _jsonl_chunk(data, 0, len(data), lines, at, file, fmap, schema, at_end)


def read_jsonl(
    file: InputFile,
    stream: BinaryIO,
    chunk_size: int,
    fmap: FieldMap,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[RecordBatch]:
    """Stream a JSONL file that cannot be range-read (compressed, recoded) in batches.

    A line longer than ``limits.max_line_bytes`` is never held: its bytes are counted
    and dropped up to its newline, and it is quarantined as ``input.too_large``.
    """
    schema = _JsonlSchema(fmap, limits)
    at = _Cursor()
    args = (at, chunk_size, file, fmap, schema)
    bom = b"\xef\xbb\xbf"
    pending: list[bytes] = []
    newlines = 0
    tail = 0  # bytes of ``pending`` after its last newline
    skipped = 0  # bytes of an over-long line dropped so far (0: none is)
    while True:
        block = stream.read(_BLOCK)
        if not block:
            break
        if not pending and not skipped and at.offset == 0 and block.startswith(bom):
            block, at.offset = block[3:], 3  # a UTF-8 BOM is not part of the first record
        if skipped:
            newline = block.find(b"\n")
            if newline < 0:
                skipped += len(block)
                continue
            yield _oversized(file, at, skipped + newline + 1, limits)
            skipped, block = 0, block[newline + 1 :]
        pending.append(block)
        found = block.count(b"\n")
        # Non-empty lines, about (runs of empty lines are under-counted): a chunk is
        # tried no later than when it could be full.
        newlines += found - block.count(b"\n\n")
        tail = len(block) - block.rfind(b"\n") - 1 if found else tail + len(block)
        if tail > limits.max_line_bytes:
            # Parse the whole lines held, then drop the over-long one as it streams by.
            data = b"".join(pending)
            for item in _jsonl_window(data, 0, len(data) - tail, True, *args):
                if not isinstance(item, int):
                    yield item
            skipped, pending, newlines, tail = tail, [], 0, 0
            continue
        if newlines < chunk_size:
            continue  # join blocks once per chunk, not once per block
        data = b"".join(pending)
        for item in _jsonl_window(data, 0, len(data), False, *args):
            if isinstance(item, int):
                pending = [data[item:]]
            else:
                yield item
        newlines = pending[0].count(b"\n") - pending[0].count(b"\n\n")
    truncated = truncation_of(stream)
    if skipped:
        yield _oversized(file, at, skipped, limits)
        pending = []
    data = b"".join(pending)
    start = 0
    # A cut archive ends inside a record: that partial line is reported, not parsed.
    end = data.rfind(b"\n") + 1 if truncated is not None else len(data)
    end = max(end, start)
    for item in _jsonl_window(data, start, end, True, *args):
        if not isinstance(item, int):
            yield item
    if truncated is not None:
        tail_bytes = data[end:]
        raw = tail_bytes.decode("utf-8", errors="replace") if tail_bytes else None
        yield stopped(file, truncated, at.line, at.offset, raw, stop_kind_of(stream))


def _oversized(file: InputFile, at: _Cursor, size: int, limits: IngestLimits) -> RecordBatch:
    """The over-long line at ``at`` (``size`` bytes with its newline), quarantined."""
    batch = too_large(file, at.line, at.offset, size, limits.max_line_bytes)
    at.line, at.offset = at.line + 1, at.offset + size
    return batch
