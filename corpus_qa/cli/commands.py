"""The commands that hand off to one function of a stage: ``policy show``,
``schema``, ``export`` and ``history``."""

from __future__ import annotations

import argparse
import json

from corpus_qa.cli.exits import EXIT_PASS
from corpus_qa.cli.gx import require_gx


def cmd_policy(args: argparse.Namespace) -> int:
    """``policy show``: the effective policy as TOML, each value with its file."""
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.gate.show import render

    print(render(load_policy(args.policy, checks_dirs=args.checks_dir)), end="")
    return EXIT_PASS


def cmd_schema(args: argparse.Namespace) -> int:
    """``schema report``: the JSON Schema of report.json."""
    from corpus_qa.reports.json_report import report_schema

    print(json.dumps(report_schema(), indent=2, ensure_ascii=False))
    return EXIT_PASS


def cmd_export(args: argparse.Namespace) -> int:
    """``export gx|pandera``: the gate as a GX suite, or the contract as Pandera YAML."""
    from corpus_qa.interop.export import export

    if args.target == "gx":
        require_gx("export gx")

    for path in export(args.target, args.out, args.policy):
        print(f"wrote {path}")
    return EXIT_PASS


def cmd_history(args: argparse.Namespace) -> int:
    """``history ACTION``: the metrics history (:mod:`corpus_qa.history.command`)."""
    from corpus_qa.history.command import run_command

    return run_command(args)
