"""``corpus-qa``: wires the stages together; decides nothing itself.

Exit codes: 0 the gate passed, 1 the gate failed, 2 the input or the arguments could
not be used (one line on stderr naming the file and line, never a traceback), 3 a bug
in corpus-qa or in a check (one line; ``CORPUS_QA_DEBUG=1`` shows the traceback).
Heavy imports (pandas, pandera) happen inside the commands that need them, so
``--help``, ``checks`` and ``explain`` start instantly.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import signal
import sys
import textwrap
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_qa import __version__
from corpus_qa.config import did_you_mean
from corpus_qa.errors import ConfigError, CorpusQAError, InputError, Interrupted
from corpus_qa.limits import add_limit_options, limits_from_args
from corpus_qa.reports.escape import printable
from corpus_qa.run import signals

if TYPE_CHECKING:
    from corpus_qa.checks.catalog import CheckInfo
    from corpus_qa.run.chunk import ChunkObserver
    from corpus_qa.run.outcome import RunResult
    from corpus_qa.run.output_set import OutputSet
    from corpus_qa.run.prehash import Prehash

EXIT_PASS, EXIT_FAIL, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """Exit 2 on bad arguments; no abbreviated options (``--ou`` is an error, so a
    new option can never change what an old command line means); a did-you-mean."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        message = _suggest(message, _option_strings(self))
        self.exit(EXIT_UNUSABLE, f"corpus-qa: error: {message} (see --help)\n")


def _option_strings(parser: argparse.ArgumentParser) -> list[str]:
    """The long options of ``parser`` and of its commands (unknown ones are reported by
    the top-level parser, which does not know which command's they were meant for)."""
    options = []
    for action in parser._actions:
        options += [s for s in action.option_strings if s.startswith("--")]
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                options += _option_strings(sub)
    return sorted(set(options))


_UNRECOGNIZED = re.compile(r"unrecognized arguments: (?P<args>.*)")
_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)")


def _suggest(message: str, options: Sequence[str]) -> str:
    """argparse's "invalid choice" or "unrecognized arguments" with the closest names."""
    unknown = _UNRECOGNIZED.search(message)
    if unknown is not None:
        hints = [
            did_you_mean(arg.split("=")[0], options)
            for arg in unknown["args"].split()
            if arg.startswith("--")
        ]
        return "; ".join([message, *filter(None, hints)])
    found = _INVALID_CHOICE.search(message)
    if found is None:
        return message
    choices = re.findall(r"'([^']*)'", found["choices"])
    close = did_you_mean(found["given"], choices)
    return message if not close else f"{message}; {close}"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="corpus-qa",
        description="Quality gate for scraped news dumps: parse, validate, check, report.",
        epilog="Exit codes: 0 pass, 1 gate failed, 2 unusable input or arguments, 3 internal error.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"corpus-qa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check a dump and gate on the policy",
        description="Check DUMP (a file, a folder or a glob, or an s3://, gs:// or https:// "
        "URL of one) and write reports to --out. "
        "Options not given come from [tool.corpus-qa] in pyproject.toml or a corpus-qa.toml "
        "(searched from the current folder upwards), then from the defaults.",
    )
    check.add_argument("dump", metavar="DUMP", help="file, folder, glob or URL of pages or records")
    _add_check_options(check)
    config = commands.add_parser(
        "config",
        help="print the effective configuration and where each value came from",
        description="Print the options `corpus-qa check` would run with (given the same "
        "flags), each with its source: a flag, the configuration file, or the default.",
    )
    config.add_argument("dump", metavar="DUMP", nargs="?", help="as for check (optional)")
    _add_check_options(config)

    export = commands.add_parser(
        "export",
        help="export the gate as a GX Expectation Suite or the contract as Pandera YAML",
    )
    export.add_argument("target", choices=["gx", "pandera"])
    export.add_argument("--out", type=Path, required=True, help="file to write")
    export.add_argument("--policy", type=Path, help="policy file (gx: thresholds, exemptions)")

    listing = commands.add_parser("checks", help="list the checks")
    listing.add_argument("--checks-dir", type=Path, action="append", default=[])
    listing.add_argument(
        "--format",
        dest="output_format",
        choices=["text", "json"],
        default="text",
        help="a table (text) or a JSON array of the checks (json)",
    )

    explain = commands.add_parser("explain", help="print a check's documentation")
    explain.add_argument("check_id", metavar="ID")
    explain.add_argument("--checks-dir", type=Path, action="append", default=[])

    schema = commands.add_parser("schema", help="print a JSON Schema of an output")
    schema.add_argument("name", choices=["report"], help="report: report.json")

    policy = commands.add_parser("policy", help="inspect a policy")
    policy_commands = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    show = policy_commands.add_parser(
        "show",
        help="print the effective policy as TOML, each value with the file it came from",
        description="Print the policy a run would use (your file layered on the default) "
        "as TOML; a comment after each value names the file it came from.",
    )
    show.add_argument("--policy", type=Path, help="policy file (TOML or YAML)")
    show.add_argument("--checks-dir", type=Path, action="append", default=[])
    from corpus_qa.history.command import add_parser as add_history_parser
    from corpus_qa.hook import add_parser as add_hook_parser

    add_history_parser(commands)
    add_hook_parser(commands)
    return parser


