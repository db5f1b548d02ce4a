"""Anomalies: a run's metrics against the accepted runs before it.

Each series (a check's rate per outlet, a fill rate, the body length median, images
per article) is judged by the policy's strategies (:mod:`corpus_qa.gate.anomaly_policy`).
The robust z-score is ``(now - median) / scale`` over the reference runs, where the
scale is 1.4826 x the MAD, floored for rates by the binomial noise of the outlet's
article count (a small outlet's rate jitters by whole articles) so that a series
that never moved does not alarm on one article.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from corpus_qa.gate.anomaly_policy import AnomalyPolicy, AnomalyRule
from corpus_qa.gate.baseline import pct
from corpus_qa.gate.verdict import STATUS_BY_SEVERITY, CheckResult, Verdict, gates
from corpus_qa.history.metrics import ALL_OUTLETS, RunMetrics

_RANK = {"pass": 0, "notice": 1, "warn": 2, "fail": 3}
#: Reference series: (kind, name, outlet) -> [(started_at, value)], newest first.
References = Mapping[tuple[str, str, str], Sequence[tuple[datetime, float]]]


@dataclass(frozen=True)
class Anomaly:
    kind: str
    name: str
    outlet: str
    value: float
    reference: float
    z: float | None
    runs: int
    status: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "outlet": self.outlet,
            "value": self.value,
            "reference": self.reference,
            "z": self.z,
            "runs": self.runs,
            "status": self.status,
            "reason": self.reason,
        }


def _is_rate(kind: str, name: str) -> bool:
    return kind == "check" or name.startswith("fill.")


def _direction(rule: AnomalyRule, kind: str, name: str) -> str:
    if rule.direction is not None:
        return rule.direction
    # What a broken scraper does: findings rise; roles, text and images go missing.
    return "up" if kind == "check" else "down"


def _shown(kind: str, name: str, value: float) -> str:
    return pct(value) if _is_rate(kind, name) else f"{value:.1f}"


def _signed(delta: float, direction: str) -> float:
    """The change as the rule cares about it (negative: the harmless way)."""
    if direction == "up":
        return delta
    if direction == "down":
        return -delta
    return abs(delta)


def judge_series(
    rule: AnomalyRule,
    kind: str,
    name: str,
    now: float,
    articles: int,
    refs: Sequence[float],
    noise: float | None = None,
) -> tuple[str, float, float | None, int] | None:
    """Why this value is an anomaly (``(strategy, reference, z, runs)``), or ``None``."""
    if not rule.enabled or not refs or articles < rule.min_articles:
        return None
    direction = _direction(rule, kind, name)
    rate = _is_rate(kind, name)
    last = refs[0]

    def big(delta: float, reference: float) -> bool:
        floor = rule.min_change if rate else rule.min_change * abs(reference)
        return _signed(delta, direction) >= floor

    if rule.robust_z is not None and len(refs) >= rule.min_runs:
        values = np.asarray(refs[: rule.window], dtype=float)
        median = float(np.median(values))
        scale = 1.4826 * float(np.median(np.abs(values - median)))
        if rate:
            # A rare event's daily median is 0 while its mean is not: the floor takes
            # whichever is nearer one half, Laplace-smoothed so that a rate that was
            # always 0 still has one.
            mean = float(values.mean())
            centre = max(median, mean, key=lambda v: v * (1 - v))
            p = (centre * articles + 1) / (articles + 2)
            scale = max(scale, math.sqrt(p * (1 - p) / articles))
        elif name == "images.per_article":
            # Poisson noise of the count the reference median predicts.
            scale = max(scale, math.sqrt(max(median, 1.0 / articles) / articles))
        else:
            # Few reference runs understate the spread: never below a tenth of the median.
            scale = max(scale, noise or 0.0, 0.1 * abs(median), 1e-9)
        z = (now - median) / scale
        if _signed(z, direction) > rule.robust_z and big(now - median, median):
            return "robust", median, z, len(values)
    changed = big(now - last, last)
    if rule.abs_change is not None and changed and _signed(now - last, direction) > rule.abs_change:
        return "abs", last, None, 1
    if rule.rel_change is not None and changed:
        relative = (now - last) / max(abs(last), 1e-9)
        if _signed(relative, direction) > rule.rel_change:
            return "rel", last, None, 1
    return None


def _pick(refs: Sequence[tuple[datetime, float]], rule: AnomalyRule, when: datetime) -> list[float]:
    if rule.season == "weekday":
        return [v for t, v in refs if t.weekday() == when.weekday()][: rule.window]
    return [v for _, v in refs[: rule.window]]


def detect(
    metrics: RunMetrics,
    references: References,
    policy: AnomalyPolicy,
    severities: Mapping[str, str],
) -> list[Anomaly]:
    """Every anomaly of ``metrics`` against ``references`` (accepted runs, newest first)."""
    found = []
    for (kind, name, outlet), (value, articles, noise) in sorted(metrics.series().items()):
        refs = references.get((kind, name, outlet))
        if not refs:
            continue
        if kind == "check":
            rule = policy.for_check(name, outlet)
            status = STATUS_BY_SEVERITY[severities.get(name, "error")]
        else:
            rule = policy.for_metric(name, outlet)
            status = STATUS_BY_SEVERITY[rule.severity]
        picked = _pick(refs, rule, metrics.started_at)
        why = judge_series(rule, kind, name, value, articles, picked, noise)
        if why is None:
            continue
        strategy, reference, z, runs = why
        where = "all outlets" if outlet == ALL_OUTLETS else outlet
        how = {
            "robust": f"robust z {z or 0:.1f} over {runs} runs",
            "abs": "absolute change against the last accepted run",
            "rel": "relative change against the last accepted run",
        }[strategy]
        season = " (same weekday)" if rule.season == "weekday" else ""
        reason = (
            f"anomaly: {where} {name} {_shown(kind, name, reference)} -> "
            f"{_shown(kind, name, value)} ({how}{season})"
        )
        found.append(Anomaly(kind, name, outlet, value, reference, z, runs, status, reason))
    return found


def apply(anomalies: Sequence[Anomaly], results: list[CheckResult], verdict: Verdict) -> Verdict:
    """The verdict with anomalies applied: a check's raise its status (never lower it);
    a history metric's fail the gate when its severity gates."""
    by_id = {result.id: result for result in results}
    extra: list[str] = []
    for anomaly in anomalies:
        result = by_id.get(anomaly.name) if anomaly.kind == "check" else None
        if result is not None:
            if _RANK.get(anomaly.status, 0) > _RANK.get(result.status, 0):
                result.status = anomaly.status
            result.reason = "; ".join(r for r in (result.reason, anomaly.reason) if r)
        if gates(anomaly.status, verdict.fail_on):
            extra.append(anomaly.reason)
    failing = [r for r in results if gates(r.status, verdict.fail_on)]
    passed = verdict.passed and not failing and not extra
    return Verdict(passed=passed, fail_on=verdict.fail_on, reasons=verdict.reasons + extra)
