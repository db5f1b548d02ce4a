"""Wall and CPU seconds per phase of one whole ``corpus-qa check`` run, workers included.

``python bench/phases.py DUMP [corpus-qa check options]`` runs the check in this process
(with ``--jobs`` as given, so forked workers too) and prints one JSON object: for each
phase of the main process (imports, the run's set-up, planning, the field survey (while the
first chunks are checked, unless `--field` is given),
the chunks, finalize, the reports) its wall seconds, the main process's CPU seconds
and the CPU seconds of the workers that ended in it; and one line per chunk (worker
pid, chunk, start and end in wall seconds since this process started, CPU seconds),
which shows when the workers started and how evenly they finished.
:mod:`bench.stages` splits a ``--jobs 1`` run's chunk work finer.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

STARTED = time.perf_counter(), time.process_time()
#: phase -> [wall, main process CPU, workers' CPU]
PHASES: dict[str, list[float]] = {}


def _children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu, children = time.perf_counter(), time.process_time(), _children()
        try:
            return function(*args, **kwargs)
        finally:
            total = PHASES.setdefault(name, [0.0, 0.0, 0.0])
            total[0] += time.perf_counter() - wall
            total[1] += time.process_time() - cpu
            total[2] += _children() - children

    return wrapper


def main(argv: list[str]) -> None:
    cli = import_module("corpus_qa.cli.main")
    from corpus_qa.reports import json_report
    from corpus_qa.run import chunk, runner, workers

    PHASES["imports"] = [time.perf_counter() - STARTED[0], time.process_time() - STARTED[1], 0.0]
    log = tempfile.NamedTemporaryFile("w+", suffix=".jsonl", delete=False)  # noqa: SIM115
    process_chunk = chunk.process_chunk

    def logged(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = process_chunk(*args, **kwargs)
        row = [os.getpid(), args[0], wall - STARTED[0], time.perf_counter() - STARTED[0]]
        row.append(time.process_time() - cpu)
        with open(log.name, "a", encoding="utf-8") as out:
            out.write(json.dumps([round(x, 3) if isinstance(x, float) else x for x in row]) + "\n")
        return result

    # Forked workers inherit the patched module attributes.
    chunk.process_chunk = logged
    workers.process_chunk = logged  # type: ignore[attr-defined]
    runner.process_chunk = logged  # type: ignore[attr-defined]
    run = runner.Run
    run.__init__ = timed("set-up (catalog, policy, checks)", run.__init__)  # type: ignore[method-assign]
    runner.survey_fields = timed("plan: field survey", runner.survey_fields)  # type: ignore[attr-defined]
    for phase in ("plan", "chunks", "finalize", "judge"):
        setattr(run, phase, timed(phase, getattr(run, phase)))
    json_report.build_report = timed("report.json built", json_report.build_report)
    json_report.write_report = timed("report.json written", json_report.write_report)
    check = import_module("corpus_qa.cli.check")
    check.write_ci_reports = timed("html, junit, summary", check.write_ci_reports)
    with tempfile.TemporaryDirectory() as out:
        code = cli.main(["check", argv[0], "--out", out, "--quiet", *argv[1:]])
    with open(log.name, encoding="utf-8") as rows:
        chunks = [json.loads(line) for line in rows]
    os.unlink(log.name)
    print(
        json.dumps(
            {
                "exit": code,
                "wall": round(time.perf_counter() - STARTED[0], 2),
                "main_cpu": round(time.process_time() - STARTED[1], 2),
                "workers_cpu": round(_children(), 2),
                "phases (wall, main CPU, workers CPU)": {
                    name: [round(x, 2) for x in values] for name, values in PHASES.items()
                },
                "chunks (pid, index, start, end, CPU)": sorted(chunks, key=lambda c: c[2]),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
