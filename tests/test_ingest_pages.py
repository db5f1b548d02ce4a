"""Page files: UTF-8 with BOM, CRLF/CR, legacy encodings, bad bytes, NUL bytes, compression."""

from __future__ import annotations

import gzip
from pathlib import Path

import zstandard

from corpus_qa.ingest import PageUnit, discover, iter_units


def read_page(path: Path) -> PageUnit:
    units = list(iter_units(discover(path)))
    assert len(units) == 1 and isinstance(units[0], PageUnit)
    return units[0]


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\r\n\r\nBody line.\rNext\r\n")
    unit = read_page(path)
    assert unit.text == "# Title\n\nBody line.\nNext\n"
    assert unit.issues == []
    assert unit.file.display == "p.md"


def test_utf16_with_bom_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("Seoul news\r\n서울".encode("utf-16"))
    unit = read_page(path)
    assert unit.text == "Seoul news\n서울"
    assert [i.kind for i in unit.issues] == ["encoding.detected"]
    assert "utf-16" in unit.issues[0].reason


def test_cp1252_is_detected(tmp_path: Path) -> None:
    text = "Caf\u00e9 owners say the \u201cnew rules\u201d hurt. R\u00e9sum\u00e9s piled up, na\u00efve hopes faded.\n"
    path = tmp_path / "p.txt"
    path.write_bytes((text * 5).encode("cp1252"))
    unit = read_page(path)
    assert unit.text == text * 5
    assert unit.issues[0].kind == "encoding.detected"
    assert unit.issues[0].line == 1


def test_euc_kr_is_detected(tmp_path: Path) -> None:
    text = "서울시는 내년부터 새로운 교통 정책을 시행한다고 밝혔다.\n" * 5
    path = tmp_path / "p.txt"
    path.write_bytes(text.encode("euc-kr"))
    unit = read_page(path)
    assert unit.text == text
    assert unit.issues[0].kind == "encoding.detected"


def test_damaged_utf8_reports_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    data = "Première ligne\nDeuxième ".encode() + b"\xff" + b" fin\n"
    path.write_bytes(data)
    unit = read_page(path)
    assert unit.text == "Première ligne\nDeuxième \ufffd fin\n"
    issue = unit.issues[0]
    assert issue.kind == "encoding.invalid_utf8"
    assert (issue.line, issue.byte_offset) == (2, data.index(b"\xff"))
    assert "line 2" in issue.reason


def test_nul_bytes_removed(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"Title\nBo\x00dy\x00\n")
    unit = read_page(path)
    assert unit.text == "Title\nBody\n"
    assert [(i.kind, i.line) for i in unit.issues] == [("encoding.nul_bytes", 2)]


def test_compressed_and_truncated_pages(tmp_path: Path) -> None:
    text = "A page.\n" * 50_000
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(text.encode()))
    (tmp_path / "b.md.zst").write_bytes(zstandard.ZstdCompressor().compress(text.encode()))
    cut = gzip.compress(text.encode())
    (tmp_path / "c.txt.gz").write_bytes(cut[: len(cut) // 2])
    units = list(iter_units(discover(tmp_path)))
    assert [u.file.display for u in units] == ["a.txt.gz", "b.md.zst", "c.txt.gz"]
    assert isinstance(units[0], PageUnit) and units[0].text == text and units[0].issues == []
    assert isinstance(units[1], PageUnit) and units[1].text == text
    last = units[2]
    assert isinstance(last, PageUnit)
    assert text.startswith(last.text) and 0 < len(last.text) < len(text)
    assert [i.kind for i in last.issues] == ["input.truncated"]


def test_empty_page(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"")
    unit = read_page(path)
    assert unit.text == "" and unit.issues == []
