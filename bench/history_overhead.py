"""What --history costs a run against a 1,000-run history.

Usage: python bench/history_overhead.py [WORKDIR]

Builds a 500-record dump, runs `corpus-qa check --history` once, inflates the history
to 1,000 runs (copies of that run's rows, one day apart, all accepted), then times
(a) the history stages alone, in process (judge against the history, append), and
(b) whole `corpus-qa check` runs with and without --history, interleaved.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from corpus_qa.gate.policy import load_policy
from corpus_qa.history import store
from corpus_qa.history.metrics import RunMetrics
from corpus_qa.history.record import Prefetch, judge, metrics_of, record
from corpus_qa.run.runner import Run, RunOptions
from corpus_qa.testing.synth import write_jsonl

RUNS = 1000


def inflate(path: Path, runs: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE runs SET accepted = 'accepted'")
        (run_id,) = con.execute("SELECT run_id FROM runs").fetchone()  # type: ignore[misc]
        con.execute("CREATE TEMP TABLE n AS SELECT range AS i FROM range(1, ?)", [runs])
        con.execute(
            "INSERT INTO runs SELECT * EXCLUDE (i) REPLACE (run_id || '-' || i AS run_id, "
            "started_at - i * INTERVAL 1 DAY AS started_at) FROM runs, n WHERE run_id = ?",
            [run_id],
        )
        for table in ("check_metrics", "outlet_metrics"):
            con.execute(
                f"INSERT INTO {table} SELECT * EXCLUDE (i) REPLACE (run_id || '-' || i AS run_id) "
                f"FROM {table}, n WHERE run_id = ?",
                [run_id],
            )
        con.execute("CHECKPOINT")


def cli(dump: Path, out: Path, *extra: str) -> float:
    began = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "corpus_qa.cli",
            "check",
            str(dump),
            "--out",
            str(out),
            "-q",
            "--jobs",
            "1",
            *extra,
        ],
        check=False,
        capture_output=True,
    )
    return time.perf_counter() - began


def main() -> None:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    dump = work / "dump.jsonl"
    write_jsonl(dump, 500, seed=3)
    history = work / "history.duckdb"
    history.unlink(missing_ok=True)
    cli(dump, work / "first", "--history", str(history))
    inflate(history, RUNS)
    with store.opened(history, write=False) as con:
        rows = con.execute("SELECT count(*) FROM check_metrics").fetchone()
    print(
        f"history: {RUNS} runs, {rows[0] if rows else 0} check rows, "
        f"{history.stat().st_size / 1e6:.1f} MB"
    )
    # (a) the stages alone, on a real run's tallies.
    options = RunOptions(dump=str(dump), out_dir=work / "inproc", jobs=1)
    run = Run(options)
    result = run.execute()
    policy = load_policy()

    def fresh_metrics() -> RunMetrics:
        return metrics_of(
            started_at=result.started_at,
            finished_at=result.finished_at,
            dump_path=str(dump),
            fingerprint="x",
            policy=policy,
            status="complete",
            verdict=result.verdict.label,
            stats=run.stats,
            results=run.results,
        )

    stages = []
    for _ in range(7):
        metrics = fresh_metrics()
        began = time.perf_counter()
        # Unhidden: the prefetch is joined at once here (in a run it overlaps the checks).
        outcome, verdict = judge(
            Prefetch(history, policy.anomaly), metrics, policy, run.results, result.verdict
        )
        record(outcome, verdict.passed)
        stages.append(time.perf_counter() - began)
    print(
        f"history stages (judge + append), median of 7: {statistics.median(stages):.3f} s "
        f"(min {min(stages):.3f}, max {max(stages):.3f}); references {outcome.references}"
    )
    # As in a run: the prefetch overlaps the checks (here a second's sleep).
    visible = []
    for _ in range(7):
        metrics = fresh_metrics()
        prefetch = Prefetch(history, policy.anomaly)
        time.sleep(1.0)
        began = time.perf_counter()
        outcome, verdict = judge(prefetch, metrics, policy, run.results, result.verdict)
        record(outcome, verdict.passed)
        visible.append(time.perf_counter() - began)
    print(
        "history stages with the prefetch overlapped, median of 7: "
        f"{statistics.median(visible):.3f} s (min {min(visible):.3f})"
    )
    # (b) whole runs, interleaved.
    plain, with_history = [], []
    for i in range(5):
        plain.append(cli(dump, work / f"p{i}"))
        with_history.append(cli(dump, work / f"h{i}", "--history", str(history)))
    print(
        f"whole run, median of 5: without {statistics.median(plain):.2f} s, "
        f"with --history {statistics.median(with_history):.2f} s"
    )


if __name__ == "__main__":
    main()
