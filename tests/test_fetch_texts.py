"""Near-duplicate confirmation re-reads only the candidates' records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from corpus_qa.ingest import FieldMap, discover
from corpus_qa.run.refetch import fetch_texts


def _line(i: int) -> str:
    return json.dumps({"id": f"a{i}", "title": f"T{i}", "body": f"Körper {i}\n\nzwei {i}"})


def test_only_wanted_lines_are_read_whatever_the_file(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    lines = [_line(i) for i in range(40)]
    # A BOM, CRLF line ends, a blank line and a last line without its newline.
    text = "\ufeff" + "\r\n".join(lines[:20]) + "\r\n\r\n" + "\n".join(lines[20:])
    (dump / "plain.jsonl").write_bytes(text.encode("utf-8"))
    with gzip.open(dump / "packed.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    discovery = discover(str(dump))
    wanted = {("plain.jsonl", 1), ("plain.jsonl", 7), ("plain.jsonl", 22), ("plain.jsonl", 41)}
    wanted |= {("packed.jsonl.gz", 3), ("plain.jsonl", 500)}
    # Small chunks: the wanted lines fall in several planned ranges.
    texts = fetch_texts(discovery, FieldMap(), 6, wanted)
    assert texts == {
        ("plain.jsonl", 1): "Körper 0\n\nzwei 0",
        ("plain.jsonl", 7): "Körper 6\n\nzwei 6",
        ("plain.jsonl", 22): "Körper 20\n\nzwei 20",
        ("plain.jsonl", 41): "Körper 39\n\nzwei 39",
        ("packed.jsonl.gz", 3): "Körper 2\n\nzwei 2",
    }
