"""What a run is given (:class:`RunOptions`) and what it gives back (:class:`RunResult`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_qa.findings.tally import ChunkStats
from corpus_qa.gate.baseline import Comparison
from corpus_qa.gate.policy import Policy
from corpus_qa.gate.verdict import CheckResult, Verdict
from corpus_qa.limits import IngestLimits
from corpus_qa.model import ChromeSpan, Quarantined

if TYPE_CHECKING:
    from corpus_qa.checks.api import Check
    from corpus_qa.history.record import HistoryOutcome
    from corpus_qa.run.chunk import ChunkObserver
    from corpus_qa.run.output_set import OutputSet
    from corpus_qa.run.prehash import Prehash


@dataclass
class RunOptions:
    dump: str
    out_dir: Path
    format: str | None = None
    chunk_size: int = 10_000
    fields: Sequence[str] = ()
    policy: Path | None = None
    checks_dirs: Sequence[Path] = ()
    reference_time: datetime | None = None
    samples: int = 50
    fail_on: str | None = None
    #: Worker processes (1: in this process). ``None``: every core.
    jobs: int | None = None
    engine: str = "pandas"
    #: Dask scheduler address for ``engine="dask"``; ``None`` starts a local cluster.
    scheduler: str | None = None
    #: Partitions of each shuffled global check's state on Dask; ``None``: one per worker.
    partitions: int | None = None
    #: A Pandera contract of the articles table to use instead of ours (YAML or Python).
    schema: Path | None = None
    #: Run observers such as the GX cross-check (``check --gx``).
    observers: Sequence[ChunkObserver] = ()
    #: --quarantine DIR and --clean-out FILE (see corpus_qa.run.record_outputs).
    quarantine_dir: Path | None = None
    clean_out: Path | None = None
    #: The dump's sha256 being computed ahead (started before the heavy imports).
    prehash: Prehash | None = None
    #: A previous report.json, or a folder of them, to compare with (``--baseline``).
    baseline: Path | None = None
    #: The outputs of the run as one set (corpus_qa.run.output_set), opened once the
    #: output paths are checked; findings.jsonl is staged there. ``None``: findings go
    #: straight to ``out_dir/findings.jsonl``.
    output_set: OutputSet | None = None
    #: Report files written outside ``out_dir`` (``--html FILE`` ...), by option name:
    #: refused, as every output, when they are an input or inside the dump.
    side_outputs: Mapping[str, Path] = field(default_factory=dict)
    #: Line, decompression and nesting caps; the JSON record list (``--json-path``).
    limits: IngestLimits = field(default_factory=IngestLimits)
    #: The metrics history to judge against and append to (``--history``).
    history: Path | None = None
    #: What this process does while the workers check the first chunks, instead of
    #: before (or after) them, when the cores would wait: the CLI loads the report
    #: writers it will use. Called once, before the first chunk's result is read.
    meanwhile: Sequence[Callable[[], None]] = ()


@dataclass
class RunResult:
    options: RunOptions
    policy: Policy
    started_at: datetime
    finished_at: datetime
    inputs: list[dict[str, Any]]
    stats: ChunkStats
    checks: list[CheckResult]
    verdict: Verdict
    samples: dict[str, list[dict[str, Any]]]
    #: The sampled findings' articles (text included), by record id.
    records: dict[str, dict[str, Any]]
    chrome: list[ChromeSpan]
    quarantined: list[Quarantined]
    skipped: list[Quarantined]
    findings_path: Path
    findings_count: int
    check_docs: dict[str, Check] = field(default_factory=dict)
    #: Observer id -> its report.json section (``interop.gx``).
    interop: dict[str, Any] = field(default_factory=dict)
    #: Records written by --clean-out / --quarantine: clean, quarantined, failed.
    routed: dict[str, int] = field(default_factory=dict)
    #: ``complete``, or ``incomplete`` for an interrupted run (which always fails).
    status: str = "complete"
    #: This run against ``--baseline`` (report.json's ``baseline``); ``None`` without one.
    baseline: Comparison | None = None
    #: Which source field fed each column (:mod:`corpus_qa.run.field_survey`).
    field_map: dict[str, Any] = field(default_factory=dict)
    #: What ``--history`` did (corpus_qa.history.record); ``None`` without it.
    history: HistoryOutcome | None = None

    @property
    def duration(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


class RunInterrupted(Exception):
    """A run stopped by a signal; ``result`` holds what was counted (status incomplete)."""

    def __init__(self, result: RunResult, signum: int, name: str) -> None:
        super().__init__(f"run interrupted by {name}")
        self.result = result
        self.signum = signum
        self.name = name