def _add_check_options(check: argparse.ArgumentParser) -> None:
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


def _positive_int(value: str) -> int:
    number = int(value)
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

    try:
        number = _positive_int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number > MAX_JOBS:
        raise argparse.ArgumentTypeError(
            f"{value} worker processes is more than {MAX_JOBS}; this machine has "
            f"{cores()} cores and --jobs never uses more"
        )
    return number


def _non_negative_int(value: str) -> int:
    number = int(value)
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


def _cmd_checks(args: argparse.Namespace) -> int:
    from corpus_qa.checks.catalog import describe_checks

    infos = describe_checks(args.checks_dir)
    if args.output_format == "json":
        print(json.dumps([_check_json(info) for info in infos], indent=2, ensure_ascii=False))
        return EXIT_PASS
    width = max(len(info.id) for info in infos)
    origins = max(len(info.origin) for info in infos)
    for info in infos:
        print(
            f"{info.id:<{width}}  {info.severity:<7}  {info.scope:<6}  "
            f"{info.origin:<{origins}}  {info.name}"
        )
    print("\nframework checks: schema.<table>.<column>, input.*, encoding.*, interop.disagreement")
    print("`corpus-qa explain ID` prints a check's documentation.")
    return EXIT_PASS


def _check_json(info: CheckInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "name": info.name,
        "severity": info.severity,
        "scope": info.scope,
        "table": info.table,
        "module": info.module,
        "origin": info.origin,
        "options": [
            {"name": o.name, "type": o.type, "default": o.default, "doc": o.doc}
            for o in info.options
        ],
    }


def _cmd_explain(args: argparse.Namespace) -> int:
    from corpus_qa.checks.catalog import describe_checks
    from corpus_qa.checks.framework import FRAMEWORK_DOCS, framework_doc

    infos = {info.id: info for info in describe_checks(args.checks_dir)}
    info = infos.get(args.check_id)
    if info is None:
        doc = framework_doc(args.check_id)
        if doc is None:
            close = did_you_mean(args.check_id, [*infos, *FRAMEWORK_DOCS])
            hint = close or "`corpus-qa checks` lists them"
            raise ConfigError(f"unknown check {args.check_id!r}; {hint}")
        print(doc)
        return EXIT_PASS
    print(f"{info.id}: {info.name}")
    print(f"severity: {info.severity}; scope: {info.scope}; table: {info.table}\n")
    print(textwrap.dedent(info.doc))
    if info.options:
        print(f'\nOptions (policy table [checks."{info.id}".options]):')
        for option in info.options:
            print(f"  {option.name}: {option.type} = {option.default}  {option.doc}".rstrip())
    return EXIT_PASS


