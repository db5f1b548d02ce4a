"""Record dumps: every format x compression, exact ids, field mapping, chunking, bad data."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from corpus_qa.errors import ConfigError
from corpus_qa.ingest import FieldMap, RecordBatch, discover, iter_units, open_binary
from corpus_qa.model import DRAFT_COLUMNS, InputFile

RECORDS: list[dict[str, Any]] = [
    {
        "id": "20240322000001",
        "title": "Budget approved",
        "text": "First paragraph.\n\nSecond paragraph.",
        "author": ["Ana Souza", "Li Wei"],
        "date": "2024-03-22T08:30:00Z",
        "url": "https://news.example.org/a",
        "outlet": "Daily Ledger",
        "images": [{"src": "https://img.example.org/a.jpg", "alt": "Council [photo]"}],
    },
    {
        "id": "007",
        "title": "Tariffs loom",
        "text": "Exporters brace. 서울시는 밝혔다.",
        "author": "Jonas Weber",
        "date": "3 hours ago",
        "url": "https://news.example.org/b",
        "outlet": "Harbor Times",
        "images": [],
    },
    {
        "id": "a-3",
        "title": "Clinic closure",
        "text": "Residents protest.",
        "author": None,
        "date": None,
        "url": None,
        "outlet": "Seoul Wire",
        "images": [{"src": "https://img.example.org/c.jpg", "alt": "Crowd"}],
    },
]


def compress(data: bytes, compression: str | None) -> bytes:
    if compression == "gzip":
        return gzip.compress(data)
    if compression == "zstd":
        return zstandard.ZstdCompressor().compress(data)
    return data


SUFFIX = {None: "", "gzip": ".gz", "zstd": ".zst"}


def jsonl_bytes(records: list[Any]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def write_format(
    folder: Path, fmt: str, compression: str | None, records: list[dict[str, Any]]
) -> Path:
    if fmt == "jsonl":
        data = jsonl_bytes(records)
    elif fmt == "json":
        data = json.dumps(records, indent=2, ensure_ascii=False).encode()
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        names = ["id", "title", "text", "author", "date", "url", "outlet"]
        writer.writerow(names)
        for r in records:
            author = r["author"]
            author = ", ".join(author) if isinstance(author, list) else author
            writer.writerow(
                [
                    ""
                    if r[n] is None and n != "author"
                    else (author if n == "author" else r[n]) or ""
                    for n in names
                ]
            )
        data = out.getvalue().encode()
    else:
        sink = io.BytesIO()
        # Parquet columns have one type: authors as lists of names throughout.
        typed = [
            dict(
                r,
                author=r["author"]
                if isinstance(r["author"], list)
                else [r["author"]]
                if r["author"]
                else [],
            )
            for r in records
        ]
        pq.write_table(pa.Table.from_pylist(typed), sink)
        data = sink.getvalue()
    path = folder / f"dump.{fmt}{SUFFIX[compression]}"
    path.write_bytes(compress(data, compression))
    return path


def read_all(dump: Path | str, **kwargs: Any) -> tuple[pd.DataFrame, list[Any], list[RecordBatch]]:
    batches = [u for u in iter_units(discover(dump), **kwargs) if isinstance(u, RecordBatch)]
    for batch in batches:
        assert batch.records_read == len(batch.frame) + len(batch.quarantined)
        assert tuple(batch.frame.columns) == DRAFT_COLUMNS
    frames = [b.frame for b in batches]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return frame, [q for b in batches for q in b.quarantined], batches


@pytest.mark.parametrize("compression", [None, "gzip", "zstd"])
@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_every_format_and_compression(tmp_path: Path, fmt: str, compression: str | None) -> None:
    path = write_format(tmp_path, fmt, compression, RECORDS)
    frame, quarantined, _ = read_all(path)
    assert quarantined == []
    assert frame["record_id"].tolist() == ["20240322000001", "007", "a-3"]
    assert frame["title"].tolist() == ["Budget approved", "Tariffs loom", "Clinic closure"]
    assert frame["body"].iloc[0] == "First paragraph.\n\nSecond paragraph."
    assert frame["body"].iloc[1] == "Exporters brace. 서울시는 밝혔다."
    assert frame["byline"].iloc[0] == "Ana Souza, Li Wei"
    assert frame["byline"].iloc[1] == "Jonas Weber"
    assert pd.isna(frame["byline"].iloc[2])
    assert frame["byline_source"].tolist()[:2] == ["field", "field"]
    assert pd.isna(frame["byline_source"].iloc[2])
    assert frame["published_raw"].tolist()[:2] == ["2024-03-22T08:30:00Z", "3 hours ago"]
    assert frame["outlet"].tolist() == ["Daily Ledger", "Harbor Times", "Seoul Wire"]
    assert (frame["role"] == "record").all()
    assert frame["source_path"].iloc[0] == path.name
    assert frame["line_start"].equals(frame["line_end"])
    assert frame["title_line"].isna().all()
    assert frame["body_lines"].isna().all()
    if fmt == "jsonl":
        assert frame["line_start"].tolist() == [1, 2, 3]
    if fmt == "csv":
        # Header is line 1; the first body holds a quoted line break.
        assert frame["line_start"].tolist() == [2, 5, 6]
    if fmt == "parquet":
        assert frame["line_start"].tolist() == [1, 2, 3]
    if fmt != "csv":
        assert frame["images"].iloc[0] == [
            {
                "alt": "Council [photo]",
                "src": "https://img.example.org/a.jpg",
                "line": int(frame["line_start"].iloc[0]),
            }
        ]
        assert frame["images"].iloc[1] == []


def test_json_array_element_lines(tmp_path: Path) -> None:
    path = write_format(tmp_path, "json", None, RECORDS)
    frame, _, _ = read_all(path)
    text = path.read_text()
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == "  {"]
    assert frame["line_start"].tolist() == starts


def test_numeric_ids_become_exact_strings(tmp_path: Path) -> None:
    path = tmp_path / "n.jsonl"
    path.write_text(
        '{"id": 42, "text": "a"}\n{"id": 1.50e3, "text": "b"}\n{"id": "007", "text": "c"}\n'
    )
    frame, quarantined, _ = read_all(path)
    assert quarantined == []
    assert frame["record_id"].tolist() == ["42", "1.50e3", "007"]


def test_positional_ids_without_id_field(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"text": "a"}\n\n{"text": "b"}\n')
    (tmp_path / "b.json").write_text('[{"text": "a"}, {"text": "b"}]')
    (tmp_path / "c.csv").write_text("text\na\nb\n")
    frame, _, _ = read_all(tmp_path)
    assert frame["record_id"].tolist() == [
        "a.jsonl:1",
        "a.jsonl:3",
        "b.json#0",
        "b.json#1",
        "c.csv:2",
        "c.csv:3",
    ]
    assert frame["line_start"].tolist()[:2] == [1, 3]


def test_common_field_names_recognized(tmp_path: Path) -> None:
    record = {
        "_id": "x1",
        "headline": "H",
        "maintext": "Body",
        "authors": [{"name": "A. One"}, {"name": "B. Two"}],
        "pubDate": "Mon, 01 Jan 2024",
        "link": "https://e.org/x",
        "source": {"id": "el", "name": "El Diario"},
        "image": "https://img.e.org/x.jpg",
    }
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps(record) + "\n")
    frame, quarantined, _ = read_all(path)
    assert quarantined == []
    row = frame.iloc[0]
    assert (row["record_id"], row["title"], row["body"]) == ("x1", "H", "Body")
    assert row["byline"] == "A. One, B. Two"
    assert row["published_raw"] == "Mon, 01 Jan 2024"
    assert row["url"] == "https://e.org/x"
    assert row["outlet"] == "El Diario"
    assert row["images"] == [{"alt": "", "src": "https://img.e.org/x.jpg", "line": 1}]


def test_custom_field_mapping(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(
        json.dumps({"text": "ignored", "story": "Mapped body", "creator": "C", "writer": "W"})
        + "\n"
    )
    fields = FieldMap.from_options(["body=story", "byline=writer"])
    frame, _, _ = read_all(path, fields=fields)
    assert frame["body"].iloc[0] == "Mapped body"
    assert frame["byline"].iloc[0] == "W"
    with pytest.raises(ConfigError, match="unknown target"):
        FieldMap.from_options(["bodyy=story"])
    with pytest.raises(ConfigError, match="TARGET=FIELD"):
        FieldMap.from_options(["body"])


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_chunking_25_records_by_10(tmp_path: Path, fmt: str) -> None:
    records = [dict(RECORDS[1], id=f"r{i}", images=[]) for i in range(25)]
    path = write_format(tmp_path, fmt, None, records)
    frame, _, batches = read_all(path, chunk_size=10)
    assert [b.records_read for b in batches] == [10, 10, 5]
    assert frame["record_id"].tolist() == [f"r{i}" for i in range(25)]


def test_chunking_compressed_jsonl(tmp_path: Path) -> None:
    records = [dict(RECORDS[1], id=f"r{i}") for i in range(25)]
    path = write_format(tmp_path, "jsonl", "gzip", records)
    frame, _, batches = read_all(path, chunk_size=10)
    assert [b.records_read for b in batches] == [10, 10, 5]
    assert frame["line_start"].tolist() == list(range(1, 26))


def test_malformed_jsonl_line_is_quarantined(tmp_path: Path) -> None:
    lines = [json.dumps(dict(RECORDS[1], id=f"r{i}")) for i in range(40)]
    lines[16] = '{"id": "bad", "text": "x" "title": "y"}'
    lines[30] = '["not", "an", "object"]'
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n")
    frame, quarantined, _ = read_all(path)
    assert len(frame) == 38
    assert [q.line for q in quarantined] == [17, 31]
    bad = quarantined[0]
    assert bad.reason == "invalid JSON: Expecting ',' delimiter at column 27"
    assert bad.raw == lines[16]
    assert bad.byte_offset == sum(len(line) + 1 for line in lines[:16])
    assert bad.source_path == "m.jsonl"
    assert "not an object" in quarantined[1].reason
    assert "r17" in frame["record_id"].tolist()
    assert frame.loc[frame["record_id"] == "r17", "line_start"].item() == 18


def test_bad_records_never_crash(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "text": {"nested": True}},
        {"id": "2"},
        {"id": "3", "text": "ok", "author": 12},
        {"id": "4", "text": "ok", "images": "https://img.e.org/one.jpg"},
        {"id": "5", "text": "ok", "images": 5},
        {"id": "6", "text": "   ", "title": ""},
        {"id": "7", "text": "ok", "author": [{"role": "x"}]},
    ]
    path = tmp_path / "b.jsonl"
    path.write_bytes(
        jsonl_bytes(rows) + b'{"id": "8", "text": "caf\xe9"}\n{"id": "9", "text": "\\ud800"}\n'
    )
    frame, quarantined, _ = read_all(path)
    # Records without text (2, 6) are checked, not quarantined: empty is the defect.
    assert frame["record_id"].tolist() == ["2", "3", "4", "6"]
    assert frame["body"].tolist()[::3] == ["", ""]
    assert frame["byline"].iloc[1] == "12"
    assert frame["images"].iloc[2] == [{"alt": "", "src": "https://img.e.org/one.jpg", "line": 4}]
    reasons = {q.line: q for q in quarantined}
    assert set(reasons) == {1, 5, 7, 8, 9}
    assert "is an object" in reasons[1].reason
    assert reasons[8].kind == "encoding.invalid_utf8"
    assert reasons[8].byte_offset == path.read_bytes().index(b"\xe9")


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    records = [dict(RECORDS[1], id=f"r{i}", text=f"body {i} " * 200) for i in range(300)]
    data = gzip.compress(jsonl_bytes(records))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    frame, quarantined, _ = read_all(path, chunk_size=100)
    assert 0 < len(frame) < 300
    assert frame["record_id"].tolist() == [f"r{i}" for i in range(len(frame))]
    assert [q.kind for q in quarantined] == ["input.truncated"]
    assert quarantined[0].source_path == "cut.jsonl.gz"
    assert quarantined[0].line == len(frame) + 1
    assert "ends early" in quarantined[0].reason


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_open_binary_truncated_stream(tmp_path: Path, compression: str) -> None:
    payload = b"line\n" * 100_000
    data = compress(payload, compression)
    path = tmp_path / f"x.txt{SUFFIX[compression]}"
    path.write_bytes(data[: len(data) - 20])
    with open_binary(InputFile(path, path.name, "pages", compression)) as stream:
        got = stream.read()
        assert payload.startswith(got)
        assert stream.truncation is not None  # type: ignore[attr-defined]


def test_multi_member_gzip(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl.gz"
    path.write_bytes(
        gzip.compress(jsonl_bytes(RECORDS[:1])) + gzip.compress(jsonl_bytes(RECORDS[1:]))
    )
    frame, quarantined, _ = read_all(path)
    assert len(frame) == 3 and quarantined == []


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
def test_empty_files(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"empty.{fmt}"
    path.write_bytes(b"")
    frame, quarantined, _batches = read_all(path)
    assert len(frame) == 0
    assert (quarantined == []) if fmt != "parquet" else (len(quarantined) == 1)


def test_json_misnamed_jsonl_and_broken_array(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(jsonl_bytes(RECORDS))
    (tmp_path / "b.json").write_text('[{"text": "one"}, 5, {"text": "two"}, {"text": oops}]')
    frame, quarantined, _ = read_all(tmp_path)
    assert frame["record_id"].tolist() == ["20240322000001", "007", "a-3", "b.json#0", "b.json#2"]
    assert [q.source_path for q in quarantined] == ["b.json", "b.json"]
    assert "not an object" in quarantined[0].reason
    assert quarantined[1].reason.startswith("invalid JSON")


def test_jsonl_mixed_author_types_and_crlf(tmp_path: Path) -> None:
    rows = [{"id": str(i), "text": "t", "author": "A" if i % 2 else ["B", "C"]} for i in range(50)]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl_bytes(rows).replace(b"\n", b"\r\n"))
    frame, quarantined, _ = read_all(path, chunk_size=20)
    assert quarantined == []
    assert frame["byline"].tolist() == ["A" if i % 2 else "B, C" for i in range(50)]
    assert frame["line_start"].tolist() == list(range(1, 51))


def test_csv_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b'id,text\n1,good\n2,too,many\n3,"caf\xe9"\n4,fine\n')
    frame, quarantined, _ = read_all(path)
    assert frame["record_id"].tolist() == ["1", "4"]
    assert [(q.line, q.kind) for q in quarantined] == [
        (3, "input.malformed"),
        (4, "encoding.invalid_utf8"),
    ]
