"""The gate: per-check results against the policy's thresholds, and the verdict."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from corpus_qa.gate.policy import CheckPolicy, Policy

#: A check that exceeds its threshold gets the status of its severity.
STATUS_BY_SEVERITY = {"error": "fail", "warning": "warn", "info": "notice"}
_GATING = {"error": ("fail",), "warning": ("fail", "warn")}
#: Framework findings of input lost in unknown amount (a file cut short, unreadable,
#: or changed while read): they fail the gate whatever the policy's thresholds,
#: severity or ``enabled`` say, unless its ``accept_incomplete_input`` names them.
INCOMPLETE_INPUT = ("input.truncated", "input.unreadable", "input.changed")


@dataclass
class CheckResult:
    """One check's outcome on the dump: what the reports show and the gate decides on."""

    id: str
    name: str
    severity: str
    scope: str
    #: Findings raised.
    count: int
    #: Distinct records with at least one finding.
    records: int
    #: ``records / denominator``.
    rate: float
    denominator: int
    max_rate: float | None
    max_count: int | None
    exempted: int
    enabled: bool = True
    status: str = "pass"
    reason: str | None = None
    #: outlet -> {"articles": n, "records": n, "rate": r}
    by_outlet: dict[str, dict[str, float]] = field(default_factory=dict)

    def exceeded(self) -> bool:
        over_rate = self.max_rate is not None and self.rate > self.max_rate
        over_count = self.max_count is not None and self.count > self.max_count
        return over_rate or over_count


@dataclass
class Verdict:
    passed: bool
    fail_on: str
    reasons: list[str]

    @property
    def label(self) -> str:
        return "pass" if self.passed else "fail"


def judge(result: CheckResult, rule: CheckPolicy) -> CheckResult:
    """Set the result's status and reason from its thresholds."""
    if not result.enabled:
        result.status, result.reason = "skipped", "disabled by the policy"
        return result
    if not result.exceeded():
        result.status, result.reason = "pass", None
        return result
    result.status = STATUS_BY_SEVERITY[result.severity]
    limits = []
    if result.max_rate is not None and result.rate > result.max_rate:
        limits.append(f"rate {result.rate:.1%} > max {result.max_rate:.1%}")
    if result.max_count is not None and result.count > result.max_count:
        limits.append(f"{result.count} findings > max {result.max_count}")
    result.reason = (
        f"{result.id}: {result.records} of {result.denominator} records affected; "
        + "; ".join(limits)
    )
    return result


def gates(status: str, level: str) -> bool:
    """Whether a check with ``status`` fails the gate at ``level`` (``error``/``warning``)."""
    return status in _GATING[level]


def verdict(
    results: list[CheckResult],
    policy: Policy,
    *,
    fail_on: str | None = None,
    lost: Collection[str] = (),
) -> Verdict:
    """Fail when any check's status gates at the chosen level (``error`` or ``warning``).

    ``lost`` names further finding kinds that this run lost records with in unknown
    amount (``input.too_large`` at the decompression bound): they fail like
    :data:`INCOMPLETE_INPUT`, and no policy key accepts them.
    """
    level = fail_on or policy.fail_on
    overrides = _incomplete_input(results, policy, lost)
    failing = [r for r in results if r.status in _GATING[level]]
    return Verdict(
        passed=not failing,
        fail_on=level,
        reasons=[r.reason for r in failing if r.reason] + overrides,
    )


def _incomplete_input(
    results: list[CheckResult], policy: Policy, lost: Collection[str]
) -> list[str]:
    """Fail every :data:`INCOMPLETE_INPUT` check that fired, and every kind in ``lost``;
    the policy's overrides are returned as reasons, so every report prints them."""
    notes = []
    for result in results:
        if (result.id not in INCOMPLETE_INPUT and result.id not in lost) or not result.count:
            continue
        if result.id in INCOMPLETE_INPUT and result.id in policy.accept_incomplete_input:
            notes.append(
                f"override: {result.id} ({result.count} findings: input lost in unknown "
                f"amount) accepted by the policy's accept_incomplete_input"
            )
            continue
        result.status = "fail"
        override = (
            "policy key accept_incomplete_input overrides"
            if result.id in INCOMPLETE_INPUT
            else "raise the bound to read it all"
        )
        result.reason = (
            f"{result.id}: {result.count} findings: input lost in unknown amount, so the "
            f"gate fails whatever the thresholds ({override})"
        )
    return notes


def limit_text(max_rate: float | None, max_count: int | None) -> str:
    """A check's thresholds as the summaries show them, e.g. ``10.0%`` or ``n<=0``."""
    parts = []
    if max_rate is not None:
        parts.append(f"{max_rate:.1%}")
    if max_count is not None:
        parts.append(f"n<={max_count}")
    return " ".join(parts) or "-"
