"""The ``corpus-qa`` argument tree: its commands and their options.

Argument errors exit 2 with one line and the closest names. Kept free of heavy
imports: ``--help`` builds the tree before pandas loads.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus_qa import __version__
from corpus_qa.cli.check_options import add_check_options
from corpus_qa.cli.exits import EXIT_UNUSABLE
from corpus_qa.config import did_you_mean


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
    add_check_options(check)
    config = commands.add_parser(
        "config",
        help="print the effective configuration and where each value came from",
        description="Print the options `corpus-qa check` would run with (given the same "
        "flags), each with its source: a flag, the configuration file, or the default.",
    )
    config.add_argument("dump", metavar="DUMP", nargs="?", help="as for check (optional)")
    add_check_options(config)

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

    add_history_parser(commands)
    _add_hook_parser(commands)
    return parser


def _add_hook_parser(commands: Any) -> None:
    """``hook``: what the pre-commit hooks run (:mod:`corpus_qa.cli.hook`)."""
    hook = commands.add_parser(
        "hook",
        help="check files as pre-commit passes them: dumps, policies, configuration",
        description="Check each FILE: pyproject.toml and corpus-qa.toml as configuration, "
        "other .toml/.yaml/.yml files as policies, anything else as a dump (gated as "
        "`corpus-qa check FILE`, reports in OUT/<file>/).",
    )
    hook.add_argument("files", nargs="*", type=Path, metavar="FILE")
    hook.add_argument(
        "--out",
        type=Path,
        default=Path("reports") / "pre-commit",
        help="a dump file's reports go to OUT/<file>/ (default reports/pre-commit)",
    )
    hook.add_argument("--checks-dir", type=Path, action="append", default=[])


def check_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The ``check`` command's parser: its options are the configuration's keys."""
    return subparser(parser, "check")


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of command ``name`` (an action, for ``policy``'s own parser)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices[name]
            return found
    raise KeyError(name)