@contextmanager
def _signals_stop_the_run() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` in the main thread.

    Handled here, not in workers: whatever runs the chunks (threads, processes, a
    cluster), the main thread stops, reports what it counted as incomplete and fails.
    A second signal while that report is written is ignored so it is not cut short.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_IGN)

        def interrupt() -> None:
            raise Interrupted(signum, signal.Signals(signum).name)

        # Not from inside pandas' JSON encoder, which segfaults on it (see signals.py).
        signals.stop(interrupt)

    signals.reset()  # a stop an earlier run in this process was asked for is done
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        signals.reset()


def _cmd_check(args: argparse.Namespace) -> int:
    with _signals_stop_the_run():
        return _check(args)


def _check(args: argparse.Namespace) -> int:
    from corpus_qa.run.prehash import Prehash

    # Before the imports below (slow, on one core): the dump is hashed on the other.
    prehash = Prehash.of_dump(args.dump)
    from corpus_qa.run.output_set import OutputSet

    with OutputSet(args.out) as output_set:
        return _check_into(args, prehash, output_set)


def _check_into(args: argparse.Namespace, prehash: Prehash | None, output_set: OutputSet) -> int:
    from corpus_qa.reports.json_bound import dumps_report
    from corpus_qa.reports.json_report import build_report, interrupted_stub, write_report
    from corpus_qa.reports.terminal import summary
    from corpus_qa.run.progress import progress_view
    from corpus_qa.run.runner import RunInterrupted, RunOptions, run

    side = {"--html": args.html, "--junit": args.junit, "--summary-md": args.summary_md}
    options = RunOptions(
        dump=args.dump,
        out_dir=args.out,
        format=args.input_format,
        chunk_size=args.chunk_size,
        fields=args.field,
        policy=args.policy,
        checks_dirs=args.checks_dir,
        reference_time=args.reference_time,
        samples=args.samples,
        fail_on=args.fail_on,
        jobs=args.jobs,
        engine=args.engine,
        scheduler=args.scheduler,
        partitions=args.partitions,
        schema=args.schema,
        observers=_observers(args),
        quarantine_dir=args.quarantine,
        clean_out=args.clean_out,
        prehash=prehash,
        baseline=args.baseline,
        history=args.history,
        output_set=output_set,
        side_outputs={option: path for option, path in side.items() if path is not None},
        limits=limits_from_args(args),
    )
    progress = progress_view(
        sys.stderr, enabled=not (args.quiet or args.no_progress), interval=args.heartbeat
    )
    report_path = args.out / "report.json"
    try:
        completed = False
        try:
            result = run(options, progress=progress)
            completed = True
        finally:
            # Before anything else is printed: the bar's line is finished first, and
            # a run that failed gets no closing heartbeat (its error is the last line).
            if progress is not None:
                progress.close(completed=completed)
    except RunInterrupted as stop:
        write_report(build_report(stop.result), output_set.staged("report.json"))
        output_set.commit()
        print(
            f"corpus-qa: {stop}; incomplete report: {printable(str(report_path))}", file=sys.stderr
        )
        _history_void(args, stop.result, "incomplete")
        return 128 + stop.signum
    except InputError:
        _history_void(args, None, "failed_input")
        raise
    except Interrupted as stop:
        # Stopped before counting began: still leave no report that could pass.
        if output_set.opened or args.out.is_dir():
            output_set.open()
            stub = interrupted_stub(str(args.dump), stop.name)
            write_report(stub, output_set.staged("report.json"))
            output_set.commit()
        print(f"corpus-qa: run interrupted by {stop.name}", file=sys.stderr)
        return 128 + stop.signum
    report = build_report(result)
    write_report(report, output_set.staged("report.json"))
    staged = _write_ci_reports(report, args, output_set)
    output_set.commit()
    _annotate(report, args)
    outputs = [report_path, result.findings_path, *(output_set.final(p) for p in staged)]
    if args.output_format == "json":
        print(dumps_report(report), end="")
    elif args.quiet:
        print(f"corpus-qa: {result.verdict.label} ({printable(str(report_path))})")
    else:
        print(summary(result, outputs))
    if result.history is not None:
        from corpus_qa.history.record import record

        # After the reports: a history that cannot be written never costs them.
        record(result.history, result.verdict.passed)
    return EXIT_PASS if result.verdict.passed else EXIT_FAIL


def _annotate(report: dict[str, object], args: argparse.Namespace) -> None:
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


def _history_void(args: argparse.Namespace, result: RunResult | None, status: str) -> None:
    """Record an interrupted or unread run (never a reference); errors only warn."""
    if args.history is None:
        return
    from corpus_qa.history.record import void_run

    try:
        void_run(args.history, args.dump, args.policy, result, status)
    except CorpusQAError as error:
        print(f"corpus-qa: warning: {printable(str(error))}", file=sys.stderr)


def _observers(args: argparse.Namespace) -> list[ChunkObserver]:
    if not (args.gx or args.gx_data_docs):
        return []
    _require_gx("--gx")
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.interop.gx_run import GxCrossCheck

    return [
        GxCrossCheck(
            load_policy(args.policy, checks_dirs=args.checks_dir),
            compare_schema=args.schema is None,
            data_docs=args.gx_data_docs,
        )
    ]


def _cmd_policy(args: argparse.Namespace) -> int:
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.gate.show import render

    print(render(load_policy(args.policy, checks_dirs=args.checks_dir)), end="")
    return EXIT_PASS


def _require_gx(what: str) -> None:
    """Exit 2 with the install hint when Great Expectations cannot be imported."""
    try:
        import great_expectations  # noqa: F401
    except ImportError as error:
        raise ConfigError(
            f"{what} needs Great Expectations: pip install 'corpus-qa[gx]'"
        ) from error


def check_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The ``check`` command's parser: its options are the configuration's keys."""
    return _subparser(parser, "check")


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[name]
            return found
    raise KeyError(name)


#: What a configuration file sets for the commands besides check and config.
_SHARED_KEYS = frozenset({"policy", "checks_dir"})


def _with_config(args: argparse.Namespace, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments again, with the configuration file's values as the defaults.

    ``check`` and ``config`` take every key; ``checks``, ``explain``, ``export`` and
    ``policy show`` take the policy and the checks folders, so they show what a check
    would use.
    """
    from corpus_qa import config

    found = None
    if not getattr(args, "isolated", False):
        explicit = getattr(args, "config", None)
        found = config.read(explicit) if explicit else config.discover(Path.cwd())
    parser = build_parser()
    values: dict[str, object] = {}
    if found is not None:
        # Every key is checked against check's options, whichever command reads the file.
        values = config.values(_subparser(parser, "check"), found)
        target = _subparser(parser, args.command)
        if args.command == "policy":
            target = _subparser(target, args.policy_command)
        if args.command not in ("check", "config"):
            own = {action.dest for action in target._actions}
            values = {k: v for k, v in values.items() if k in _SHARED_KEYS and k in own}
        target.set_defaults(**values)
        args = parser.parse_args(argv)
    args.argv = argv
    args.config_file = found
    args.config_values = values
    return args


def _cmd_config(args: argparse.Namespace) -> int:
    from corpus_qa.config import given_on_command_line, option_keys, toml_value

    argv = sys.argv[1:] if args.argv is None else args.argv
    found = args.config_file
    if args.isolated:
        print("# --isolated: no configuration file read")
    elif found is None:
        print(f"# no configuration file found from {Path.cwd()} upwards")
    else:
        print(f"# configuration: {found.label}")
    for key, action in option_keys(_subparser(build_parser(), "config")).items():
        value = getattr(args, action.dest)
        if given_on_command_line(action, argv):
            source = f"flag --{key}"
        elif action.dest in args.config_values:
            source = found.label
        else:
            source = "default"
        if value is None or value == []:
            print(f"# {key} (unset)  # {source}")
        else:
            print(f"{key} = {toml_value(value)}  # {source}")
    return EXIT_PASS


def _cmd_schema(args: argparse.Namespace) -> int:
    from corpus_qa.reports.json_report import report_schema

    print(json.dumps(report_schema(), indent=2, ensure_ascii=False))
    return EXIT_PASS


def _cmd_history(args: argparse.Namespace) -> int:
    from corpus_qa.history.command import run_command

    return run_command(args)


def _cmd_hook(args: argparse.Namespace) -> int:
    from corpus_qa.hook import run_command

    return run_command(args)


def _cmd_export(args: argparse.Namespace) -> int:
    from corpus_qa.interop.export import export

    if args.target == "gx":
        _require_gx("export gx")

    for path in export(args.target, args.out, args.policy):
        print(f"wrote {path}")
    return EXIT_PASS


def _write_ci_reports(
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


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.argv = argv
    except SystemExit as exit_:  # --help, --version and argument errors
        return exit_.code if isinstance(exit_.code, int) else EXIT_UNUSABLE
    commands = {
        "check": _cmd_check,
        "config": _cmd_config,
        "checks": _cmd_checks,
        "explain": _cmd_explain,
        "export": _cmd_export,
        "policy": _cmd_policy,
        "schema": _cmd_schema,
        "history": _cmd_history,
        "hook": _cmd_hook,
    }
    try:
        if args.command != "schema":
            args = _with_config(args, argv)
        return commands[args.command](args)
    except CorpusQAError as error:
        # File names come from the dump: escaped, and the message stays one line.
        print(f"corpus-qa: error: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except Interrupted as stop:
        print(f"corpus-qa: interrupted by {stop.name}", file=sys.stderr)
        return 128 + stop.signum
    except KeyboardInterrupt:
        print("corpus-qa: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `corpus-qa check DUMP | head`: the reader left, as with any Unix tool; quiet,
        # and stdout pointed at /dev/null so the interpreter's final flush cannot fail.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except Exception as error:  # a bug in corpus-qa or a check: say so in one line
        if os.environ.get("CORPUS_QA_DEBUG"):
            raise
        where = _innermost_frame(error)
        print(
            f"corpus-qa: internal error: {type(error).__name__}: {printable(str(error))} ({where}); "
            "rerun with CORPUS_QA_DEBUG=1 for the traceback",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if argv is None:
            # Run as the program: what follows is the interpreter's teardown, whose
            # final collections would traverse every object pandas and the run left
            # (CPU time for nothing). Frozen, they are skipped; memory goes back at exit.
            gc.freeze()


def _innermost_frame(error: BaseException) -> str:
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    if trace is None:
        return "unknown location"
    return f"{Path(trace.tb_frame.f_code.co_filename).name}:{trace.tb_lineno}"


if __name__ == "__main__":
    sys.exit(main())
