"""The gate's side of a run: findings' severity, per-check results, the verdict.

The run counts; the gate decides. :func:`apply_severity` gives findings the severity
the policy sets for their check; :func:`results_for` turns the run's tallies into
judged :class:`~corpus_qa.gate.verdict.CheckResult`\\ s; :func:`decide` gives the
verdict, with the baseline rules (:mod:`corpus_qa.gate.baseline`) when there is a
history to compare with.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from corpus_qa.gate.baseline import Comparison, apply, compare
from corpus_qa.gate.policy import Policy
from corpus_qa.gate.verdict import CheckResult, Verdict, judge, verdict

if TYPE_CHECKING:
    from corpus_qa.checks.api import Check
    from corpus_qa.findings.tally import ChunkStats

#: Framework findings about records as read (before any article exists): their rate
#: is over the records read, not the articles.
_PER_RECORD_READ = ("input.", "encoding.")
#: Framework findings about the articles table: counted per outlet like checks.
_PER_OUTLET = ("schema.",)


def apply_severity(findings: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Findings carry the severity the policy gives their check (default: the check's)."""
    if findings.empty:
        return findings
    checks = findings["check"].unique()
    override = {c: policy.for_check(str(c)).severity for c in checks}
    wanted = {str(c): s for c, s in override.items() if s is not None}
    severity = findings["severity"].astype("str")
    if wanted:
        mapped = findings["check"].astype("str").map(wanted)
        severity = mapped.where(mapped.notna(), severity)
    findings["severity"] = severity.astype("str")
    return findings


def results_for(
    checks: Sequence[Check | type[Check]], stats: ChunkStats, policy: Policy
) -> list[CheckResult]:
    """Judged per-check results: every catalog check, plus framework findings that fired."""
    names = {check.id: check for check in checks}
    # Ids of no check are the framework's own findings (schema.*, input.*, ...).
    fired = [c for c in stats.findings if c not in names]
    results = []
    for check_id in sorted({*names, *fired}):
        rule = policy.for_check(check_id)
        check = names.get(check_id)
        per_read = check is None and check_id.startswith(_PER_RECORD_READ)
        denominator = stats.records_read if per_read else stats.articles
        records = stats.records.get(check_id, 0)
        severity = rule.severity or (check.severity if check else stats.severities.get(check_id))
        by_outlet = {}
        if check is not None or check_id.startswith(_PER_OUTLET):
            for outlet, articles in sorted(stats.outlets.items()):
                hit = stats.records_by_outlet.get((check_id, outlet), 0)
                by_outlet[outlet] = {
                    "articles": articles,
                    "records": hit,
                    "rate": hit / articles if articles else 0.0,
                }
        result = CheckResult(
            id=check_id,
            name=check.name if check else check_id,
            severity=severity or "error",
            scope=check.scope if check else "record",
            count=stats.findings.get(check_id, 0),
            records=records,
            rate=records / denominator if denominator else 0.0,
            denominator=denominator,
            max_rate=rule.max_rate,
            max_count=rule.max_count,
            exempted=stats.exempted.get(check_id, 0),
            enabled=rule.enabled,
            by_outlet=by_outlet,
        )
        results.append(judge(result, rule))
    return results


@dataclass
class Decision:
    """The gate's decision on a run: its verdict, and the comparison it rests on."""

    verdict: Verdict
    #: Against ``--baseline``; ``None`` without one.
    baseline: Comparison | None = None


def decide(
    results: list[CheckResult],
    policy: Policy,
    *,
    fail_on: str | None = None,
    lost: Collection[str] = (),
) -> Decision:
    """The verdict on judged ``results`` against the policy's thresholds; ``lost``:
    finding kinds that lost records in unknown amount (see :func:`verdict`)."""
    return Decision(verdict(results, policy, fail_on=fail_on, lost=lost))


def against_baseline(
    decision: Decision, results: list[CheckResult], policy: Policy, history: list[dict[str, Any]]
) -> Decision:
    """``decision`` with the baseline rules applied (they raise statuses in place)."""
    comparison = compare(results, history, policy)
    return Decision(apply(comparison, results, decision.verdict), comparison)


def interrupted(policy: Policy, fail_on: str | None, signal_name: str) -> Verdict:
    """An interrupted run's verdict: always fail (never a false pass)."""
    reasons = [f"run interrupted by {signal_name}: the dump was not fully checked"]
    return Verdict(passed=False, fail_on=fail_on or policy.fail_on, reasons=reasons)
