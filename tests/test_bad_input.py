"""Bad input end to end, through the CLI: every case has a clear outcome, nothing is lost.

Either a one-line error and exit 2 (nothing usable remains), or a finding naming
file, line and byte while the rest of the dump is still checked. In every report,
each input's ``records_read == records_checked + records_quarantined``.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest
import zstandard

from corpus_qa.ingest import InputFile, RecordBatch, iter_units
from corpus_qa.ingest.fields import FieldMap
from corpus_qa.ingest.records import read_records
from tests.conftest import read_jsonl, run_check

GOOD = [
    {
        "id": f"r{i}",
        "title": f"Council vote {i}",
        "text": f"The council met on Monday, story {i}.\n\nIt voted on the budget.",
        "author": "Ana Souza",
        "date": "2025-07-24T10:00:00Z",
        "outlet": "Daily Ledger",
    }
    for i in range(30)
]


def jsonl(records: list[Any]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def accounting_holds(report: dict[str, Any]) -> None:
    for item in report["inputs"]:
        assert item["records_read"] == item["records_checked"] + item["records_quarantined"]
    counts = report["counts"]
    assert counts["records_read"] == counts["records_checked"] + counts["records_quarantined"]
    assert counts["records_read"] == sum(i["records_read"] for i in report["inputs"])


def check(
    dump: Path | str, out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any], list[dict[str, Any]], str]:
    code, report, findings = run_check(dump, out, *extra)
    err = capsys.readouterr().err
    if report:
        accounting_holds(report)
    return code, report, findings, err


def one_line_error(err: str, *needles: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("corpus-qa: error: ")
    assert "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def by_check(findings: list[dict[str, Any]], check_id: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["check"] == check_id]


# --- encodings ------------------------------------------------------------------------------


def test_invalid_utf8_line_is_a_finding_and_the_rest_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = jsonl(GOOD).encode()
    lines = data.split(b"\n")
    lines[4] = lines[4].replace(b"Council", b"Counc\xff\xfeil")
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(b"\n".join(lines))
    code, report, findings, _ = check(dump, tmp_path / "out", capsys)
    assert code in (0, 1)
    [bad] = by_check(findings, "encoding.invalid_utf8")
    offset = dump.read_bytes().index(b"\xff")
    assert (bad["source_path"], bad["line"]) == ("d.jsonl", 5)
    assert f"byte {offset}" in bad["message"]
    assert report["counts"]["records_checked"] == 29


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "txt"])
def test_utf8_bom_is_read_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    if fmt == "jsonl":
        text = jsonl(GOOD[:3])
    elif fmt == "json":
        text = json.dumps(GOOD[:3])
    elif fmt == "csv":
        text = "id,title,text,author\n" + "".join(
            f"{r['id']},{r['title']},Plain body text,Ana\n" for r in GOOD[:3]
        )
    else:
        text = "# Council vote\n\nBy Ana Souza\n\nThe council met on Monday.\n"
    dump = tmp_path / f"d.{fmt}"
    dump.write_bytes(codecs.BOM_UTF8 + text.encode())
    code, report, findings, _ = check(dump, tmp_path / "out", capsys)
    assert code in (0, 1)
    assert not [f for f in findings if f["check"].startswith(("input.", "encoding."))]
    assert report["counts"]["records_checked"] == (1 if fmt == "txt" else 3)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_record_files_are_recoded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    text = jsonl(GOOD[:5]).replace("story", "서울 story")
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(raw)
    _, report, findings, _ = check(
        dump, tmp_path / "out", capsys, "--clean-out", str(tmp_path / "clean.jsonl")
    )
    [detected] = by_check(findings, "encoding.detected")
    assert "utf-16" in detected["message"] or "utf-32" in detected["message"]
    assert report["counts"]["records_checked"] == 5
    bodies = [r["body"] for r in read_jsonl(tmp_path / "clean.jsonl")]
    assert any("서울 story" in b for b in bodies)


def test_utf16_page_is_detected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "p.txt"
    dump.write_bytes("# Title\n\nBy Ana Souza\n\n서울 body text.\n".encode("utf-16"))
    _, report, findings, _ = check(dump, tmp_path / "out", capsys)
    assert by_check(findings, "encoding.detected")
    assert report["counts"]["articles"] == 1


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        (
            "cp1252",
            "Caf\u00e9 owners say the \u201cnew rules\u201d hurt. R\u00e9sum\u00e9s piled up.",
        ),
        ("euc-kr", "서울시는 내년부터 새로운 교통 정책을 시행한다고 밝혔다."),
    ],
)
def test_legacy_encodings_are_detected_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, text: str
) -> None:
    records = [dict(r, text=f"{text} {r['id']}") for r in GOOD[:10]]
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "d.jsonl").write_bytes(jsonl(records).encode(encoding))
    (tmp_path / "dump" / "p.txt").write_bytes(f"# Title\n\nBy Ana\n\n{text}\n".encode(encoding) * 3)
    clean = tmp_path / "clean.jsonl"
    _, report, findings, _ = check(
        tmp_path / "dump", tmp_path / "out", capsys, "--clean-out", str(clean)
    )
    detected = by_check(findings, "encoding.detected")
    assert {f["source_path"] for f in detected} == {"d.jsonl", "p.txt"}
    # EUC-KR text is also valid cp949 (its superset): either name is right.
    names = {"cp1252": ("cp1252",), "euc-kr": ("euc_kr", "cp949")}[encoding]
    assert all(any(n in f["message"] for n in names) for f in detected)
    assert report["counts"]["records_quarantined"] == 0
    assert f"{text} r3" in [r["body"] for r in read_jsonl(clean)]


def test_nul_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dump").mkdir()
    data = jsonl(GOOD[:10]).encode()
    # A crash mid-write leaves a run of zeros where a record should be.
    (tmp_path / "dump" / "d.jsonl").write_bytes(data + b"\x00" * 64 + b"\n")
    (tmp_path / "dump" / "p.txt").write_bytes(b"# Title\n\nBy Ana\n\nBo\x00dy text.\n")
    _, report, findings, _ = check(tmp_path / "dump", tmp_path / "out", capsys)
    [bad] = by_check(findings, "input.malformed")
    assert (bad["source_path"], bad["line"]) == ("d.jsonl", 11)
    assert "NUL byte" in bad["message"] and f"byte {len(data)}" in bad["message"]
    [nul] = by_check(findings, "encoding.nul_bytes")
    assert (nul["source_path"], nul["line"]) == ("p.txt", 5)
    assert report["counts"]["records_checked"] == 11  # 10 records and the page


@pytest.mark.parametrize("ending", [b"\r", b"\r\n"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "txt"])
def test_cr_only_and_crlf_line_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ending: bytes, fmt: str
) -> None:
    if fmt == "jsonl":
        text, expected = jsonl(GOOD[:6]), 6
    elif fmt == "csv":
        text = "id,title,text,author\n" + "".join(
            f"{r['id']},{r['title']},plain body,Ana\n" for r in GOOD[:6]
        )
        expected = 6
    else:
        text, expected = "# Title\n\nBy Ana Souza\n\nFirst.\n\nSecond.\n", 1
    dump = tmp_path / f"d.{fmt}"
    dump.write_bytes(text.encode().replace(b"\n", ending))
    code, report, findings, _ = check(dump, tmp_path / "out", capsys)
    assert code in (0, 1)
    assert report["counts"]["records_checked"] == expected
    assert report["counts"]["records_quarantined"] == 0
    if fmt == "jsonl":
        assert [f["line"] for f in findings if f["check"] == "encoding.detected"] == (
            [1] if ending == b"\r" else []
        )


# --- empty, malformed, wrong shapes -------------------------------------------------------


@pytest.mark.parametrize("name", ["e.jsonl", "e.json", "e.csv", "e.txt", "e.parquet"])
def test_empty_file_alone_is_unusable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / name).write_bytes(b"")
    code, report, _, err = check(tmp_path / name, tmp_path / "out", capsys)
    assert code == 2 and not report
    one_line_error(err, name, "no article could be read")


def test_empty_folder_is_unusable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dump").mkdir()
    code, _, _, err = check(tmp_path / "dump", tmp_path / "out", capsys)
    assert code == 2
    one_line_error(err, "dump", "no usable input file")


def test_empty_file_among_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "a.jsonl").write_text(jsonl(GOOD[:5]))
    (tmp_path / "dump" / "b.jsonl").write_bytes(b"")
    code, report, _, _ = check(tmp_path / "dump", tmp_path / "out", capsys)
    assert code in (0, 1)
    assert [(i["path"], i["records_read"]) for i in report["inputs"]] == [
        ("a.jsonl", 5),
        ("b.jsonl", 0),
    ]


def test_malformed_jsonl_line_among_good_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = jsonl(GOOD).splitlines(keepends=True)
    lines[20] = '{"id": "bad", "text": "x" "title": }\n'
    dump = tmp_path / "d.jsonl"
    dump.write_text("".join(lines))
    _, report, findings, _ = check(dump, tmp_path / "out", capsys)
    [bad] = by_check(findings, "input.malformed")
    offset = len("".join(lines[:20]).encode())
    assert (bad["source_path"], bad["line"]) == ("d.jsonl", 21)
    assert "invalid JSON" in bad["message"] and f"byte {offset}" in bad["message"]
    assert bad["evidence"] == lines[20].strip()
    assert report["counts"]["records_checked"] == 29


def test_json_array_of_non_objects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "d.json"
    dump.write_text('[1, "two", null, [3]]')
    code, _, _, err = check(dump, tmp_path / "out", capsys)
    assert code == 2
    one_line_error(err, "d.json", "4 quarantined", "d.json:1: record is a number, not an object")
    mixed = tmp_path / "m.json"
    mixed.write_text(json.dumps([GOOD[0], 5, GOOD[1], "x"]))
    _, report, findings, _ = check(mixed, tmp_path / "out2", capsys)
    assert [f["message"] for f in by_check(findings, "input.malformed")] == [
        "record is a number, not an object (byte 0)".replace("byte 0", f"byte {_offset(mixed, 5)}"),
        f"record is a string, not an object (byte {_offset(mixed, 'x')})",
    ]
    assert report["counts"]["records_checked"] == 2


def _offset(path: Path, value: object) -> int:
    return path.read_bytes().index(b", " + json.dumps(value).encode() + b"") + 2


def test_fields_of_the_wrong_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        dict(GOOD[0], author=12),  # a number: kept as the text "12"
        dict(GOOD[1], images="https://img.example.org/a.jpg"),  # one URL: one image
        dict(GOOD[2], author={"role": "editor"}),  # an object with no name: unreadable
        dict(GOOD[3], text={"nested": True}),  # an object where text belongs
        dict(GOOD[4], images=5),
    ]
    dump = tmp_path / "d.jsonl"
    dump.write_text(jsonl(rows))
    clean = tmp_path / "clean.jsonl"
    _, report, findings, _ = check(dump, tmp_path / "out", capsys, "--clean-out", str(clean))
    bad = {f["line"]: f["message"] for f in by_check(findings, "input.malformed")}
    assert set(bad) == {3, 4, 5}
    assert "'author' holds an object without 'name'" in bad[3]
    assert "'text' is an object, expected text" in bad[4]
    assert "'images' holds a number" in bad[5]
    kept = {r["record_id"]: r for r in read_jsonl(clean)}
    assert kept["r0"]["byline"] == "12"
    assert kept["r1"]["n_images"] == 1
    assert report["counts"]["records_quarantined"] == 3


# --- damaged archives, sizes ---------------------------------------------------------------


@pytest.mark.parametrize("compression", ["gz", "zst"])
def test_truncated_archives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], compression: str
) -> None:
    records = [dict(GOOD[i % 30], id=f"r{i}", text=f"Body {i} " * 300) for i in range(400)]
    data = jsonl(records).encode()
    packed = gzip.compress(data) if compression == "gz" else zstandard.compress(data)
    dump = tmp_path / f"d.jsonl.{compression}"
    dump.write_bytes(packed[: len(packed) // 2])
    _, report, findings, _ = check(dump, tmp_path / "out", capsys)
    [cut] = by_check(findings, "input.truncated")
    checked = report["counts"]["records_checked"]
    assert 0 < checked < 400
    assert cut["source_path"] == dump.name and cut["line"] == checked + 1
    assert "records after this point are lost" in cut["message"]
    assert report["gate"]["passed"] is False  # a lost part of the dump never passes


def test_one_line_of_50_mb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    words = "The council met on Monday and voted on the budget. "
    big = dict(GOOD[0], id="big", text=words * (50_000_000 // len(words)))
    dump = tmp_path / "d.jsonl"
    dump.write_text(jsonl([GOOD[1], big, GOOD[2]]))
    assert dump.stat().st_size > 50_000_000
    code, report, _, _ = check(dump, tmp_path / "out", capsys)
    assert code in (0, 1)
    assert report["counts"]["records_checked"] == 3


@pytest.mark.slow
def test_a_million_tiny_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "d.jsonl"
    n = 1_000_000
    with dump.open("wb") as handle:
        for start in range(0, n, 100_000):
            handle.write(
                b"".join(
                    b'{"id":"%d","title":"T %d","text":"x","author":"A","date":"2025-07-24"}\n'
                    % (i, i)
                    for i in range(start, start + 100_000)
                )
            )
    code, report, _, _ = check(dump, tmp_path / "out", capsys, "--chunk-size", "100000")
    assert code in (0, 1)
    assert report["counts"]["records_read"] == n
    assert report["counts"]["records_checked"] == n


# --- files that are not there, not readable, not data --------------------------------------


def test_unknown_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "a.jsonl").write_text(jsonl(GOOD[:5]))
    (tmp_path / "dump" / "notes.docx").write_bytes(b"PK\x03\x04")
    code, report, findings, _ = check(tmp_path / "dump", tmp_path / "out", capsys)
    [skipped] = by_check(findings, "input.skipped")
    assert skipped["source_path"] == "notes.docx" and skipped["severity"] == "info"
    assert "unknown file extension" in skipped["message"]
    assert report["counts"]["files_skipped"] == 1
    assert report["counts"]["records_checked"] == 5
    code, _, _, err = check(tmp_path / "dump" / "notes.docx", tmp_path / "out2", capsys)
    assert code == 2
    one_line_error(err, "notes.docx", "--format")


def test_fifo_and_socket_are_unreadable_not_a_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Meaningful as root too: open() on a FIFO blocks forever and on a socket fails,
    # whatever the permissions.
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.jsonl").write_text(jsonl(GOOD[:5]))
    os.mkfifo(dump / "pipe.jsonl")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(dump / "sock.jsonl"))
    try:
        code, report, findings, _ = check(dump, tmp_path / "out", capsys)
    finally:
        server.close()
    unreadable = {f["source_path"]: f["message"] for f in by_check(findings, "input.unreadable")}
    assert unreadable == {
        "pipe.jsonl": "not a regular file (a FIFO)",
        "sock.jsonl": "not a regular file (a socket)",
    }
    assert code == 1 and report["gate"]["passed"] is False
    assert report["counts"]["records_checked"] == 5
    code, _, _, err = check(dump / "pipe.jsonl", tmp_path / "out2", capsys)
    assert code == 2
    one_line_error(err, "pipe.jsonl", "not a regular file (a FIFO)")


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads chmod 000 files; the FIFO test covers this path"
)
def test_permission_denied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.jsonl").write_text(jsonl(GOOD[:5]))
    locked = dump / "b.jsonl"
    locked.write_text(jsonl(GOOD[5:8]))
    locked.chmod(0)
    code, _, findings, _ = check(dump, tmp_path / "out", capsys)
    [bad] = by_check(findings, "input.unreadable")
    assert bad["source_path"] == "b.jsonl" and "permission denied" in bad["message"]
    assert code == 1


def test_file_that_vanishes_after_discovery(tmp_path: Path) -> None:
    # The read-time path (open() refuses) of an unreadable file, whoever runs the tests.
    missing = InputFile(tmp_path / "gone.jsonl", "gone.jsonl", "jsonl")
    [batch] = list(iter_units([missing]))
    assert isinstance(batch, RecordBatch)
    assert batch.records_read == 1 and len(batch.frame) == 0
    [entry] = batch.quarantined
    assert (entry.kind, entry.source_path) == ("input.unreadable", "gone.jsonl")
    assert "No such file" in entry.reason


def test_symlink_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.jsonl").write_text(jsonl(GOOD[:5]))
    os.symlink(dump / "loop2.jsonl", dump / "loop1.jsonl")
    os.symlink(dump / "loop1.jsonl", dump / "loop2.jsonl")
    os.symlink(dump, dump / "again")  # a folder cycle: entered once
    code, report, findings, _ = check(dump, tmp_path / "out", capsys)
    assert sorted(f["source_path"] for f in by_check(findings, "input.unreadable")) == [
        "loop1.jsonl",
        "loop2.jsonl",
    ]
    assert report["counts"]["records_checked"] == 5
    code, _, _, err = check(dump / "loop1.jsonl", tmp_path / "out2", capsys)
    assert code == 2
    one_line_error(err, "loop1.jsonl", "looping symbolic link")


def test_same_file_twice_in_a_glob(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.jsonl").write_text(jsonl(GOOD[:5]))
    os.symlink(dump / "a.jsonl", dump / "b.jsonl")
    _, report, findings, _ = check(str(dump / "*.jsonl"), tmp_path / "out", capsys)
    assert [i["path"] for i in report["inputs"]] == ["a.jsonl"]
    assert report["counts"]["records_read"] == 5
    [note] = by_check(findings, "input.skipped")
    assert note["source_path"] == "b.jsonl"
    assert "same file as a.jsonl" in note["message"]


def test_path_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _, err = check(tmp_path / "nope", tmp_path / "out", capsys)
    assert code == 2
    one_line_error(err, str(tmp_path / "nope"), "no such file or folder")
    code, _, _, err = check(str(tmp_path / "nope" / "*.jsonl"), tmp_path / "out", capsys)
    assert code == 2
    one_line_error(err, "no file matches")


def test_an_ebcdic_guess_never_moves_line_breaks(tmp_path: Path) -> None:
    # Found by the JSONL accounting property: charset-normalizer took these bytes for
    # cp037, where 0x25 is a line feed, and one bad line became two records.
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b"\x80%\x80\xb3\xc0")
    batches = list(read_records(InputFile(path, "odd.jsonl", "jsonl"), 10, FieldMap()))
    read = sum(batch.records_read for batch in batches)
    quarantined = [q.line for batch in batches for q in batch.quarantined]
    assert read == 1
    assert quarantined == [1]
