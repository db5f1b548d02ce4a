"""A synthetic year of daily dumps fed to the metrics history, with planted breaks.

Each day is a small dump (a few hundred articles over 20 outlets) with weekday
seasonality (fewer articles and more missing bylines at weekends) and binomial noise.
The day's articles and findings go through the run's own code path: the chunk
tallies (:class:`ChunkStats`), the gate's per-check results and verdict, the history's
anomaly judgement and append; only the parsing of pages is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check
from corpus_qa.checks.catalog import check_classes
from corpus_qa.findings.tally import ChunkStats
from corpus_qa.gate.policy import Policy, load_policy
from corpus_qa.gate.results import decide, results_for
from corpus_qa.history.anomaly import Anomaly
from corpus_qa.history.record import Prefetch, judge, metrics_of, record

OUTLETS = (
    "Korea Herald",
    "Le Monde",
    "Die Zeit",
    "El País",
    "Asahi Shimbun",
    "The Hindu",
    "Folha de S.Paulo",
    "La Repubblica",
    "NRC",
    "Gazeta Wyborcza",
    "Helsingin Sanomat",
    "Dagens Nyheter",
    "Hürriyet",
    "Al Ahram",
    "Daily Nation",
    "Clarín",
    "The Age",
    "Straits Times",
    "Kyiv Independent",
    "Irish Times",
)
#: Base daily articles per outlet (weekdays); weekends have 60% of it.
_SIZES = np.array([30, 28, 24, 22, 20, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 9, 8, 8, 7, 6])
START = datetime(2025, 1, 6, 6, 0, tzinfo=UTC)  # a Monday


@dataclass(frozen=True)
class Break:
    """A planted break: ``what`` on ``outlet`` from ``day`` for ``days`` days."""

    name: str
    outlet: str
    day: int
    days: int
    #: byline (byline.missing rate), title (title.missing), date (fill.date: no finding).
    what: str
    #: The rate it reaches (a share of the outlet's articles).
    level: float
    #: Days the level takes to reach (1: at once; 7: creeping).
    ramp: int = 1

    def level_on(self, day: int) -> float | None:
        if not self.day <= day < self.day + self.days:
            return None
        return self.level * min(1.0, (day - self.day + 1) / self.ramp)


BREAKS = (
    Break("abrupt", "Korea Herald", 100, 4, "byline", 0.45),
    Break("creeping", "Die Zeit", 180, 10, "title", 0.40, ramp=7),
    Break("partial", "El País", 250, 4, "byline", 0.40),
    Break("fill drop", "Le Monde", 310, 4, "date", 0.50),
)


@dataclass
class DayResult:
    day: int
    when: datetime
    passed: bool
    anomalies: list[Anomaly] = field(default_factory=list)


def day_frames(
    day: int, rng: np.random.Generator, breaks: Sequence[Break] = BREAKS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One day's articles and findings (byline.missing, title.missing, date.missing)."""
    when = START + timedelta(days=day)
    weekend = when.weekday() >= 5
    sizes = rng.poisson(_SIZES * (0.6 if weekend else 1.0))
    outlet = np.repeat(np.array(OUTLETS, dtype=object), sizes)
    n = len(outlet)
    byline_p = np.full(n, 0.08 if weekend else 0.03)
    title_p = np.full(n, 0.002)
    date_p = np.full(n, 0.05)
    for planted in breaks:
        level = planted.level_on(day)
        if level is None:
            continue
        mine = outlet == planted.outlet
        target = {"byline": byline_p, "title": title_p, "date": date_p}[planted.what]
        target[mine] = np.maximum(target[mine], level)
    no_byline = rng.random(n) < byline_p
    no_title = rng.random(n) < title_p
    no_date = rng.random(n) < date_p
    lengths = rng.lognormal(np.log(3000), 0.5, n).astype(int) + 200
    ids = [f"d{day}-{i}" for i in range(n)]
    articles = pd.DataFrame(
        {
            "record_id": ids,
            "source_path": f"day{day:03d}.jsonl",
            "line_start": np.arange(1, n + 1),
            "line_end": np.arange(1, n + 1),
            "role": "record",
            "outlet": pd.Series(outlet, dtype="str"),
            "title": pd.Series("A headline", index=range(n), dtype="str").mask(no_title),
            "body": pd.Series(["x" * k for k in lengths], dtype="str"),
            "byline": pd.Series("By A. Writer", index=range(n), dtype="str").mask(no_byline),
            "published": pd.Series(pd.Timestamp(when), index=range(n))
            .astype("datetime64[us, UTC]")
            .mask(no_date),
            "n_images": rng.poisson(1.2, n),
        }
    )
    rows = []
    for check, severity, hit in (
        ("byline.missing", "error", no_byline),
        ("title.missing", "error", no_title),
    ):
        for i in np.flatnonzero(hit):
            rows.append((check, severity, ids[i], f"day{day:03d}.jsonl", i + 1, outlet[i]))
    findings = pd.DataFrame(
        rows, columns=["check", "severity", "record_id", "source_path", "line", "outlet"]
    )
    return articles, findings


