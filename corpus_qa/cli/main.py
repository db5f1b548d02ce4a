"""``corpus-qa``'s entry point: parse, read the configuration, run one command, and
turn whatever ends it into an exit code and at most one line on stderr."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus_qa.cli import hook
from corpus_qa.cli.check import cmd_check
from corpus_qa.cli.commands import cmd_export, cmd_history, cmd_policy, cmd_schema
from corpus_qa.cli.configured import cmd_config, with_config
from corpus_qa.cli.describe import cmd_checks, cmd_explain
from corpus_qa.cli.exits import EXIT_INTERNAL, EXIT_UNUSABLE
from corpus_qa.cli.parser import build_parser
from corpus_qa.errors import CorpusQAError, Interrupted
from corpus_qa.reports.escape import printable
from corpus_qa.run.collection import defer_collection, resume_collection


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``corpus-qa`` with ``argv`` (the program's arguments when None).

    Run as the program, it ends the process itself once its output is flushed and the
    exit handlers have run (see :func:`_end`); a check starts up without the cyclic
    garbage collector, which its run turns back on once set up, before its workers
    fork (:mod:`corpus_qa.run.collection`)."""
    if argv is None and _checks_a_dump(sys.argv[1:]):
        defer_collection()
    try:
        code = _main(argv)
    finally:
        resume_collection()
    if argv is None:
        _end(code)
    return code


def _checks_a_dump(args: Sequence[str]) -> bool:
    """Whether the command (the first argument that is not an option) runs a check,
    whose run turns the collector back on once set up; another command runs with it."""
    command = next((arg for arg in args if not arg.startswith("-")), None)
    return command in ("check", "hook")


def _end(code: int) -> None:
    """End the process now: standard streams flushed, ``atexit`` handlers run, and no
    thread left that the interpreter would wait for (else it ends as usual; daemon
    threads it would stop all the same). What it skips is the teardown of every
    module and object the run loaded, which only frees memory the exit gives back
    anyway, while the run's wall time waits for it. Every file corpus-qa writes is
    closed (atomically renamed) before this point."""
    first = threading.main_thread()
    if any(t.is_alive() and not t.daemon and t is not first for t in threading.enumerate()):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # the interpreter reports it and picks the exit code, as always
    atexit._run_exitfuncs()
    os._exit(code)


def _main(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.argv = argv
    except SystemExit as exit_:  # --help, --version and argument errors
        return exit_.code if isinstance(exit_.code, int) else EXIT_UNUSABLE
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "check": cmd_check,
        "config": cmd_config,
        "checks": cmd_checks,
        "explain": cmd_explain,
        "export": cmd_export,
        "policy": cmd_policy,
        "schema": cmd_schema,
        "history": cmd_history,
        # The hook gates each dump as `corpus-qa check` would: through this function.
        "hook": lambda hook_args: hook.run_command(hook_args, main),
    }
    try:
        if args.command != "schema":
            args = with_config(args, argv)
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
