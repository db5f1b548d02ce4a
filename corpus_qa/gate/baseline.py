"""Dump-to-dump comparison: this run's rates against a previous report.json (or a history).

A scraper template break rarely moves a dump's overall rate past its threshold: it
shows as one outlet's rate of one check jumping from almost never to almost always.
This module reads earlier reports (never the earlier dump), compares rates per check
and per outlet, and applies the policy's ``max_increase`` and ``[template_break]``
rules to the gate. It only compares results already computed; it recomputes nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from corpus_qa.errors import ConfigError
from corpus_qa.gate.policy import Policy
from corpus_qa.gate.verdict import STATUS_BY_SEVERITY, CheckResult, Verdict, gates
from corpus_qa.reports.json_bound import shown_key
from corpus_qa.reports.version import SCHEMA_VERSION

#: Statuses from mildest to gravest: the baseline rules only ever raise a status.
_RANK = {"pass": 0, "notice": 1, "warn": 2, "fail": 3}


def pct(rate: float) -> str:
    """``0%``, ``2.5%``, ``100%``: a rate as a reason prints it."""
    return f"{rate * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _is_report(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("checks"), list) and "gate" in data


def _schema_problem(data: dict[str, Any]) -> str | None:
    """Why this corpus-qa cannot compare against ``data``, or ``None``.

    A newer major schema may have renamed or re-meant what the comparison reads; a
    newer minor only adds keys (semantic versioning), so it is read.
    """
    version = data.get("schema_version")
    ours = int(SCHEMA_VERSION.split(".")[0])
    try:
        major = int(str(version).split(".")[0])
    except ValueError:
        return f"schema_version {version!r} is not a version"
    if major > ours:
        return (
            f"report schema {version} is newer than this corpus-qa reads "
            f"({SCHEMA_VERSION}): upgrade corpus-qa or give an older baseline"
        )
    for check in data["checks"]:
        if not isinstance(check, dict) or not isinstance(check.get("id"), str):
            return "a checks[] entry has no id"
        # NaN compares false with everything: max_increase and template breaks would
        # silently never fire, so a rate must be a finite number.
        if not _finite(check.get("rate")):
            return f"checks[{check['id']}].rate is not a finite number"
        outlets = check.get("by_outlet", {})
        if not isinstance(outlets, dict) or not all(
            isinstance(row, dict) and _finite(row.get("rate")) and _finite(row.get("articles"))
            for row in outlets.values()
        ):
            return f"checks[{check['id']}].by_outlet rows need a finite rate and articles"
    return None


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _read_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read baseline: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path}: baseline is not valid JSON: {error}") from error
    if not _is_report(data):
        raise ConfigError(f"{path}: not a corpus-qa report.json (no checks/gate)")
    data["_path"] = str(path)
    return dict(data)


def _finished(report: dict[str, Any]) -> datetime:
    try:
        return datetime.fromisoformat(str(report.get("finished_at")))
    except ValueError as error:
        raise ConfigError(f"{report['_path']}: finished_at is not an ISO time") from error


def _checked(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``reports`` oldest first, each one a report this corpus-qa can compare against.

    All of it is found here, before the run reads the dump: a baseline the comparison
    would trip on after the run (a future schema, a malformed check, times that cannot
    be ordered) is an argument error (exit 2) naming the file.
    """
    for report in reports:
        problem = _schema_problem(report)
        if problem is not None:
            raise ConfigError(f"{report['_path']}: {problem}")
    finished = [(_finished(report), report) for report in reports]
    naive = [report for time, report in finished if time.tzinfo is None]
    aware = [report for time, report in finished if time.tzinfo is not None]
    if naive and aware:
        raise ConfigError(
            f"{naive[0]['_path']}: finished_at {naive[0].get('finished_at')} has no UTC offset, "
            f"unlike {aware[0]['_path']}: the history cannot be put in order (add the offset, "
            "e.g. +00:00)"
        )
    return [report for _, report in sorted(finished, key=lambda pair: pair[0])]


def load_history(path: Path) -> list[dict[str, Any]]:
    """One report, or every report.json-shaped file under a folder, oldest first."""
    if path.is_dir():
        reports = []
        for candidate in sorted(path.rglob("*.json")):
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                continue  # a history folder may hold other JSON; only reports count
            if _is_report(data):
                data["_path"] = str(candidate)
                reports.append(data)
        if not reports:
            raise ConfigError(f"{path}: no corpus-qa report.json found in the baseline folder")
    elif path.exists():
        reports = [_read_report(path)]
    else:
        raise ConfigError(f"{path}: baseline not found (give a report.json or a folder of them)")
    return _checked(reports)


