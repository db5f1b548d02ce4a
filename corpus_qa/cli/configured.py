"""The configuration file's values as the arguments' defaults; ``corpus-qa config``.

``pyproject.toml``'s ``[tool.corpus-qa]`` or a ``corpus-qa.toml``, found from the
current folder upwards (``corpus_qa.config`` reads and converts it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from corpus_qa.cli.exits import EXIT_PASS
from corpus_qa.cli.parser import build_parser, subparser

#: What a configuration file sets for the commands besides check and config.
_SHARED_KEYS = frozenset({"policy", "checks_dir"})


def with_config(args: argparse.Namespace, argv: Sequence[str] | None) -> argparse.Namespace:
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
        values = config.values(subparser(parser, "check"), found)
        target = subparser(parser, args.command)
        if args.command == "policy":
            target = subparser(target, args.policy_command)
        if args.command not in ("check", "config"):
            own = {action.dest for action in target._actions}
            values = {k: v for k, v in values.items() if k in _SHARED_KEYS and k in own}
        target.set_defaults(**values)
        args = parser.parse_args(argv)
    args.argv = argv
    args.config_file = found
    args.config_values = values
    return args


def cmd_config(args: argparse.Namespace) -> int:
    """``corpus-qa config``: each option ``check`` would run with, and its source."""
    from corpus_qa.config import given_on_command_line, option_keys, toml_value

    argv = sys.argv[1:] if args.argv is None else args.argv
    found = args.config_file
    if args.isolated:
        print("# --isolated: no configuration file read")
    elif found is None:
        print(f"# no configuration file found from {Path.cwd()} upwards")
    else:
        print(f"# configuration: {found.label}")
    for key, action in option_keys(subparser(build_parser(), "config")).items():
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