def run_day(
    history: Path,
    day: int,
    rng: np.random.Generator,
    policy: Policy,
    catalog: list[type[Check]],
    breaks: Sequence[Break] = BREAKS,
) -> DayResult:
    """One day through the run's code path: tallies, gate, history judge and append."""
    prefetch = Prefetch(history, policy.anomaly)
    articles, findings = day_frames(day, rng, breaks)
    stats = ChunkStats()
    stats.add_input(f"day{day:03d}.jsonl", read=len(articles), quarantined=0)
    stats.count_tables(articles, articles.iloc[0:0])
    stats.count_findings(findings, articles)
    results = results_for(catalog, stats, policy)
    decision = decide(results, policy)
    when = START + timedelta(days=day)
    metrics = metrics_of(
        started_at=when,
        finished_at=when + timedelta(seconds=5),
        dump_path=f"day{day:03d}",
        fingerprint=f"{day:064x}",
        policy=policy,
        status="complete",
        verdict=decision.verdict.label,
        stats=stats,
        results=results,
    )
    outcome, verdict = judge(prefetch, metrics, policy, results, decision.verdict)
    metrics.verdict = verdict.label
    record(outcome, verdict.passed)
    return DayResult(day, when, verdict.passed, outcome.anomalies)


def simulate(
    history: Path,
    days: int = 365,
    seed: int = 7,
    policy: Path | None = None,
    breaks: Sequence[Break] = BREAKS,
) -> list[DayResult]:
    """Every day of the synthetic year, in order."""
    rng = np.random.default_rng(seed)
    catalog = check_classes(())
    loaded = load_policy(policy, catalog=catalog)
    return [run_day(history, day, rng, loaded, catalog, breaks) for day in range(days)]


def score(days: Sequence[DayResult], breaks: Sequence[Break] = BREAKS) -> dict[str, object]:
    """Detection delay per break (days from its start; ``None``: missed) and false alarms
    (anomalies on days outside every break)."""
    delays: dict[str, int | None] = {}
    reasons: dict[str, str] = {}
    for planted in breaks:
        hits = [
            d
            for d in days
            if planted.day <= d.day < planted.day + planted.days
            and any(a.outlet == planted.outlet for a in d.anomalies)
        ]
        delays[planted.name] = hits[0].day - planted.day if hits else None
        if hits:
            reasons[planted.name] = next(
                a.reason for a in hits[0].anomalies if a.outlet == planted.outlet
            )
    broken = {d for b in breaks for d in range(b.day, b.day + b.days)}
    false = [(d.day, a.reason) for d in days if d.day not in broken for a in d.anomalies]
    return {"delays": delays, "reasons": reasons, "false_alarms": false}
