"""Finding a dump's files: folder, glob, single file, errors, duplicates, symlinks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus_qa.errors import ConfigError, InputError
from corpus_qa.ingest import discover


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n")


def test_folder_is_recursive_sorted_and_reports_skipped(tmp_path: Path) -> None:
    make(
        tmp_path,
        "b.jsonl",
        "a/x.json.gz",
        "a/y.parquet",
        "c.txt",
        "d.md",
        "e.csv.zst",
        "notes.docx",
        ".git/config",
    )
    found = discover(tmp_path)
    assert [f.display for f in found.files] == [
        "a/x.json.gz",
        "a/y.parquet",
        "b.jsonl",
        "c.txt",
        "d.md",
        "e.csv.zst",
    ]
    assert [(f.format, f.compression) for f in found.files] == [
        ("json", "gzip"),
        ("parquet", None),
        ("jsonl", None),
        ("pages", None),
        ("pages", None),
        ("csv", "zstd"),
    ]
    assert [(q.source_path, q.kind) for q in found.skipped] == [("notes.docx", "input.skipped")]
    assert "extension" in found.skipped[0].reason
    assert found.root == tmp_path


def test_single_file_display_is_its_name(tmp_path: Path) -> None:
    make(tmp_path, "sub/feed.ndjson")
    found = discover(tmp_path / "sub" / "feed.ndjson")
    assert [(f.display, f.format) for f in found.files] == [("feed.ndjson", "jsonl")]


def test_glob_and_recursive_glob(tmp_path: Path) -> None:
    make(tmp_path, "data/1.jsonl.gz", "data/2.jsonl.gz", "data/3.csv", "data/deep/4.jsonl.gz")
    found = discover(str(tmp_path / "data" / "*.jsonl.gz"))
    assert [f.display for f in found.files] == ["1.jsonl.gz", "2.jsonl.gz"]
    found = discover(str(tmp_path / "data" / "**" / "*.jsonl.gz"))
    assert [f.display for f in found.files] == ["1.jsonl.gz", "2.jsonl.gz", "deep/4.jsonl.gz"]


def test_duplicates_and_symlinks_counted_once(tmp_path: Path) -> None:
    make(tmp_path, "data/1.jsonl")
    os.symlink(tmp_path / "data" / "1.jsonl", tmp_path / "data" / "alias.jsonl")
    os.symlink(tmp_path / "data", tmp_path / "data" / "loop")  # a directory cycle
    os.symlink(tmp_path / "missing.jsonl", tmp_path / "data" / "dangling.jsonl")
    found = discover(tmp_path / "data")
    assert [f.display for f in found.files] == ["1.jsonl"]
    assert found.files[0].path == (tmp_path / "data" / "1.jsonl").resolve()
    assert [(q.source_path, q.kind) for q in found.skipped] == [
        ("alias.jsonl", "input.skipped"),
        ("dangling.jsonl", "input.unreadable"),
    ]
    assert found.skipped[0].reason == "same file as 1.jsonl (read once)"
    found = discover(str(tmp_path / "data" / "*.jsonl"))
    assert len(found.files) == 1


def test_format_override(tmp_path: Path) -> None:
    make(tmp_path, "feed.log", "other.data.gz")
    found = discover(tmp_path, format="jsonl")
    assert [(f.display, f.format, f.compression) for f in found.files] == [
        ("feed.log", "jsonl", None),
        ("other.data.gz", "jsonl", "gzip"),
    ]
    with pytest.raises(ConfigError, match="--format"):
        discover(tmp_path, format="xml")


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder") as missing:
        discover(tmp_path / "nope")
    assert str(tmp_path / "nope") in str(missing.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no usable input file"):
        discover(tmp_path / "empty")
    make(tmp_path, "page.docx")
    with pytest.raises(InputError, match="--format"):
        discover(tmp_path / "page.docx")
    with pytest.raises(InputError, match="no file matches"):
        discover(str(tmp_path / "*.jsonl"))
    make(tmp_path, "only/readme.pdf")
    with pytest.raises(InputError, match="1 files skipped"):
        discover(tmp_path / "only")
