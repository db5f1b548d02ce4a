"""Global checks shuffled on a real Dask LocalCluster: partitions finalized on the
workers give the pandas engine's findings, byte for byte; the client holds no state
of theirs, and its peak memory does not grow with the dump."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_qa.testing.synth import write_jsonl
from tests.conftest import SEED_PAGE, run_check

pytest.importorskip("distributed")
pytestmark = pytest.mark.dask

NEAR_DUPS_ON = """
[checks."record.near_duplicate"]
enabled = true
"""


@pytest.fixture(scope="module")
def duplicated_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed page and 1,200 generated records, with exact copies, reused ids,
    near-copies and other articles' headlines planted far from their originals (other
    chunks, other partitions)."""
    folder = tmp_path_factory.mktemp("dups")
    shutil.copy(SEED_PAGE, folder / SEED_PAGE.name)
    feed = folder / "feed.jsonl"
    write_jsonl(feed, 1200, seed=21)
    lines = feed.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    extra = []
    for n, record in enumerate(records[:40]):
        if n % 3 == 0:
            extra.append({**record, "id": f"copy-{n}"})
        elif n % 3 == 1:
            extra.append({**records[n + 500], "title": f"Other {n}"} | {"id": record["id"]})
        else:
            body = str(record.get("text") or "")
            extra.append({**record, "id": f"near-{n}", "text": body + " One more sentence."})
    for n, record in enumerate(records[600:620]):
        # Another article's headline of this outlet in the body, a related link.
        other = next(r for r in records[n * 7 :] if r["outlet"] == record["outlet"])
        text = f"{record.get('text') or ''}\n\nREAD MORE: {other['title']}"
        extra.append({**record, "id": f"linked-{n}", "text": text})
    with (folder / "later.jsonl").open("w", encoding="utf-8") as handle:
        for record in extra:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


#: Every global check, shuffled on the cluster; near-duplicates as well.
SHUFFLED = {
    "record.duplicate",
    "record.duplicate_id",
    "boilerplate.recurring",
    "boilerplate.foreign_headline",
}
#: Shuffled too, but silent here: the dump's bylines come from its records' fields.
SHUFFLED_SILENT = {"byline.site_constant"}


