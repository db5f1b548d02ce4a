"""A run's side of the history: judge against it (before reports), append (after).

:func:`judge` runs inside the run, after the gate's judgement: it reads the accepted
runs' values, finds anomalies and applies them to the verdict. :func:`record` runs
after the run's reports are written, so a history that cannot be written never costs
a report: its error is raised after them (exit 2 naming the file).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from corpus_qa import __version__
from corpus_qa.findings.tally import ChunkStats
from corpus_qa.gate.anomaly_policy import AnomalyPolicy
from corpus_qa.gate.policy import Policy
from corpus_qa.gate.verdict import CheckResult, Verdict
from corpus_qa.history import store
from corpus_qa.history.anomaly import Anomaly, References, apply, detect
from corpus_qa.history.metrics import ALL_OUTLETS, RunMetrics, run_metrics


@dataclass
class HistoryOutcome:
    """What ``--history`` did in this run (report.json's ``history``)."""

    path: Path
    metrics: RunMetrics
    anomalies: list[Anomaly] = field(default_factory=list)
    #: Accepted runs the anomalies were judged against.
    references: int = 0
    #: Why the history could not be used (the run goes on; the CLI exits 2 after).
    error: str | None = None
    #: Check id -> its dump-wide rate in the reference runs, oldest first, then now.
    trends: dict[str, list[float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "run_id": self.metrics.run_id,
            "references": self.references,
            "anomalies": [a.to_dict() for a in self.anomalies],
            "error": self.error,
            "trends": self.trends,
        }


def new_run_id(started: datetime) -> str:
    return f"{started.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"


def _windows(policy: AnomalyPolicy) -> int:
    """How many accepted runs back the rules may look (a weekday season: 7x as many)."""
    tables: list[Mapping[str, Any]] = [
        policy.defaults,
        *policy.metrics.values(),
        *policy.checks.values(),
    ]
    tables += [o for t in list(tables) for o in t.get("outlets", {}).values()]
    window = max([8, *(int(t["window"]) for t in tables if "window" in t)])
    weekly = any(t.get("season", "weekday") == "weekday" for t in tables)
    return window * 7 if weekly else window


def references(path: Path, policy: AnomalyPolicy) -> tuple[References, int]:
    """The accepted runs' series, newest first, and how many runs they span."""
    if not path.exists():
        return {}, 0  # the first run creates the file; nothing to compare with
    with store.opened(path, write=False) as con:
        rows, count = store.reference_values(con, _windows(policy))
    series: dict[tuple[str, str, str], list[tuple[datetime, float]]] = {}
    for kind, name, outlet, _run, started, value in rows:
        series.setdefault((kind, name, outlet), []).append((started, float(value)))
    return series, count


class Prefetch:
    """The references, read in a thread while the run checks the dump: importing
    DuckDB and reading the file then cost the run (almost) nothing. They are the
    accepted runs as they were when the run started."""

    def __init__(self, path: Path, policy: AnomalyPolicy) -> None:
        self.path = path
        self._refs: tuple[References, int] = ({}, 0)
        self._error: store.HistoryError | None = None
        self._thread = threading.Thread(
            target=self._read, args=(policy,), name="history-prefetch", daemon=True
        )
        self._thread.start()

    def _read(self, policy: AnomalyPolicy) -> None:
        try:
            self._refs = references(self.path, policy)
        except store.HistoryError as error:
            self._error = error
        except Exception as error:  # a damaged file can fail anywhere inside DuckDB
            self._error = store.HistoryError(f"{self.path}: damaged history: {error}")

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> tuple[References, int]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._refs


def judge(
    prefetch: Prefetch,
    metrics: RunMetrics,
    policy: Policy,
    results: list[CheckResult],
    verdict: Verdict,
) -> tuple[HistoryOutcome, Verdict]:
    """Anomalies of this run against the history; the verdict with them applied."""
    outcome = HistoryOutcome(path=prefetch.path, metrics=metrics)
    try:
        refs, outcome.references = prefetch.result()
    except store.HistoryError as error:
        outcome.error = str(error)
        return outcome, verdict
    severities = {r.id: r.severity for r in results}
    outcome.anomalies = detect(metrics, refs, policy.anomaly, severities)
    outcome.trends = {
        row.check_id: [v for _, v in reversed(refs.get(("check", row.check_id, ALL_OUTLETS), []))]
        + [row.rate]
        for row in metrics.checks
        if row.outlet == ALL_OUTLETS
    }
    return outcome, apply(outcome.anomalies, results, verdict)


def acceptance(metrics: RunMetrics, passed: bool, anomalies: Sequence[Anomaly]) -> str:
    """New runs: accepted when complete, passed and free of anomalies; else pending
    (a person may accept it: `corpus-qa history mark`); interrupted or unread: void."""
    if not metrics.usable:
        return "void"
    return "accepted" if passed and not anomalies else "pending"


def record(outcome: HistoryOutcome, passed: bool) -> None:
    """Append the run; raises :class:`~corpus_qa.history.store.HistoryError`."""
    if outcome.error is not None:
        raise store.HistoryError(outcome.error)
    accepted = acceptance(outcome.metrics, passed, outcome.anomalies)
    with store.opened(outcome.path, write=True) as con:
        store.append(
            con,
            outcome.metrics,
            accepted=accepted,
            anomalies=[a.to_dict() for a in outcome.anomalies],
        )


def metrics_of(
    *,
    started_at: datetime,
    finished_at: datetime,
    dump_path: str,
    fingerprint: str | None,
    policy: Policy,
    status: str,
    verdict: str,
    stats: ChunkStats | None,
    results: Iterable[CheckResult] = (),
) -> RunMetrics:
    """This tool's metrics of a run (a new run id)."""
    return run_metrics(
        run_id=new_run_id(started_at),
        started_at=started_at,
        finished_at=finished_at,
        dump_path=dump_path,
        dump_fingerprint=fingerprint,
        policy_sha256=policy.sha256,
        tool_version=__version__,
        status=status,
        verdict=verdict,
        stats=stats,
        results=list(results),
    )


def void_run(path: Path, dump: str, policy_path: Path | None, result: Any, status: str) -> None:
    """Append an interrupted (``result``: what it counted) or unread run as ``void``."""
    from datetime import UTC

    from corpus_qa.gate.policy import load_policy

    if result is not None:
        policy = result.policy
        started, finished, stats = result.started_at, result.finished_at, result.stats
        results = result.checks
    else:
        policy = load_policy(policy_path)
        started = finished = datetime.now(UTC)
        stats, results = None, []
    metrics = metrics_of(
        started_at=started,
        finished_at=finished,
        dump_path=dump,
        fingerprint=None,
        policy=policy,
        status=status,
        verdict="fail",
        stats=stats,
        results=results,
    )
    with store.opened(path, write=True) as con:
        store.append(con, metrics, accepted="void")
