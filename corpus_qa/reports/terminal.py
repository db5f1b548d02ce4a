"""The compact summary printed at the end of ``corpus-qa check``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus_qa.gate.verdict import limit_text
from corpus_qa.reports.escape import printable, truncate
from corpus_qa.run.outcome import RunResult

#: Characters kept of one line (a reason may quote a 1 MB outlet name).
_LINE_CHARS = 1_000


def _field_lines(field_map: dict[str, Any]) -> list[str]:
    """``  fields: body<-text, byline<-author (31 empty), outlet<-sitename, ...``."""
    if not field_map:
        return []
    sampled = field_map["sampled"]
    parts = []
    for role, info in field_map["roles"].items():
        fed = info["fields"]
        names = "+".join(fed or info.get("present") or ["(none)"])
        empty = sampled - info["filled"]
        parts.append(f"{role}<-{names}" + (f" ({empty} empty)" if empty else ""))
    return [f"  fields (first {sampled} records): " + ", ".join(parts)]


def summary(result: RunResult, outputs: Sequence[Path]) -> str:
    stats = result.stats
    files = len(result.inputs)
    lines = [
        f"corpus-qa: {result.options.dump}: {files} file{'s' if files != 1 else ''}, "
        f"{stats.records_read} records read ({stats.pages} pages), "
        f"{stats.articles} articles, {stats.images} images",
        f"  checked {stats.records_read - stats.records_quarantined}, "
        f"quarantined {stats.records_quarantined}, "
        f"chrome lines removed {stats.chrome_lines}, unplaced lines {stats.unplaced_lines}, "
        f"exempted {sum(stats.exempted.values())}",
        *_field_lines(result.field_map),
        "",
        f"{'check':<28} {'severity':<8} {'findings':>8} {'records':>8} {'rate':>7} "
        f"{'limit':>10}  status",
    ]
    for check in result.checks:
        lines.append(
            f"{check.id:<28} {check.severity:<8} {check.count:>8} {check.records:>8} "
            f"{check.rate:>7.1%} {limit_text(check.max_rate, check.max_count):>10}  "
            f"{check.status}"
        )
    verdict = result.verdict
    lines += ["", f"verdict: {verdict.label.upper()} (gate fails on {verdict.fail_on})"]
    lines += [f"  - {reason}" for reason in verdict.reasons]
    if outputs:
        lines += ["", "reports: " + ", ".join(str(path) for path in outputs)]
    # Dump paths, check ids and reasons may hold control characters: escape each line.
    return "\n".join(printable(truncate(line, _LINE_CHARS)) for line in lines)
