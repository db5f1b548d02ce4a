"""Great Expectations for the CLI: its install hint, and ``check --gx``'s observer.

GX is an extra (``corpus-qa[gx]``), imported only when a command asks for it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from corpus_qa.errors import ConfigError

if TYPE_CHECKING:
    from corpus_qa.run.chunk import ChunkObserver


def require_gx(what: str) -> None:
    """Exit 2 with the install hint when Great Expectations cannot be imported."""
    try:
        import great_expectations  # noqa: F401
    except ImportError as error:
        raise ConfigError(
            f"{what} needs Great Expectations: pip install 'corpus-qa[gx]'"
        ) from error


def observers(args: argparse.Namespace) -> list[ChunkObserver]:
    """The GX cross-check of every chunk, with ``--gx`` or ``--gx-data-docs``."""
    if not (args.gx or args.gx_data_docs):
        return []
    require_gx("--gx")
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.interop.gx_run import GxCrossCheck

    return [
        GxCrossCheck(
            load_policy(args.policy, checks_dirs=args.checks_dir),
            compare_schema=args.schema is None,
            data_docs=args.gx_data_docs,
        )
    ]
