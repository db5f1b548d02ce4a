"""The check API: what a check author writes, and how the catalog finds checks.

- :mod:`.api`: :class:`Check` (per record), :class:`GlobalCheck` (whole dump) and
  :class:`ConfirmingGlobalCheck` (whole dump, confirmed on re-read texts), and the
  vectorized helpers checks are written with (``hits``, ``find_spans``, ...).
- :mod:`.options`: :class:`CheckOptions`, the typed settings a check declares.
- :mod:`.catalog`: the shipped checks (top-level ``checks/``, mapped in as
  ``corpus_qa.checks.builtin``) plus ``--checks-dir`` folders, read without importing
  (``describe_checks``) or loaded to run (``load_checks``).
- :mod:`.global_state`: global checks' per-chunk states, compact in memory, spilled to disk.
- :mod:`.framework`: documentation of the findings the framework raises itself.
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.checks.api import (
        Check,
        ConfirmingGlobalCheck,
        GlobalCheck,
        contains_literal,
        find_spans,
        hits,
        literal_spans,
        no_global_hits,
        no_hits,
        spans_in,
    )
    from corpus_qa.checks.catalog import CheckInfo, describe_checks, load_checks
    from corpus_qa.checks.framework import framework_doc
    from corpus_qa.checks.global_state import GlobalStates
    from corpus_qa.checks.options import CheckOptions

__all__ = [
    "Check",
    "CheckInfo",
    "CheckOptions",
    "ConfirmingGlobalCheck",
    "GlobalCheck",
    "GlobalStates",
    "contains_literal",
    "describe_checks",
    "find_spans",
    "framework_doc",
    "hits",
    "literal_spans",
    "load_checks",
    "no_global_hits",
    "no_hits",
    "spans_in",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Check": "corpus_qa.checks.api",
        "CheckInfo": "corpus_qa.checks.catalog",
        "CheckOptions": "corpus_qa.checks.options",
        "ConfirmingGlobalCheck": "corpus_qa.checks.api",
        "GlobalCheck": "corpus_qa.checks.api",
        "GlobalStates": "corpus_qa.checks.global_state",
        "contains_literal": "corpus_qa.checks.api",
        "describe_checks": "corpus_qa.checks.catalog",
        "find_spans": "corpus_qa.checks.api",
        "framework_doc": "corpus_qa.checks.framework",
        "hits": "corpus_qa.checks.api",
        "literal_spans": "corpus_qa.checks.api",
        "load_checks": "corpus_qa.checks.catalog",
        "no_global_hits": "corpus_qa.checks.api",
        "no_hits": "corpus_qa.checks.api",
        "spans_in": "corpus_qa.checks.api",
    },
)
