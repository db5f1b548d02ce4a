"""What ``check`` writes besides report.json: the CI reports, GitHub annotations,
and its stdout (the summary table, the verdict line, or report.json)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_qa.reports.escape import printable

if TYPE_CHECKING:
    from corpus_qa.run.outcome import RunResult
    from corpus_qa.run.output_set import OutputSet


def write_ci_reports(
    report: dict[str, object], args: argparse.Namespace, output_set: OutputSet
) -> list[Path]:
    """report.html, junit.xml and summary.md: staged in the output set, or written
    (atomically, each) where ``--html``/``--junit``/``--summary-md`` name a file."""
    from corpus_qa.reports.html_report import write_html
    from corpus_qa.reports.junit import write_junit
    from corpus_qa.reports.summary_md import write_summary

    written = []
    if not args.no_html:
        written.append(args.html or output_set.staged("report.html"))
        write_html(report, written[-1])
    written.append(args.junit or output_set.staged("junit.xml"))
    write_junit(report, written[-1])
    written.append(args.summary_md or output_set.staged("summary.md"))
    write_summary(report, written[-1])
    return written


def annotate(report: dict[str, object], args: argparse.Namespace) -> None:
    """GitHub annotations for the first findings of each check, when asked or in
    GitHub Actions; on stderr when stdout carries report.json (``--format json``)."""
    wanted = args.annotations or (
        "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "none"
    )
    if wanted != "github":
        return
    from corpus_qa.reports.annotations import workflow_commands

    stream = sys.stderr if args.output_format == "json" else sys.stdout
    for line in workflow_commands(report, args.max_annotations):
        print(line, file=stream)
    stream.flush()


def print_outcome(
    report: dict[str, object], result: RunResult, args: argparse.Namespace, outputs: list[Path]
) -> None:
    """report.json (``--format json``), the verdict line (``--quiet``) or the summary."""
    from corpus_qa.reports.json_bound import dumps_report
    from corpus_qa.reports.terminal import summary

    if args.output_format == "json":
        print(dumps_report(report), end="")
    elif args.quiet:
        report_path = args.out / "report.json"
        print(f"corpus-qa: {result.verdict.label} ({printable(str(report_path))})")
    else:
        print(summary(result, outputs))
