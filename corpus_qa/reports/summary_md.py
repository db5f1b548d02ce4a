"""``summary.md``: the verdict, the per-check table and the worst outlets, for CI pages.

GitHub renders a step summary as Markdown with some HTML, so every string from the
dump (outlet names, paths) is escaped for both.
"""

from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path
from typing import Any

from corpus_qa.gate.verdict import limit_text
from corpus_qa.reports.atomic import write_text

_TOP_OUTLETS = 10
_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")
# The words report.json uses (pass, fail, warn, notice, skipped); a failure in bold.
_ICON = {"fail": "**fail**"}


def md(text: object) -> str:
    """Text from the dump as inert Markdown: HTML escaped, punctuation backslashed."""
    flat = " ".join(str(text).split())
    return _MARKDOWN.sub(r"\\\1", html.escape(flat, quote=False))


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def _change(report: dict[str, Any], check_id: str) -> str:
    change = report.get("baseline", {}).get("checks", {}).get(check_id, {}).get("change_pp")
    return "-" if change is None else f"{change:+.1f} pp"


def top_outlets(
    report: dict[str, Any], limit: int = _TOP_OUTLETS
) -> list[tuple[str, int, str, float]]:
    """Outlets by their worst rate over the enabled checks: (outlet, articles, check, rate)."""
    worst: dict[str, tuple[str, int, str, float]] = {}
    for check in report["checks"]:
        if not check.get("enabled", True):
            continue
        for outlet, row in check.get("by_outlet", {}).items():
            if row["rate"] > worst.get(outlet, ("", 0, "", -1.0))[3]:
                worst[outlet] = (outlet, int(row["articles"]), check["id"], float(row["rate"]))
    ranked = sorted(worst.values(), key=lambda item: (-item[3], -item[1], item[0]))
    return [item for item in ranked if item[3] > 0][:limit]


def build_summary(report: dict[str, Any]) -> str:
    gate = report["gate"]
    counts = report["counts"]
    word = "pass" if gate["passed"] else "fail"
    lines = [
        f"## corpus-qa: gate {word}",
        "",
        f"{md(report['dump']['path'])}: {counts['articles']:,} articles, "
        f"{counts['images']:,} images, {counts['findings']:,} findings "
        f"(gate fails on {gate['fail_on']})",
        "",
    ]
    lines += [f"- {md(reason)}" for reason in gate["reasons"]]
    for warning in report.get("baseline", {}).get("warnings", []):
        lines.append(f"- warning: {md(warning)}")
    lines += [
        "",
        "| check | severity | findings | records | rate | limit | vs baseline | status |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for check in report["checks"]:
        lines.append(
            f"| `{check['id']}` | {check['severity']} | {check['count']:,} | "
            f"{check['records']:,} | {_rate(check['rate'])} | {limit_text(check.get('max_rate'), check.get('max_count'))} | "
            f"{_change(report, check['id'])} | {_ICON.get(check['status'], check['status'])} |"
        )
    outlets = top_outlets(report)
    if outlets:
        lines += [
            "",
            "### Outlets with the highest rates",
            "",
            "| outlet | articles | worst check | rate |",
            "| --- | ---: | --- | ---: |",
        ]
        lines += [f"| {md(o)} | {n:,} | `{c}` | {r:.1%} |" for o, n, c, r in outlets]
    return "\n".join(lines) + "\n"


def write_summary(report: dict[str, Any], path: Path) -> None:
    """Write summary.md, and append it to ``$GITHUB_STEP_SUMMARY`` when CI sets one."""
    text = build_summary(report)
    write_text(path, text)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        try:
            with open(step_summary, "a", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            # The job page is a convenience: it must not turn a verdict into a crash.
            print(
                f"corpus-qa: warning: cannot append to GITHUB_STEP_SUMMARY: {error}",
                file=sys.stderr,
            )
