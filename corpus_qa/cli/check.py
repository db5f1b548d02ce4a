"""``corpus-qa check``: one run of the gate, from its options to its exit code.

The run (``corpus_qa.run``) decides; this wires its options, stops it on a signal,
leaves a report that cannot pass when it stops early, and records the history.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import TYPE_CHECKING

from corpus_qa import signals
from corpus_qa.cli.exits import EXIT_FAIL, EXIT_PASS
from corpus_qa.cli.gx import observers
from corpus_qa.cli.output import annotate, print_outcome, write_ci_reports
from corpus_qa.errors import CorpusQAError, InputError, Interrupted
from corpus_qa.limits import limits_from_args
from corpus_qa.reports.escape import printable

if TYPE_CHECKING:
    from corpus_qa.run.outcome import RunResult
    from corpus_qa.run.output_set import OutputSet
    from corpus_qa.run.prehash import Prehash


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


def cmd_check(args: argparse.Namespace) -> int:
    """Check ``args.dump`` into ``args.out``; SIGINT and SIGTERM stop the run."""
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
    from corpus_qa.reports.json_report import build_report, interrupted_stub, write_report
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
        observers=observers(args),
        quarantine_dir=args.quarantine,
        clean_out=args.clean_out,
        prehash=prehash,
        baseline=args.baseline,
        history=args.history,
        output_set=output_set,
        side_outputs={option: path for option, path in side.items() if path is not None},
        limits=limits_from_args(args),
        meanwhile=(_writers_loader(args),),
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
    staged = write_ci_reports(report, args, output_set)
    output_set.commit()
    annotate(report, args)
    outputs = [report_path, result.findings_path, *(output_set.final(p) for p in staged)]
    print_outcome(report, result, args, outputs)
    if result.history is not None:
        from corpus_qa.history.record import record

        # After the reports: a history that cannot be written never costs them.
        record(result.history, result.verdict.passed)
    return EXIT_PASS if result.verdict.passed else EXIT_FAIL


def _writers_loader(args: argparse.Namespace) -> Callable[[], None]:
    """Imports the writers of the reports this run will write: while the workers check
    the first chunks (:attr:`RunOptions.meanwhile`), not after the last, when the
    run's end waits for them."""
    names = ["corpus_qa.reports.junit", "corpus_qa.reports.summary_md"]
    if not args.no_html:
        names.append("corpus_qa.reports.html_report")
    if not args.quiet and args.output_format != "json":
        names.append("corpus_qa.reports.terminal")

    def load() -> None:
        for name in names:
            import_module(name)

    return load


def _history_void(args: argparse.Namespace, result: RunResult | None, status: str) -> None:
    """Record an interrupted or unread run (never a reference); errors only warn."""
    if args.history is None:
        return
    from corpus_qa.history.record import void_run

    try:
        void_run(args.history, args.dump, args.policy, result, status)
    except CorpusQAError as error:
        print(f"corpus-qa: warning: {printable(str(error))}", file=sys.stderr)
