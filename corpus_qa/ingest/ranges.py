"""Plain JSONL files as line ranges: the parent finds chunk boundaries, workers parse.

A plain JSON Lines file (uncompressed, UTF-8, LF or CRLF line ends) can be read from
any line start. So the process that plans the chunks never parses a record: it reads
the file in large blocks, counts newlines at memchr speed, and describes each chunk
as a :class:`LineRange`, a byte range ending on a line end plus the number of its
first line. Whoever checks the chunk (a worker process with ``--jobs``) reads and
parses that range itself with :func:`load_range`, so parsing runs on every core, and
the planner holds one block at a time, never the dump: its memory does not grow with
the file (mapping the whole file, as before, did, page by page as it was touched).

A range holds at most ``chunk_size`` lines and at most ``chunk_bytes`` bytes, unless a
single line is longer than that: memory per chunk is bounded by both, so a dump of
long articles does not make chunks of ``chunk_size`` records any bigger than needed.
Compressed and recoded files cannot be read from an offset; they are streamed
(:func:`corpus_qa.ingest.jsonl.read_jsonl`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from corpus_qa.ingest.batch import RecordBatch, stopped, too_large, unreadable
from corpus_qa.ingest.fields import FieldMap
from corpus_qa.ingest.jsonl import parse_range
from corpus_qa.ingest.remote import open_source, read_span, remote_state, source_size
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits
from corpus_qa.model import InputFile

#: Bytes the planner reads at a time (the one buffer it holds).
_BLOCK = 8 << 20
#: Largest range, in bytes, unless one line alone is longer: several thousand articles;
#: an Arrow table and the checks' frames take a few times this.
CHUNK_BYTES = 32 << 20
_BOM = b"\xef\xbb\xbf"
#: Bytes :func:`count_newlines` compares at a time: its mask stays in the cache.
_WINDOW = 1 << 20

#: A file's size, mtime (ns) and sha256 as the planner read it, by path: report.json
#: names each input's sha256, and the planner reads every byte anyway (while the
#: workers check chunks), so the run need not read the file again at its end.
Digests = dict[str, tuple[int, int, str]]


@dataclass(frozen=True)
class LineRange:
    """Lines ``first_line`` .. ``first_line + lines - 1``: bytes ``[start, stop)`` of ``file``.

    Every line but possibly the file's last ends with its newline inside the range;
    each non-blank line is one record (read or quarantined) when the range is loaded.
    """

    file: InputFile
    start: int
    stop: int
    first_line: int
    lines: int
    fields: FieldMap
    #: The planner ended a chunk here (a line or byte cap): no other range joins it.
    closes: bool = False
    limits: IngestLimits = DEFAULT_LIMITS

    @property
    def where(self) -> str:
        return f"{self.file.display}:{self.first_line}"


def load_range(part: LineRange) -> RecordBatch:
    """Read and parse one range: in the process that checks it."""
    size = part.stop - part.start
    if size > part.limits.max_line_bytes:
        # The planner cuts ranges at the line cap: this is one line, too long to hold.
        return too_large(part.file, part.first_line, part.start, size, part.limits.max_line_bytes)
    try:
        data = read_span(part.file, part.start, part.stop)
    except OSError as error:
        return unreadable(part.file, error, part.first_line)
    if len(data) < part.stop - part.start:
        # Truncated (or rewritten) since the chunks were planned: never guess at lines.
        reason = f"the file shrank to {part.start + len(data):,} bytes while it was being checked"
        return stopped(part.file, reason, part.first_line, part.start, None, "input.changed")
    return parse_range(
        part.file, data, part.first_line, part.start, part.lines, part.fields, part.limits
    )


def plan_ranges(
    file: InputFile,
    chunk_size: int,
    fields: FieldMap,
    chunk_bytes: int = CHUNK_BYTES,
    *,
    block: int = _BLOCK,
    digests: Digests | None = None,
    parts: int = 1,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> Iterator[LineRange]:
    """The file's lines as consecutive ranges of whole lines, in file order; once all
    are planned, the file's sha256 goes to ``digests`` (not computed without them).
    With ``parts`` above 1 (the dump's last file, ``parts`` workers), its tail is shared
    out in two even ranges per part. No range but a single line's passes
    ``limits.max_line_bytes``; blank lines do not count toward ``chunk_size``."""
    chunk_bytes = min(chunk_bytes, limits.max_line_bytes)
    with open_source(file, buffering=0) as handle:
        # A UTF-8 BOM is not part of the first record (its byte offsets still count it).
        head = handle.read(len(_BOM))
        start = len(_BOM) if head == _BOM else 0
        planner = _Planner(
            file, fields, chunk_size, chunk_bytes, start, source_size(file, handle), parts, limits
        )
        digest = hashlib.sha256(head[:start]) if digests is not None else None
        # The BOM's bytes were read already: the planner goes on from them.
        head_rest = head[start:]
        yield from planner.split(handle, block, digest, head_rest)
        state = _state(file, handle)
        # Only if what was read is the whole file as it stands (it may have grown).
        if digest is not None and digests is not None and state and planner.read == state[0]:
            digests[file.key] = (*state, digest.hexdigest())


#: Ranges per part that the dump's tail is cut in (see _Planner._balance).
_TAIL_SPLIT = 2


class _Planner:
    """Cuts a stream of blocks into ranges; ``start``/``line``/``count`` is the open one."""

    def __init__(
        self,
        file: InputFile,
        fields: FieldMap,
        chunk_size: int,
        chunk_bytes: int,
        start: int,
        size: int,
        parts: int,
        limits: IngestLimits = DEFAULT_LIMITS,
    ) -> None:
        self.file, self.fields, self.limits = file, fields, limits
        self.max_lines, self.max_bytes, self.cap = chunk_size, chunk_bytes, chunk_bytes
        self.start = self.last_end = start
        self.line = 1
        self.count = 0
        self.records = 0  # the open range's non-empty lines: chunk_size counts these
        self.before = 0x0A  # the byte before the block being cut
        self.read = start
        self.size, self.parts = size, parts
        self.balanced = parts < 2
        self.shares = 0  # even ranges still to cut once balanced
        self._balance(chunk_bytes)

    def _balance(self, typical: int) -> None:
        """Once what is left of the file would make fewer than ``parts`` chunks like
        the last one (``typical`` bytes), cut it in two even ranges per part: the
        workers do not free up together, so whichever does takes the next short range
        and they end within about one of them of each other, not one checking the
        last chunk alone (with one range each, the second idled up to a chunk)."""
        left = self.size - self.start
        if not self.balanced:
            if 0 < left < self.parts * typical:
                self.balanced, self.shares = True, _TAIL_SPLIT * self.parts
                self.max_bytes = min(self.max_bytes, -(-left // self.shares))
            return
        self.shares -= 1
        if self.shares == 1:
            # The last share takes the rest, even a line past the even cut, up to the cap.
            self.max_bytes = max(self.max_bytes, min(left, self.cap))
        elif self.shares > 1:
            # Even shares of what is left: a range ends up to a line short of its share.
            self.max_bytes = min(self.cap, -(-left // self.shares))

    def _cut(self, stop: int, closes: bool = True) -> LineRange:
        part = LineRange(
            self.file,
            self.start,
            stop,
            self.line,
            self.count,
            self.fields,
            closes=closes,
            limits=self.limits,
        )
        typical = stop - self.start
        self.start, self.line, self.count, self.records = stop, self.line + self.count, 0, 0
        if closes:
            self._balance(typical)
        return part

    def split(
        self, handle: BinaryIO, block: int, digest: Any, head: bytes = b""
    ) -> Iterator[LineRange]:
        buffer = bytearray(block)
        base = self.start  # file offset of buffer[0]
        # A stream is read on (no seek back): bytes already read open the first block.
        buffer[: len(head)] = head
        while size := _fill(handle, buffer, len(head)):
            head = b""
            if digest is not None:
                with memoryview(buffer) as view:
                    digest.update(view[:size])
            self.read = base + size
            yield from self._block(buffer, size, base)
            self.before = buffer[size - 1]
            base += size
        if base > self.last_end:
            # The last line has no newline: it is a line all the same.
            if self.count and base - self.start > self.max_bytes:
                yield self._cut(self.last_end)
            self.count += 1
            self.records += 1
            self.last_end = base
        if self.count:
            # The file's end, not a cap: a range of the next file may join its chunk.
            yield self._cut(self.last_end, closes=False)

    def _block(self, buffer: bytearray, size: int, base: int) -> Iterator[LineRange]:
        newlines, filled = count_lines(buffer, size, self.before)
        if self.records + filled < self.max_lines and base + size - self.start <= self.max_bytes:
            # No cut in this block (the common case): count its lines and go on.
            if newlines:
                self.count += newlines
                self.records += filled
                self.last_end = base + buffer.rfind(b"\n", 0, size) + 1
            return
        i = 0
        while (j := buffer.find(b"\n", i, size)) >= 0:
            end = base + j + 1
            if self.count and end - self.start > self.max_bytes:
                yield self._cut(self.last_end)  # this line opens the next range
                continue
            self.count += 1
            # An empty line (or "\r" alone) is no record: it does not fill the chunk. A
            # line begun in the block before has bytes there: it counts (its "\r\n" may
            # open this block).
            self.records += (i == 0 and self.before != 0x0A) or j > i + (buffer[i] == 0x0D)
            self.last_end = end
            i = j + 1
            if self.records == self.max_lines or end - self.start >= self.max_bytes:
                yield self._cut(end)


def _fill(handle: BinaryIO, buffer: bytearray, filled: int) -> int:
    """Read into ``buffer`` after its first ``filled`` bytes; how many it now holds."""
    with memoryview(buffer) as view:
        got = handle.readinto(view[filled:])  # type: ignore[attr-defined]
    return filled + (got or 0)


def _state(file: InputFile, handle: BinaryIO) -> tuple[int, int] | None:
    """``(size, mtime_ns)`` of an open file now."""
    if file.url is not None:
        return remote_state(file)
    info = os.fstat(handle.fileno())
    return info.st_size, info.st_mtime_ns


def count_lines(
    buffer: bytes | bytearray, size: int, before: int = 0x0A, window: int = _WINDOW
) -> tuple[int, int]:
    """``(newlines, non-empty lines)`` ending in ``buffer[:size]``; ``before`` is the
    byte before the buffer. A line is empty when its newline follows another.

    The parent counts every byte of the dump while the workers need both cores. Lines
    of articles run to kilobytes: ``bytes.find`` (memchr) walks from line to line a few
    times faster than a full compare of the buffer, so lines are walked until they
    turn out short (more than one per :data:`_WALKED` bytes), then the rest compared."""
    newlines = filled = i = 0
    # Walked while the lines so far average at least _WALKED bytes (a few short ones
    # at the start aside).
    while newlines < i // _WALKED + 16:
        j = buffer.find(b"\n", i, size)
        if j < 0:
            return newlines, filled
        newlines += 1
        # The bytes from i to j hold no newline: only j == i can follow another.
        filled += j > i or (j == 0 and before != 0x0A)
        i = j + 1
    if i >= size:
        return newlines, filled
    rest_newlines, rest_filled = _compare_lines(buffer, i, size, buffer[i - 1], window)
    return newlines + rest_newlines, filled + rest_filled


#: Bytes per line below which :func:`count_lines` compares instead of walking.
_WALKED = 1024


def _compare_lines(
    buffer: bytes | bytearray, offset: int, size: int, before: int, window: int
) -> tuple[int, int]:
    """:func:`count_lines` of ``buffer[offset:size]`` by comparing every byte."""
    raw = np.frombuffer(buffer, dtype=np.uint8, count=size - offset, offset=offset)
    newlines = filled = 0
    for start in range(0, size - offset, window):
        at = np.flatnonzero(raw[start : start + window] == 0x0A) + start
        newlines += len(at)
        filled += int(np.count_nonzero(raw[at[at > 0] - 1] != 0x0A))
        filled += bool(len(at)) and bool(at[0] == 0) and before != 0x0A
    return newlines, filled


def count_newlines(buffer: bytes | bytearray, size: int, window: int = _WINDOW) -> int:
    """``buffer.count(b"\\n", 0, size)``, four times as fast: the planner counts every
    byte of the dump in the parent, whose CPU comes out of the workers' cores."""
    raw = np.frombuffer(buffer, dtype=np.uint8, count=size)
    return sum(
        int(np.count_nonzero(raw[start : start + window] == 0x0A))
        for start in range(0, size, window)
    )


def _read_into(part: LineRange, buffer: bytearray) -> int:
    """Read ``part``'s bytes of a local file into the start of ``buffer`` (grown as
    needed); how many there were (fewer if the file is shorter now)."""
    want = part.stop - part.start
    if len(buffer) < want:
        buffer.extend(bytes(want - len(buffer)))
    view = memoryview(buffer)
    size = 0
    with open(part.file.path, "rb", buffering=0) as handle:
        handle.seek(part.start)
        while size < want:
            got = handle.readinto(view[size:want])
            if not got:
                break
            size += got
    return size


def bodies_of_lines(
    part: LineRange, lines: Sequence[int], buffer: bytearray | None = None
) -> dict[tuple[str, int], str]:
    """Bodies of some lines (sorted, inside ``part``) of a planned range, keyed by
    ``(file, line)``: only those lines are parsed (near-duplicate confirmation).

    ``buffer``: a local file's range is read into it, kept by the caller from range to
    range (a fresh 32 MiB ``bytes`` a range is mapped and faulted in page by page).
    """
    data: bytes | bytearray
    try:
        if buffer is not None and part.file.url is None:
            data, size = buffer, _read_into(part, buffer)
        else:
            data = read_span(part.file, part.start, part.stop)
            size = len(data)
    except OSError:
        return {}
    # Newlines found one line at a time up to the last wanted line (memchr), not as an
    # index of the whole range: a few wanted lines among thousands.
    picked: list[bytes] = []
    found: list[int] = []
    at, line = 0, part.first_line
    for wanted in lines:
        while line < wanted and at >= 0:
            at = data.find(b"\n", at, size)
            at, line = (at + 1, line + 1) if at >= 0 else (-1, line)
        if at < 0:
            break  # a file cut short since it was checked has fewer lines
        end = data.find(b"\n", at, size)
        picked.append(bytes(data[at : end if end >= 0 else size]))
        found.append(wanted)
    lines = found
    if not picked:
        return {}
    joined = b"\n".join(picked)
    batch = parse_range(part.file, joined, 1, part.start, len(picked), part.fields, part.limits)
    bodies: dict[tuple[str, int], str] = {}
    frame = batch.frame
    for position, body in zip(frame["line_start"], frame["body"], strict=True):
        # The picked lines were parsed as lines 1, 2, ...: position n is lines[n - 1].
        key = (part.file.display, lines[int(position) - 1])
        bodies[key] = "" if pd.isna(body) else str(body)
    return bodies
