"""``corpus-qa checks`` and ``corpus-qa explain``: the catalog, without running it.

Neither imports pandas: the catalog reads the check classes with ``ast``.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import TYPE_CHECKING

from corpus_qa.cli.exits import EXIT_PASS
from corpus_qa.config import did_you_mean
from corpus_qa.errors import ConfigError

if TYPE_CHECKING:
    from corpus_qa.checks.catalog import CheckInfo


def cmd_checks(args: argparse.Namespace) -> int:
    """The checks as a table, or as a JSON array (``--format json``)."""
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


def cmd_explain(args: argparse.Namespace) -> int:
    """A check's documentation, or a framework finding's; exit 2 for an unknown id."""
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
