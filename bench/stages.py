"""CPU seconds per stage of one ``corpus-qa check --jobs 1`` run: where the time goes.

``python bench/stages.py DUMP [corpus-qa check options]`` runs the check in this process
with each stage of :func:`corpus_qa.run.chunk.process_chunk` wrapped in a CPU-time
(``time.process_time``) accumulator: reading, building the tables, Pandera, each check's
run, observe, finalize and confirm (timed where the check's time budget is), samples and
routing. What is left of the process's CPU time is imports, planning, merging and
writing the outputs. Prints one JSON object, stages largest first. Wrapping costs
a few microseconds a call, not a profiler's per-function overhead.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

STARTED = time.process_time()
SECONDS: dict[str, float] = defaultdict(float)


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SECONDS[name] += time.process_time() - started

    return wrapper


def main(argv: list[str]) -> None:
    from corpus_qa import cli
    from corpus_qa.run import chunk

    running = chunk.running

    @contextlib.contextmanager
    def timed_running(check: str, stage: str, budget: float | None) -> Iterator[None]:
        started = time.process_time()
        with running(check, stage, budget):
            yield
        SECONDS[f"{check} {stage}"] += time.process_time() - started

    chunk.running = timed_running  # type: ignore[assignment]
    for name in ("load_unit", "drafts_of", "joined", "build_tables", "validate_chunk"):
        setattr(chunk, name, timed(name, getattr(chunk, name)))
    for name in ("sample_chunk", "route_chunk", "apply_severity", "in_dump_order"):
        setattr(chunk, name, timed(name, getattr(chunk, name)))
    with tempfile.TemporaryDirectory() as out:
        code = cli.main(["check", argv[0], "--out", out, "--quiet", "--jobs", "1", *argv[1:]])
    total = time.process_time() - STARTED
    stages = dict(sorted(SECONDS.items(), key=lambda kv: -kv[1]))
    print(
        json.dumps(
            {
                "exit": code,
                "cpu_seconds": round(total, 2),
                "stages": {k: round(v, 2) for k, v in stages.items() if v >= 0.01},
                "rest": round(total - sum(stages.values()), 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
