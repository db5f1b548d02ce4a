"""Near-duplicate confirmation re-reads only the candidates' records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from corpus_qa.ingest import FieldMap, LineRange, discover, iter_plan
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


def test_the_runs_planned_ranges_give_the_same_texts(tmp_path: Path) -> None:
    # The run's plan (its tail cut for two workers) is used as it is, not made again;
    # a file cut short since loses its later lines, not the earlier ones.
    dump = tmp_path / "dump.jsonl"
    lines = [_line(i) for i in range(40)]
    text = "\n".join(lines[:20]) + "\n\n" + "\n".join(lines[20:]) + "\n"
    dump.write_text(text, "utf-8")
    discovery = discover(str(dump))
    ranges = [
        unit
        for unit in iter_plan(discovery, chunk_size=6, fields=FieldMap(), tail_parts=2)
        if isinstance(unit, LineRange)
    ]
    assert len(ranges) > 3
    wanted = {("dump.jsonl", n) for n in (1, 6, 7, 20, 22, 30, 41, 400)}
    planned = fetch_texts(discovery, FieldMap(), 6, wanted, ranges=ranges)
    assert planned == fetch_texts(discovery, FieldMap(), 6, wanted)
    assert sorted(planned) == [("dump.jsonl", n) for n in (1, 6, 7, 20, 22, 30, 41)]
    assert planned[("dump.jsonl", 22)] == "Körper 20\n\nzwei 20"
    # Cut after line 26, within a planned range.
    dump.write_text("\n".join(text.split("\n")[:26]), "utf-8")
    cut = fetch_texts(discovery, FieldMap(), 6, wanted, ranges=ranges)
    assert cut == {key: text for key, text in planned.items() if key[1] <= 26}
