"""One run's metrics as the history stores them, from the run's merged tallies.

Nothing here re-reads the dump: the chunks already counted per outlet the roles
filled, geometric body length buckets and images (:class:`ChunkStats`), and the gate
judged every check per outlet (:class:`CheckResult`). Quantiles come from the buckets
(each about 4% wide), which is all a trend needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from corpus_qa.findings.tally import BUCKETS_PER_OCTAVE, FILL_COLUMNS, ChunkStats
from corpus_qa.gate.verdict import CheckResult

#: The row of a check's dump-wide rate (its per-outlet rows name the outlet).
ALL_OUTLETS = "*"
QUANTILES = {
    "body.p10": 0.10,
    "body.p25": 0.25,
    "body.median": 0.5,
    "body.p75": 0.75,
    "body.p90": 0.9,
}


@dataclass(frozen=True)
class CheckRow:
    check_id: str
    outlet: str
    articles: int
    findings: int
    records: int
    rate: float
    status: str


@dataclass
class RunMetrics:
    """Everything one run adds to the history (see docs/history.md for the tables)."""

    run_id: str
    started_at: datetime
    finished_at: datetime
    dump_path: str
    dump_fingerprint: str | None
    policy_sha256: str
    tool_version: str
    #: ``complete``, ``incomplete`` (interrupted) or ``failed_input``.
    status: str
    verdict: str
    records_read: int = 0
    records_checked: int = 0
    records_quarantined: int = 0
    articles: int = 0
    checks: list[CheckRow] = field(default_factory=list)
    #: (outlet, metric) -> value; metrics as in corpus_qa.gate.anomaly_policy.METRICS
    #: plus ``articles`` and the body length quantiles.
    outlets: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def usable(self) -> bool:
        """Whether the run may ever be a reference (interrupted or unread runs never)."""
        return self.status == "complete"

    def series(self) -> dict[tuple[str, str, str], tuple[float, int, float | None]]:
        """(kind, name, outlet) -> (value, articles, noise): what the anomaly rules compare.

        ``kind`` is ``check`` (a check's rate) or ``metric`` (a history metric);
        ``noise`` is the value's own sampling error where the run tells it (the body
        length median's, from the quartiles), else ``None`` (rates: binomial; images
        per article: Poisson; both from the reference median and the articles).
        """
        out: dict[tuple[str, str, str], tuple[float, int, float | None]] = {}
        for row in self.checks:
            out[("check", row.check_id, row.outlet)] = (row.rate, row.articles, None)
        for (outlet, metric), value in self.outlets.items():
            if metric == "articles" or metric.startswith("body.p"):
                continue
            n = int(self.outlets.get((outlet, "articles"), 0))
            noise = None
            if metric == "body.median" and n:
                spread = self.outlets.get((outlet, "body.p75"), 0.0) - self.outlets.get(
                    (outlet, "body.p25"), 0.0
                )
                # The median's standard error: 1.253 sigma / sqrt(n), sigma ~ IQR / 1.349.
                noise = 0.93 * spread / math.sqrt(n)
            out[("metric", metric, outlet)] = (value, n, noise)
        return out


def quantile(buckets: Mapping[int, int], q: float) -> float:
    """The ``q`` quantile of lengths counted in geometric buckets (bucket midpoints)."""
    total = sum(buckets.values())
    if not total:
        return 0.0
    rank, seen = q * (total - 1), 0
    for bucket in sorted(buckets):
        seen += buckets[bucket]
        if seen > rank:
            low = 2 ** (bucket / BUCKETS_PER_OCTAVE) - 1
            high = 2 ** ((bucket + 1) / BUCKETS_PER_OCTAVE) - 1
            return round((low + high) / 2, 1)
    return 0.0


def outlet_metrics(stats: ChunkStats) -> dict[tuple[str, str], float]:
    """Per outlet: articles, fill rates, body length quantiles, images per article."""
    lengths: dict[str, dict[int, int]] = {}
    for (outlet, bucket), n in stats.body_length_by_outlet.items():
        lengths.setdefault(outlet, {})[bucket] = n
    out: dict[tuple[str, str], float] = {}
    for outlet, articles in stats.outlets.items():
        if not articles:
            continue
        out[(outlet, "articles")] = float(articles)
        for role in FILL_COLUMNS.values():
            out[(outlet, f"fill.{role}")] = stats.filled.get((outlet, role), 0) / articles
        for name, q in QUANTILES.items():
            out[(outlet, name)] = quantile(lengths.get(outlet, {}), q)
        out[(outlet, "images.per_article")] = stats.images_by_outlet.get(outlet, 0) / articles
    return out


def check_rows(results: Sequence[CheckResult], stats: ChunkStats) -> list[CheckRow]:
    """Per check: its dump-wide row and one per outlet."""
    rows = []
    for result in results:
        if not result.enabled:
            continue
        rows.append(
            CheckRow(
                result.id,
                ALL_OUTLETS,
                result.denominator,
                result.count,
                result.records,
                result.rate,
                result.status,
            )
        )
        for outlet, values in result.by_outlet.items():
            rows.append(
                CheckRow(
                    result.id,
                    outlet,
                    int(values["articles"]),
                    stats.findings_by_outlet.get((result.id, outlet), 0),
                    int(values["records"]),
                    float(values["rate"]),
                    result.status,
                )
            )
    return rows


def run_metrics(
    *,
    run_id: str,
    started_at: datetime,
    finished_at: datetime,
    dump_path: str,
    dump_fingerprint: str | None,
    policy_sha256: str,
    tool_version: str,
    status: str,
    verdict: str,
    stats: ChunkStats | None,
    results: Sequence[CheckResult] = (),
) -> RunMetrics:
    """A run's metrics; ``stats`` is ``None`` for a run that read no article."""
    metrics = RunMetrics(
        run_id=run_id,
        started_at=started_at,
        finished_at=finished_at,
        dump_path=dump_path,
        dump_fingerprint=dump_fingerprint,
        policy_sha256=policy_sha256,
        tool_version=tool_version,
        status=status,
        verdict=verdict,
    )
    if stats is not None:
        metrics.records_read = stats.records_read
        metrics.records_quarantined = stats.records_quarantined
        metrics.records_checked = stats.records_read - stats.records_quarantined
        metrics.articles = stats.articles
        metrics.checks = check_rows(results, stats)
        metrics.outlets = outlet_metrics(stats)
    return metrics