@dataclass
class Comparison:
    """This run against the latest baseline, plus the history's rates for trend lines."""

    baseline: dict[str, Any]
    history: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    outlets: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    template_breaks: list[dict[str, Any]] = field(default_factory=list)
    #: check id -> reasons the baseline rules give against it
    reasons: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``baseline`` key of report.json."""
        return {
            "path": self.baseline["_path"],
            "finished_at": self.baseline.get("finished_at"),
            "dump_fingerprint": self.baseline.get("dump", {}).get("fingerprint"),
            "policy_sha256": self.baseline.get("policy", {}).get("sha256"),
            "history": [
                {
                    "path": report["_path"],
                    "finished_at": report.get("finished_at"),
                    "verdict": report.get("gate", {}).get("verdict"),
                }
                for report in self.history
            ],
            "warnings": self.warnings,
            "checks": self.checks,
            "outlets": self.outlets,
            "template_breaks": self.template_breaks,
            "reasons": [reason for reasons in self.reasons.values() for reason in reasons],
        }


def _checks_by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(check["id"]): check for check in report["checks"]}


def compare(
    results: list[CheckResult], history: list[dict[str, Any]], policy: Policy
) -> Comparison:
    """Rates then and now per check and per outlet; the reasons the baseline rules give."""
    baseline = history[-1]
    comparison = Comparison(baseline=baseline, history=history)
    for report in history:
        sha = report.get("policy", {}).get("sha256")
        if sha != policy.sha256:
            comparison.warnings.append(
                f"{report['_path']} was gated with another policy (sha256 {str(sha)[:12]}, "
                f"now {policy.sha256[:12]}): rates compare, thresholds may not"
            )
    then_checks = _checks_by_id(baseline)
    past = [_checks_by_id(report) for report in history]
    rule = policy.template_break
    for result in results:
        then = then_checks.get(result.id)
        then_rate = float(then["rate"]) if then is not None else None
        change = (result.rate - then_rate) * 100 if then_rate is not None else None
        max_increase = policy.for_check(result.id).max_increase
        comparison.checks[result.id] = {
            "then": then_rate,
            "now": result.rate,
            "change_pp": None if change is None else round(change, 4),
            "max_increase": max_increase,
            "history": [float(old[result.id]["rate"]) if result.id in old else None for old in past]
            + [result.rate],
        }
        reasons = comparison.reasons.setdefault(result.id, [])
        if not result.enabled:
            continue
        if max_increase is not None and change is not None and change > max_increase:
            reasons.append(
                f"{result.id}: rate rose {change:.1f} points against the baseline "
                f"({pct(then_rate or 0.0)} -> {pct(result.rate)}); max +{max_increase:g}"
            )
        then_outlets: dict[str, Any] = then.get("by_outlet", {}) if then is not None else {}
        rows: dict[str, dict[str, Any]] = {}
        for outlet, now in result.by_outlet.items():
            # report.json names an outlet escaped and cut (reports.json_bound).
            old = then_outlets.get(outlet, then_outlets.get(shown_key(outlet)))
            old_rate = float(old["rate"]) if old is not None else None
            rows[outlet] = {
                "then": old_rate,
                "now": float(now["rate"]),
                "articles_then": int(old["articles"]) if old is not None else None,
                "articles_now": int(now["articles"]),
            }
            if (
                rule is not None
                and old_rate is not None
                and old_rate <= rule.from_max
                and now["rate"] >= rule.to_min
                and now["articles"] >= rule.min_articles
            ):
                reason = (
                    f"template break: {outlet} {result.id} {pct(old_rate)} -> "
                    f"{pct(float(now['rate']))} (n={int(now['articles'])})"
                )
                comparison.template_breaks.append(
                    {"check": result.id, "outlet": outlet, **rows[outlet], "reason": reason}
                )
                reasons.append(reason)
        comparison.outlets[result.id] = rows
    comparison.reasons = {key: value for key, value in comparison.reasons.items() if value}
    return comparison


def apply(comparison: Comparison, results: list[CheckResult], verdict: Verdict) -> Verdict:
    """The verdict with the baseline rules applied; updates the checks' status in place.

    ``max_increase`` gives a check the status of its severity; a template break fails
    the check whatever its severity, because it means the scraper broke for an outlet.
    """
    breaks = {item["check"] for item in comparison.template_breaks}
    extra: list[str] = []
    for result in results:
        reasons = comparison.reasons.get(result.id)
        if not reasons:
            continue
        status = "fail" if result.id in breaks else STATUS_BY_SEVERITY[result.severity]
        if _RANK.get(status, 0) > _RANK.get(result.status, 0):
            result.status = status
        result.reason = "; ".join([r for r in [result.reason, *reasons] if r])
        if gates(result.status, verdict.fail_on):
            extra.extend(reasons)
    failing = [r for r in results if gates(r.status, verdict.fail_on)]
    return Verdict(passed=not failing, fail_on=verdict.fail_on, reasons=verdict.reasons + extra)