@pytest.mark.parametrize("partitions", [None, "5"])
def test_shuffled_findings_are_the_pandas_engines(
    duplicated_dump: Path, tmp_path: Path, dask_cluster: str, partitions: str | None
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(NEAR_DUPS_ON, encoding="utf-8")
    args = ("--chunk-size", "150", "--policy", str(policy))
    local = run_check(duplicated_dump, tmp_path / "local", *args, "--jobs", "1")
    cut = ("--partitions", partitions) if partitions is not None else ()
    dask = run_check(
        duplicated_dump,
        tmp_path / "dask",
        *args,
        *cut,
        "--engine",
        "dask",
        "--scheduler",
        dask_cluster,
    )
    assert (tmp_path / "dask" / "findings.jsonl").read_bytes() == (
        tmp_path / "local" / "findings.jsonl"
    ).read_bytes()
    assert dask[0] == local[0]
    assert dask[1]["checks"] == local[1]["checks"]
    found = [f["check"] for f in dask[2]]
    # The shuffled checks found what was planted, across partitions.
    assert set(found) >= SHUFFLED
    assert found.count("record.near_duplicate") >= 13


def test_partitions_need_the_dask_engine(duplicated_dump: Path, tmp_path: Path) -> None:
    from corpus_qa.cli import main

    code = main(["check", str(duplicated_dump), "--out", str(tmp_path), "--partitions", "4"])
    assert code == 2


def test_the_client_receives_no_state_of_a_shuffled_check(
    duplicated_dump: Path, dask_cluster: str
) -> None:
    from corpus_qa.checks.builtin.near_duplicate import NearDuplicate
    from corpus_qa.checks.catalog import load_checks
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.ingest import FieldMap, discover, iter_plan
    from corpus_qa.run.chunk import ChunkContext, chunk_units
    from corpus_qa.run.dask_cluster import run_dask
    from corpus_qa.run.shuffle import Reduced, partitioned

    checks = [c for c in load_checks(()) if c.id != NearDuplicate.id] + [NearDuplicate()]
    ctx = ChunkContext(checks=checks, policy=load_policy(None))
    planned = iter_plan(discover(str(duplicated_dump)), chunk_size=300, fields=FieldMap())
    reduced = Reduced()
    results = list(run_dask(chunk_units(planned, 300), ctx, dask_cluster, 2, reduced, 3))
    shuffled = {c.id for c in partitioned(checks)}
    assert shuffled == SHUFFLED | SHUFFLED_SILENT
    assert len(results) >= 4
    articles = sum(result.stats.articles for result in results)
    for result in results:
        # No global check's state comes back with a chunk's result.
        assert not set(result.states)
    assert set(reduced.findings) == shuffled
    assert len(reduced.findings["record.duplicate"]) >= 13
    # Of near-duplicates, only the candidates' rows reach the client.
    candidates = reduced.states["record.near_duplicate"]
    # (templated generated bodies: a large share collide in some band)
    assert 26 <= len(candidates) < articles / 2


_CLIENT = """
import json, resource, sys
from corpus_qa.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _sizes() -> tuple[int, int]:
    """Records of the two runs of the memory test: ten times as many in the second.

    By default the issue's 100k and 1M (about eight minutes on a shared 2-core
    machine, most of it the 1M run); ``CORPUS_QA_FLAT_RECORDS=20000`` runs a shorter
    20k and 200k.
    """
    small = int(os.environ.get("CORPUS_QA_FLAT_RECORDS", "100000"))
    return small, 10 * small


def _client_peak(dump: Path, out: Path, scheduler: str) -> int:
    """Peak RSS (KiB) of a `corpus-qa check --engine dask` client process, every
    default check on (all their global states shuffled)."""
    args = ["check", str(dump), "--out", str(out), "--quiet", "--chunk-size", "5000"]
    args += ["--engine", "dask", "--scheduler", scheduler]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _CLIENT, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["records_checked"] == sum(1 for _ in dump.open("rb"))
    duplicates = [c for c in report["checks"] if c["id"] == "record.duplicate"]
    assert duplicates and duplicates[0]["count"] > 0
    peak = int(json.loads(done.stdout.strip().splitlines()[-1])["peak_kib"])
    # Printed for the docs' figures (-s), never asserted.
    print(f"{dump.name}: client peak {peak} KiB, {time.monotonic() - started:.0f} s")
    return peak


def _stream_dump(path: Path, n: int) -> None:
    """``n`` short news records written as they are made (never held), from twenty
    outlets; every 1,000th is a copy of an earlier one. Each body ends in six short
    lines of its own (a vote tally): headline-like, so every one is a row of
    ``boilerplate.foreign_headline``'s state, and of ``boilerplate.recurring``'s,
    which a client holding those states would feel. Defects stay rare: global
    findings are what a client holds, and they would grow with the dump."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            j = i - 500 if i % 1000 == 999 else i
            outlet = f"Outlet {j % 20}"
            tally = "\n".join(f"Ward {w} of vote {j}: {j * w % 997} for" for w in range(6))
            record = {
                "id": f"r{i:09d}",
                "title": f"Council votes on budget item {j}",
                "text": f"The council met on day {j} and voted on item {j * 7 % 1009}.\n\n"
                f"Members debated line {j} of the plan for {j % 60} minutes.\n\n{tally}",
                "author": f"Reporter {j % 300}",
                "date": "2025-07-24T10:00:00Z",
                "url": f"https://outlet{j % 20}.example/news/{j}",
                "outlet": outlet,
            }
            handle.write(json.dumps(record) + "\n")


@pytest.mark.slow
def test_client_peak_memory_is_flat_as_the_dump_grows(tmp_path: Path, dask_cluster: str) -> None:
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    records = _sizes()
    _stream_dump(small, records[0])
    _stream_dump(large, records[1])
    peak_small = _client_peak(small, tmp_path / "s", dask_cluster)
    peak_large = _client_peak(large, tmp_path / "l", dask_cluster)
    # Ten times the records: the client's peak stays within a few percent.
    assert peak_large <= 1.1 * peak_small, (peak_small, peak_large)
