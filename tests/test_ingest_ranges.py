"""Plain JSONL files split into line ranges that workers read and parse themselves.

The planner must cut only at line ends, number lines exactly, and the records, line
numbers and quarantine read range by range must be those of the streaming reader
(which compressed files still use), whatever the chunk size, byte cap and --jobs.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from corpus_qa.ingest import (
    FieldMap,
    LineRange,
    RecordBatch,
    discover,
    iter_plan,
    iter_units,
    load_unit,
)
from corpus_qa.ingest.ranges import Digests, count_newlines, load_range, plan_ranges
from corpus_qa.ingest.recode import HEAD, sniff
from corpus_qa.model import InputFile
from corpus_qa.run.chunk import chunk_units
from corpus_qa.run.inputs import size_and_hash
from corpus_qa.testing.synth import generate_records
from tests.conftest import examples, run_check

# Lines a scraped dump really holds: records, damage, and what pyarrow must never see.
LINES = st.one_of(
    st.sampled_from(
        [
            b'{"id": "007", "text": "Body one.", "author": "Ana Souza"}',
            b'{"id": 8, "title": "T", "text": "x", "author": ["A", "B"]}',
            b'{"id": "9", "text": "Seoul \xec\x84\x9c\xec\x9a\xb8", "images": [{"src": "a.jpg"}]}',
            b'{"id": "10", "text": "bad \xff byte"}',
            b'{"id": "11", "text": "cut',
            b"null",
            b"[1, 2]",
            b'"just a string"',
            b"",
            b"   ",
            b'{"id": "12", "text": "crlf"}\r',
            b'{"a": 1} {"b": 2}',
            b"\x00\x00\x00",
        ]
    ),
    st.binary(max_size=12),
)


def _plain(path: Path) -> InputFile:
    return InputFile(path, path.name, "jsonl")


def _records(batches: list[RecordBatch]) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """Rows (without the batch-local index) and quarantine entries, in file order."""
    frames = [b.frame for b in batches if len(b.frame)]
    rows = pd.concat(frames, ignore_index=True).astype(object) if frames else pd.DataFrame()
    # A range's images column is one Arrow list array (its elements read as lists of
    # dicts); as ``object`` pandas gives numpy arrays of those dicts: compare as lists.
    rows = rows.where(rows.notna(), None)
    rows = rows.map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v).astype(object)
    quarantined = [
        (q.line, q.reason, q.kind, q.byte_offset, q.raw) for b in batches for q in b.quarantined
    ]
    return rows.to_dict("records"), quarantined


def _check_plan(data: bytes, parts: list[LineRange], chunk_size: int, chunk_bytes: int) -> None:
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    line = 1
    for part in parts:
        assert (part.start, part.first_line) == (start, line)
        body = data[part.start : part.stop]
        assert body, "no empty range"
        # Empty lines do not fill a chunk: only lines with content count.
        filled = [ln for ln in body.split(b"\n") if ln not in (b"", b"\r")]
        assert part.lines >= 1
        assert len(filled) <= chunk_size
        # Cut only at line ends: every range but the file's last ends with a newline.
        last = part.stop == len(data)
        assert body.endswith(b"\n") or last
        assert part.lines == body.count(b"\n") + (not body.endswith(b"\n"))
        assert part.stop - part.start <= chunk_bytes or part.lines == 1
        start, line = part.stop, line + part.lines
    assert start == len(data)  # the ranges cover the file


@given(
    lines=st.lists(LINES, max_size=40),
    trailing_newline=st.booleans(),
    bom=st.booleans(),
    chunk_size=st.integers(1, 12),
    chunk_bytes=st.integers(1, 300),
    block=st.integers(1, 70),
    shares=st.integers(1, 3),
)
# A CRLF line whose "\r\n" opens a block: the line began in the block before.
@example(
    lines=[b'{"id": "12", "text": "crlf"}\r', b'{"id": "007", "text": "Body one."}'],
    trailing_newline=False,
    bom=True,
    chunk_size=1,
    chunk_bytes=87,
    block=2,
    shares=1,
)
@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_ranges_read_what_the_streaming_reader_reads(
    lines: list[bytes],
    trailing_newline: bool,
    bom: bool,
    chunk_size: int,
    chunk_bytes: int,
    block: int,
    shares: int,
) -> None:
    data = b"\n".join(lines) + (b"\n" if trailing_newline and lines else b"")
    data = (b"\xef\xbb\xbf" if bom else b"") + data
    # Files that need recoding (CR-only line ends, a legacy code page) are never
    # range-read (see corpus_qa.ingest.records): the streaming path recodes them.
    assume(sniff(data[:HEAD]).plain)
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "d.jsonl"
        plain.write_bytes(data)
        file = _plain(plain)
        digests: Digests = {}
        # With shares, the file's tail is cut in even ranges: the caps hold all the same.
        plan = plan_ranges(
            file, chunk_size, FieldMap(), chunk_bytes, block=block, digests=digests, parts=shares
        )
        parts = list(plan)
        _check_plan(data, parts, chunk_size, chunk_bytes)
        # The planner read every byte, BOM included: its digest is the file's.
        size, _, digest = digests[str(plain)]
        assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest())
        ranged = [load_range(part) for part in parts]
        for batch in ranged:
            assert batch.records_read == len(batch.frame) + len(batch.quarantined)
        # The same bytes gzipped take the streaming path, chunked by lines only.
        packed = Path(folder) / "d.jsonl.gz"
        packed.write_bytes(gzip.compress(data))
        streamed = [
            unit
            for unit in iter_units([InputFile(packed, "d.jsonl", "jsonl", "gzip")], chunk_size=5)
            if isinstance(unit, RecordBatch)
        ]
        assert _records(ranged) == _records(streamed)


def test_a_plain_file_is_planned_not_read(tmp_path: Path) -> None:
    records = list(generate_records(40, seed=3))
    plain = tmp_path / "d.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (tmp_path / "z.jsonl.gz").write_bytes(gzip.compress(plain.read_bytes()))
    planned = list(iter_plan(discover(tmp_path), chunk_size=15))
    assert [type(u).__name__ for u in planned] == ["LineRange"] * 3 + ["RecordBatch"] * 3
    assert [u.where for u in planned if isinstance(u, LineRange)] == [
        "d.jsonl:1",
        "d.jsonl:16",
        "d.jsonl:31",
    ]
    loaded = [load_unit(u) for u in planned]
    assert [len(u.frame) for u in loaded if isinstance(u, RecordBatch)] == [15, 15, 10] * 2


def test_a_file_that_shrinks_after_planning_is_reported(tmp_path: Path) -> None:
    records = list(generate_records(30, seed=3))
    plain = tmp_path / "d.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    first, second = plan_ranges(_plain(plain), 15, FieldMap())
    with plain.open("r+b") as handle:
        handle.truncate(second.start + 10)
    assert len(load_range(first).frame) == 15
    batch = load_range(second)
    [entry] = batch.quarantined
    assert (entry.line, entry.kind) == (16, "input.changed")
    assert "shrank" in entry.reason and len(batch.frame) == 0


# --- end to end: a boundary mid-file, bad lines on it, --jobs and chunk sizes ---------------


def _damaged_dump(folder: Path) -> Path:
    """600 generated records; bad lines at lines 150/151 (a boundary at --chunk-size 150),
    a `null` opening the chunk at 301, bad UTF-8 closing it at 450, a blank line, and
    no trailing newline."""
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in generate_records(600, seed=13)]
    lines[149] = b'{"id": "cut-150", "text": "the writer died'
    lines[150] = b"{not json at all}"
    lines[300] = b"null"
    lines[449] = lines[449].replace(b'"text": "', b'"text": "\xff\xfe', 1)
    lines[500] = b""
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / "feed.jsonl"
    dump.write_bytes(b"\n".join(lines))
    return dump


def _bad_lines(findings: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [
        (f["line"], f["check"])
        for f in findings
        if f["check"].startswith(("input.", "encoding.")) and f["source_path"] == "feed.jsonl"
    ]


@pytest.mark.slow
def test_findings_are_identical_across_jobs_and_chunk_sizes(tmp_path: Path) -> None:
    dump = _damaged_dump(tmp_path / "plain")
    runs = {
        (jobs, chunk): run_check(
            dump, tmp_path / f"out-{jobs}-{chunk}", "--jobs", str(jobs), "--chunk-size", str(chunk)
        )
        for jobs, chunk in [(1, 150), (2, 150), (2, 97), (1, 10_000), (2, 10_000)]
    }
    code, report, findings = runs[(1, 10_000)]
    assert _bad_lines(findings) == [
        (150, "input.malformed"),
        (151, "input.malformed"),
        (301, "input.malformed"),
        (450, "encoding.invalid_utf8"),
    ]
    counts = report["counts"]
    assert (counts["records_read"], counts["records_quarantined"]) == (599, 4)
    assert counts["records_checked"] == 595
    for key, (other_code, other, other_findings) in runs.items():
        assert other_code == code, key
        assert other_findings == findings, key  # same findings, same order
        assert other["checks"] == report["checks"], key
        assert other["counts"] == counts, key
    # The streaming reader (compressed input) agrees with the ranges, line for line.
    packed = tmp_path / "gz" / "feed.jsonl.gz"
    packed.parent.mkdir()
    packed.write_bytes(gzip.compress(dump.read_bytes()))
    _, gz_report, gz_findings = run_check(packed, tmp_path / "out-gz", "--chunk-size", "150")
    # Only the file's name differs (in source_path and in messages naming a line).
    renamed = json.dumps(gz_findings).replace("feed.jsonl.gz", "feed.jsonl")
    assert json.loads(renamed) == findings
    assert gz_report["counts"] == counts


def test_a_file_changed_after_planning_is_hashed_again(tmp_path: Path) -> None:
    records = list(generate_records(30, seed=3))
    plain = tmp_path / "d.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    digests: Digests = {}
    list(plan_ranges(_plain(plain), 15, FieldMap(), digests=digests))
    assert size_and_hash(plain, True, digests)[1] == hashlib.sha256(plain.read_bytes()).hexdigest()
    with plain.open("ab") as handle:
        handle.write(b'{"id": "late"}\n')
    size, digest = size_and_hash(plain, True, digests)
    assert (size, digest) == (plain.stat().st_size, hashlib.sha256(plain.read_bytes()).hexdigest())


def test_the_last_file_ends_in_two_even_ranges_per_worker(tmp_path: Path) -> None:
    records = list(generate_records(60, seed=3))
    plain = tmp_path / "d.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    data = plain.read_bytes()
    longest = max(len(line) + 1 for line in data.splitlines())
    cap = len(data) * 2 // 5  # two and a half ranges' worth of bytes
    alone = list(plan_ranges(_plain(plain), 1000, FieldMap(), cap))
    shared = list(plan_ranges(_plain(plain), 1000, FieldMap(), cap, parts=2))
    sizes = [part.stop - part.start for part in shared]
    # Alone, one worker would check the short last range while the other idles.
    assert len(alone) == 3 and alone[2].stop - alone[2].start < cap // 2 + longest
    # Shared: the rest in four even ranges, taken by whichever worker frees up first.
    assert len(shared) == 5 and sizes[0] > cap - longest
    # Each range ends within a line of its share of what is left; the last takes the rest.
    assert max(sizes[1:]) - min(sizes[1:]) <= 2 * longest
    _check_plan(data, shared, 1000, cap)
    # A range closed at its cap is a chunk of its own, even of fewer than chunk_size lines.
    assert all(part.closes for part in shared[:-1])
    assert [len(chunk) for chunk in chunk_units(shared, 1000)] == [1, 1, 1, 1, 1]


@given(
    data=st.binary(max_size=200).map(lambda b: b.replace(b"\x0b", b"\n")),
    cut=st.integers(0, 200),
    window=st.integers(1, 70),
)
def test_newlines_counted_by_window_are_those_bytes_count_counts(
    data: bytes, cut: int, window: int
) -> None:
    buffer = bytearray(data)
    size = min(cut, len(buffer))
    assert count_newlines(buffer, size, window) == buffer.count(b"\n", 0, size)


def test_a_range_parsed_in_one_piece_reads_what_pieces_read(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # Workers parse each range in one piece (ingest.jsonl.parse_in_one_piece); the
    # parent and --jobs 1 in pieces on threads. Bad lines included (they bisect).
    from corpus_qa.ingest import jsonl

    dump = _damaged_dump(tmp_path / "d")
    parts = list(plan_ranges(_plain(dump), 10_000, FieldMap(), 1 << 20))
    monkeypatch.setattr(jsonl, "_ARROW_PIECE", 4096)  # many pieces even for this dump
    pieces = _records([load_range(part) for part in parts])
    monkeypatch.setattr(jsonl, "_ONE_PIECE", True)
    assert len(jsonl._pieces(dump.read_bytes(), 0, dump.stat().st_size) or []) == 1
    whole = _records([load_range(part) for part in parts])
    assert whole == pieces
    assert len(pieces[0]) == 595 and len(pieces[1]) == 4  # the blank line is no record


# Lines of a dump: articles of kilobytes, short records, blank lines, CRLF.
_LINE_RUNS = st.lists(
    st.tuples(
        st.sampled_from([0, 1, 5, 300, 1023, 1024, 1025, 3000]),
        st.sampled_from([b"\n", b"\r\n", b"\n\n", b""]),
    ),
    max_size=40,
)


@given(
    runs=_LINE_RUNS,
    cut=st.integers(0, 60_000),
    before=st.sampled_from([0x0A, 0x0D, ord("}")]),
    window=st.integers(1, 5000),
)
# A buffer opening on an empty line, after a newline or not; then short lines, compared.
@example(runs=[(0, b"\n"), (3000, b"\n")], cut=60_000, before=0x0A, window=7)
@example(runs=[(0, b"\n"), (3000, b"\n")], cut=60_000, before=0x0D, window=7)
@example(runs=[(3000, b"\n")] + [(0, b"\n\n")] * 20, cut=60_000, before=0x0A, window=3)
def test_lines_walked_or_compared_are_counted_alike(
    runs: list[tuple[int, bytes]], cut: int, before: int, window: int
) -> None:
    # count_lines walks long lines with memchr and compares short ones: the same counts
    # as comparing every byte, wherever a run of long or short lines starts.
    from corpus_qa.ingest.ranges import _compare_lines, count_lines

    buffer = bytearray(b"".join(b"x" * length + end for length, end in runs))
    size = min(cut, len(buffer))
    ends = [at for at in range(size) if buffer[at] == 0x0A]
    filled = sum(1 for at in ends if (buffer[at - 1] if at else before) != 0x0A)
    assert count_lines(buffer, size, before, window) == (len(ends), filled)
    assert _compare_lines(buffer, 0, size, before, window) == (len(ends), filled)
