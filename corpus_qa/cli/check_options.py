"""The options of ``check``, which ``config`` shares to show what they resolve to.

Their long names are the configuration file's keys (``corpus_qa.config``). Kept free
of heavy imports: ``--help`` builds them before pandas loads.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from corpus_qa.limits import add_limit_options


def add_check_options(check: argparse.ArgumentParser) -> None:
    """The options of ``check`` (and ``config``, which shows what they resolve to)."""
    where = check.add_mutually_exclusive_group()
    where.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (corpus-qa.toml, or a pyproject.toml's [tool.corpus-qa]) "
        "instead of the one found from the current folder upwards",
    )
    where.add_argument(
        "--isolated", action="store_true", help="read no configuration file: flags and defaults"
    )
    check.add_argument("--out", type=Path, default=Path("reports"), help="report folder")
    check.add_argument(
        "--input-format",
        choices=["pages", "html", "warc", "jsonl", "json", "parquet", "csv"],
        help="read every file as this format instead of guessing from its extension",
    )
    check.add_argument(
        "--format",
        dest="output_format",
        choices=["text", "json"],
        default="text",
        help="stdout: the summary table (text) or report.json (json)",
    )
    check.add_argument(
        "--chunk-size",
        type=_positive_int,
        default=10_000,
        help="records per chunk (default 10000; a JSONL chunk also stops at 32 MiB)",
    )
    check.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="TARGET=NAME",
        help="map a record field, e.g. --field body=maintext (repeatable)",
    )
    check.add_argument("--policy", type=Path, help="policy file (TOML or YAML)")
    check.add_argument(
        "--checks-dir", type=Path, action="append", default=[], help="folder of extra checks"
    )
    check.add_argument("--fail-on", choices=["error", "warning"], help="override the policy")
    check.add_argument(
        "--reference-time",
        type=_timestamp,
        help="scrape time (ISO 8601) for resolving relative dates such as '4 hours ago'",
    )
    check.add_argument(
        "--samples", type=_non_negative_int, default=50, help="evidence samples kept per check"
    )
    check.add_argument(
        "--jobs",
        type=_jobs,
        help="worker processes (default: every core; never more than the cores or the "
        "chunks; 1 checks in this process)",
    )
    check.add_argument(
        "--engine",
        choices=["pandas", "dask"],
        default="pandas",
        help="pandas: this machine's cores; dask: a Dask cluster (see --scheduler)",
    )
    check.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)",
    )
    check.add_argument(
        "--partitions",
        type=_positive_int,
        metavar="N",
        help="with --engine dask: partitions of each shuffled global check's state, "
        "each finalized by one task (default: one per worker; more for a large dump)",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="print only the verdict line")
    _add_ci_options(check)
    _add_report_options(check)
    _add_record_outputs(check)
    add_limit_options(check)
    check.add_argument(
        "--schema",
        type=Path,
        help="your Pandera contract of the articles table (YAML, or a .py defining one)",
    )
    check.add_argument(
        "--gx",
        action="store_true",
        help="also validate with Great Expectations and flag disagreements (report: interop.gx)",
    )
    check.add_argument(
        "--gx-data-docs", type=Path, metavar="DIR", help="with --gx: build GX Data Docs in DIR"
    )


def _add_ci_options(check: argparse.ArgumentParser) -> None:
    """What a run shows while it runs and where CI pins its findings."""
    from corpus_qa.reports.annotations import DEFAULT_LIMIT
    from corpus_qa.run.progress import HEARTBEAT_SECONDS

    check.add_argument(
        "--annotations",
        choices=["github", "none"],
        help="github: workflow commands (::error file=...,line=...::) for the first "
        "findings of each check (default: github when GITHUB_ACTIONS=true, else none)",
    )
    check.add_argument(
        "--max-annotations",
        type=_non_negative_int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"annotations per check (default {DEFAULT_LIMIT}; at most --samples)",
    )
    check.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (terminal) or heartbeat lines (elsewhere) on stderr",
    )
    check.add_argument(
        "--heartbeat",
        type=_positive_float,
        default=HEARTBEAT_SECONDS,
        metavar="SECONDS",
        help=f"off a terminal, a progress line every SECONDS (default {HEARTBEAT_SECONDS:g})",
    )


def _add_report_options(check: argparse.ArgumentParser) -> None:
    """Report files beside report.json, and the baseline to compare with."""
    check.add_argument("--html", type=Path, help="report.html path (default OUT/report.html)")
    check.add_argument("--no-html", action="store_true", help="do not write report.html")
    check.add_argument("--junit", type=Path, help="JUnit XML path (default OUT/junit.xml)")
    check.add_argument(
        "--summary-md", type=Path, help="Markdown summary path (default OUT/summary.md)"
    )
    check.add_argument(
        "--baseline",
        type=Path,
        help="a previous report.json, or a folder of them (history), to compare with",
    )
    check.add_argument(
        "--history",
        type=Path,
        metavar="FILE",
        help="metrics history (DuckDB file, created if missing): judge anomalies against "
        "its accepted runs, then append this run (docs/history.md)",
    )


def _add_record_outputs(check: argparse.ArgumentParser) -> None:
    """Where records go besides the reports: quarantined/failing ones, clean ones."""
    check.add_argument(
        "--quarantine",
        type=Path,
        metavar="DIR",
        help="write records that could not be read or have an error finding, and "
        "reasons.jsonl, to DIR",
    )
    check.add_argument(
        "--clean-out",
        type=Path,
        metavar="FILE",
        help="write the records with no error finding to FILE (JSON Lines)",
    )


def _whole_number(value: str) -> int:
    # A bare ValueError would make argparse print the callable's name.
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def _positive_int(value: str) -> int:
    number = _whole_number(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number > 0 or number == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of seconds above 0")
    return number


def _jobs(value: str) -> int:
    from corpus_qa.run.workers import MAX_JOBS, cores

    number = _positive_int(value)
    if number > MAX_JOBS:
        raise argparse.ArgumentTypeError(
            f"{value} worker processes is more than {MAX_JOBS}; this machine has "
            f"{cores()} cores and --jobs never uses more"
        )
    return number


def _non_negative_int(value: str) -> int:
    number = _whole_number(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def _timestamp(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from error
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2025-07-25T09:00:00+00:00")
    return moment
