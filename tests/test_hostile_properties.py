"""Properties over hostile bytes: readers and the page parser never raise, every record
is accounted for, and the reports always render.

They call the readers and the parser directly (not whole CLI runs) so that each can
afford its profile's examples (tests/conftest.py: ``dev``, ``full``); ``make fuzz`` runs
the ``fuzz`` profile.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.findings.tally import ChunkStats
from corpus_qa.gate.policy import load_policy
from corpus_qa.gate.verdict import CheckResult, Verdict
from corpus_qa.ingest.fields import FieldMap
from corpus_qa.ingest.jsonarray import iter_values
from corpus_qa.ingest.page_files import clean_text, decode_text
from corpus_qa.ingest.recode import recode
from corpus_qa.ingest.records import read_csv, read_records
from corpus_qa.model import InputFile
from corpus_qa.parse import parse_page
from corpus_qa.reports.json_report import build_report
from corpus_qa.reports.terminal import summary
from corpus_qa.run.runner import RunOptions, RunResult

NASTY = st.sampled_from(
    ["\x00", "\r", "\r\n", "\x1b[2J", "\u202e", "\ufeff", "\udcff", "\ud800", "서울", "é", "\t"]
)
TEXT = st.lists(st.one_of(st.text(max_size=20), NASTY), max_size=8).map("".join)
PAGE_LINES = st.sampled_from(
    [
        "# Japan lurches right",
        "Korea Herald",
        "4 hours ago",
        "- Korea Herald",
        "By Robert J. Fouser",
        "![[Robert J. Fouser] Japan lurches right](https://img.example/_next/image?url=x&w=48)",
        "![logo](/logo.png)",
        "Try Our AI Features",
        "Comments",
        "No comments yet...",
        "Related Articles",
        "(Yonhap)",
        "[Editorial] A title",
        "robertjfouser@",
        "[email protected]",
        "",
        "---",
    ]
)
PAGE = st.lists(st.one_of(PAGE_LINES, TEXT), max_size=25).map("\n".join)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    # One folder for all examples: a temp dir per example costs more than the test.
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _file(folder: Path, name: str, data: bytes, fmt: str) -> InputFile:
    path = folder / name
    path.write_bytes(data)
    return InputFile(path, name, fmt)


@given(st.binary(max_size=600))
def test_page_bytes_decode_and_parse(data: bytes) -> None:
    file = InputFile(Path("p.txt"), "p.txt", "pages")
    text, issues = decode_text(data, file)
    text, more = clean_text(text, file)
    assert "\x00" not in text and "\r" not in text
    assert all(i.source_path == "p.txt" for i in [*issues, *more])
    parse_page(text, "p.txt")


@given(PAGE)
def test_structured_pages_parse_and_place_every_line(text: str) -> None:
    text, _ = clean_text(text, InputFile(Path("p.txt"), "p.txt", "pages"))
    page = parse_page(text, "p.txt")
    lines = text.count("\n") + 1
    for article in page.articles:
        assert 1 <= article.line_start <= article.line_end <= lines
        for image in article.images:
            assert 1 <= image.line <= lines


RECORD = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(), TEXT), "text": TEXT},
    optional={
        "title": st.one_of(st.none(), TEXT),
        "author": st.one_of(TEXT, st.integers(), st.lists(TEXT, max_size=2), st.none()),
        "images": st.one_of(TEXT, st.lists(st.fixed_dictionaries({"src": TEXT}), max_size=2)),
    },
)
JSONL_LINE = st.one_of(
    RECORD.map(lambda r: json.dumps(r).encode()),
    st.sampled_from([b"null", b"{", b"[1]", b'"s"', b"{} {}", b"\xff\xfe", b"   ", b"\x00" * 5]),
    st.binary(max_size=30),
)


# Few lines and mostly one batch: each batch builds a DataFrame (~15 ms), and this
# property must run 2,000 examples in well under a minute.
@given(st.lists(JSONL_LINE, max_size=12), st.sampled_from([5, 64]))
def test_jsonl_reader_accounts_for_every_line(folder: Path, lines: list[bytes], chunk: int) -> None:
    data = b"\n".join(lines)
    file = _file(folder, "f.jsonl", data, "jsonl")
    total = 0
    for batch in read_records(file, chunk, FieldMap()):
        assert batch.records_read == len(batch.frame) + len(batch.quarantined)
        assert batch.records_read <= chunk
        assert batch.frame["record_id"].notna().all()
        total += batch.records_read
    if b"\r" not in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # One record per non-blank line, read or quarantined: none lost, none invented.
        # (A leading UTF-8 BOM is not part of the first record.)
        body = data.removeprefix(b"\xef\xbb\xbf")
        assert total == sum(1 for line in body.split(b"\n") if line.strip())


@given(
    st.one_of(
        st.binary(max_size=300),
        st.lists(st.one_of(RECORD, st.integers(), st.none(), TEXT), max_size=4).map(
            lambda items: json.dumps(items).encode()
        ),
        st.tuples(st.lists(RECORD, max_size=3), st.integers(0, 200)).map(
            lambda t: json.dumps(t[0]).encode()[: t[1]]  # cut anywhere
        ),
    )
)
def test_json_array_reader_never_raises(data: bytes) -> None:
    offsets = [element.offset for element in iter_values(io.BytesIO(data))]
    assert offsets == sorted(offsets)
    assert all(0 <= offset <= len(data) for offset in offsets)


CSV_CELL = st.one_of(TEXT, st.sampled_from(['"', '""', ",", "\n", '"a,b"', "\r\n"]))


@given(st.lists(st.lists(CSV_CELL, min_size=1, max_size=4), max_size=6))
def test_csv_reader_never_raises(rows: list[list[str]]) -> None:
    data = ("id,title,text\n" + "\n".join(",".join(row) for row in rows)).encode(
        "utf-8", "surrogatepass"
    )
    file = InputFile(Path("f.csv"), "f.csv", "csv")
    for batch in read_csv(file, io.BytesIO(data), 64, FieldMap()):
        assert batch.records_read == len(batch.frame) + len(batch.quarantined)


@given(st.binary(max_size=400))
def test_recoding_never_raises_and_yields_utf8(data: bytes) -> None:
    stream, issues = recode(io.BufferedReader(io.BytesIO(data)), InputFile(Path("f"), "f", "jsonl"))  # type: ignore[arg-type]
    out = stream.read()
    if any("not UTF-8" in issue.reason for issue in issues):
        out.decode("utf-8")  # a stream recoded from another encoding is valid UTF-8
    elif not issues:
        assert out == data


_POLICY = load_policy(None)


@given(name=TEXT, check_id=TEXT, reason=TEXT, read=st.integers(0, 10**9), bad=st.integers(0, 10))
def test_reports_always_render(name: str, check_id: str, reason: str, read: int, bad: int) -> None:
    stats = ChunkStats()
    stats.add_input(name, read=read + bad, quarantined=bad)
    result = RunResult(
        options=RunOptions(dump=name, out_dir=Path("out")),
        policy=_POLICY,
        started_at=datetime.now(UTC),
        finished_at=datetime.now(UTC),
        inputs=[{"path": name, "sha256": None, "records_read": read + bad}],
        stats=stats,
        checks=[
            CheckResult(
                id=check_id,
                name=check_id,
                severity="error",
                scope="record",
                count=bad,
                records=bad,
                rate=0.0,
                denominator=read,
                max_rate=None,
                max_count=0,
                exempted=0,
                enabled=True,
                by_outlet={},
            )
        ],
        verdict=Verdict(passed=False, fail_on="error", reasons=[reason]),
        samples={},
        records={},
        chrome=[],
        quarantined=[],
        skipped=[],
        findings_path=Path("out/findings.jsonl"),
        findings_count=0,
    )
    report = build_report(result)
    json.dumps(report, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    assert report["counts"]["records_read"] == report["counts"]["records_checked"] + bad
    shown = summary(result, [Path("out/report.json")])
    assert not any(c in shown for c in "\x00\r\x1b\u202e")
    shown.encode("utf-8")  # no lone surrogate reaches the terminal
