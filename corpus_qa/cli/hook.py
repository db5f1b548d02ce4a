"""``corpus-qa hook FILE...``: what the pre-commit hooks run on the staged files.

pre-commit passes the staged files that match a hook's ``files`` pattern. Each is
checked by what it is: ``pyproject.toml`` or ``corpus-qa.toml`` as the configuration
(its keys, values and policy table), another ``.toml``/``.yaml``/``.yml`` as a policy
(layered on the default and validated against the checks), anything else as a dump,
gated as ``corpus-qa check FILE`` would (with the configuration found), its reports
in ``OUT/<file>/``. The exit code is the worst of the files': 0 all passed, 1 a gate
failed, 2 a file could not be used, 3 a bug.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus_qa.cli.parser import build_parser, check_parser
from corpus_qa.errors import CorpusQAError
from corpus_qa.reports.escape import printable

_POLICY_SUFFIXES = frozenset({".toml", ".yaml", ".yml"})


def kind(path: Path) -> str:
    """``config``, ``policy`` or ``dump``: how :func:`run_command` checks ``path``."""
    from corpus_qa.config import CONFIG_FILE_NAMES

    if path.name in CONFIG_FILE_NAMES:
        return "config"
    return "policy" if path.suffix.lower() in _POLICY_SUFFIXES else "dump"


def _check_config(path: Path, checks_dirs: list[Path]) -> None:
    from corpus_qa import config
    from corpus_qa.gate.policy import load_policy

    found = config.read_if_any(path)
    if found is None:  # a pyproject.toml that does not configure corpus-qa
        return
    config.values(check_parser(build_parser()), found)
    if isinstance(found.table.get("policy"), dict):
        load_policy(path, checks_dirs=checks_dirs)


def _gate(path: Path, out: Path, cli: Callable[[Sequence[str]], int]) -> int:
    folder = out / path.as_posix().replace("/", "__")
    return cli(["check", str(path), "--out", str(folder), "--quiet", "--no-progress"])


def run_command(args: argparse.Namespace, cli: Callable[[Sequence[str]], int]) -> int:
    """Check ``args.files``; a dump is gated by ``cli`` (``corpus-qa``'s ``main``), as
    ``corpus-qa check`` with its configuration found and its errors one line."""
    from corpus_qa.gate.policy import load_policy

    worst = 0
    for path in args.files:
        what = kind(path)
        try:
            if what == "config":
                _check_config(path, args.checks_dir)
            elif what == "policy":
                load_policy(path, checks_dirs=args.checks_dir)
            else:
                print(f"{printable(str(path))}:", flush=True)
                worst = max(worst, _gate(path, args.out, cli))
                continue
        except CorpusQAError as error:
            print(f"corpus-qa: error: {printable(str(error))}", file=sys.stderr)
            worst = max(worst, error.exit_code)
            continue
        print(f"{printable(str(path))}: {what} ok")
    return worst
