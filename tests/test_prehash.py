"""The dump's sha256 hashed ahead, in a thread, while the run starts up."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from corpus_qa.ingest import FieldMap, InputFile
from corpus_qa.ingest.ranges import plan_ranges
from corpus_qa.run.inputs import size_and_hash
from corpus_qa.run.prehash import Prehash
from corpus_qa.testing.synth import generate_records
from tests.conftest import run_check


def _dump(path: Path, n: int = 40, seed: int = 5) -> Path:
    lines = "".join(json.dumps(r) + "\n" for r in generate_records(n, seed=seed))
    path.write_text(lines, encoding="utf-8")
    return path


def test_report_gives_each_single_file_dumps_sha256(tmp_path: Path) -> None:
    plain = _dump(tmp_path / "feed.jsonl")
    packed = tmp_path / "feed.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    for dump, jobs in ((plain, "1"), (plain, "2"), (packed, "2")):
        _, report, _ = run_check(dump, tmp_path / f"out-{dump.name}-{jobs}", "--jobs", jobs)
        (entry,) = report["inputs"]
        assert entry["sha256"] == hashlib.sha256(dump.read_bytes()).hexdigest()
        assert entry["bytes"] == dump.stat().st_size


def test_a_digest_stands_only_for_the_file_as_it_was_hashed(tmp_path: Path) -> None:
    plain = _dump(tmp_path / "d.jsonl")
    prehash = Prehash.of_dump(plain)
    assert prehash is not None
    digests = prehash.digests([plain])
    assert digests[str(plain)][2] == hashlib.sha256(plain.read_bytes()).hexdigest()
    with plain.open("ab") as handle:
        handle.write(b'{"id": "late"}\n')
    # Size and mtime moved on: the report hashes the file as it now is.
    assert size_and_hash(plain, True, digests) == (
        plain.stat().st_size,
        hashlib.sha256(plain.read_bytes()).hexdigest(),
    )


def test_the_same_file_under_another_name_is_found(tmp_path: Path) -> None:
    plain = _dump(tmp_path / "d.jsonl")
    link = tmp_path / "link.jsonl"
    link.symlink_to(plain)
    prehash = Prehash.of_dump(link)
    assert prehash is not None and prehash.covers(plain)
    assert prehash.digests([plain])[str(plain)][2] == hashlib.sha256(plain.read_bytes()).hexdigest()
    assert not prehash.covers(tmp_path / "other.jsonl")


def test_folders_and_missing_paths_are_left_to_the_planner(tmp_path: Path) -> None:
    _dump(tmp_path / "d.jsonl")
    assert Prehash.of_dump(tmp_path) is None
    assert Prehash.of_dump(tmp_path / "missing.jsonl") is None


def test_a_stopped_prehash_gives_no_digest(tmp_path: Path) -> None:
    plain = _dump(tmp_path / "d.jsonl")
    prehash = Prehash([plain])
    prehash.stop()
    digests = prehash.digests([plain])
    # Either it finished before the stop or it gave nothing: never a partial digest.
    if digests:
        assert digests[str(plain)][2] == hashlib.sha256(plain.read_bytes()).hexdigest()


def test_the_planner_plans_the_same_ranges_without_hashing(tmp_path: Path) -> None:
    plain = _dump(tmp_path / "d.jsonl", n=120)
    file = InputFile(plain, plain.name, "jsonl")
    digests: dict[str, tuple[int, int, str]] = {}
    hashed = list(plan_ranges(file, 25, FieldMap(), 4096, digests=digests, parts=2))
    unhashed = list(plan_ranges(file, 25, FieldMap(), 4096, digests=None, parts=2))
    assert [(p.start, p.stop, p.first_line, p.lines) for p in hashed] == [
        (p.start, p.stop, p.first_line, p.lines) for p in unhashed
    ]
    assert digests[str(plain)][2] == hashlib.sha256(plain.read_bytes()).hexdigest()
