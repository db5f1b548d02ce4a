"""Lines of a JSONL block quarantined before any parser sees them.

Arrow's JSON reader crashes on deep nesting and would hold an over-long line whole;
a file's last line cut mid-write is a truncation, not one malformed record. These are
found here, per block, with vectorized scans, and become :class:`Failed` records.
"""

from __future__ import annotations

import json

import numpy as np

from corpus_qa.ingest.depth import bracket_positions, deep_lines
from corpus_qa.ingest.fields import Failed
from corpus_qa.limits import IngestLimits


def forced_failures(
    block: bytes,
    at_end: bool,
    limits: IngestLimits,
    positions: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[int, Failed]:
    """Lines (0-based) quarantined without parsing: longer than ``max_line_bytes``
    (``input.too_large``), nested deeper than ``max_depth`` (``input.too_complex``),
    and a last line without newline that is no whole JSON value when the block ends
    the file (``input.truncated``). ``positions``: the block's
    :func:`~corpus_qa.ingest.depth.bracket_positions`, when the caller has them."""
    max_depth, cap = limits.max_depth, limits.max_line_bytes
    if positions is None:
        positions = bracket_positions(block)
    forced = {
        index: Failed(
            f"JSON nested {depth:,} levels deep (more than {max_depth:,}): not parsed",
            "input.too_complex",
        )
        for index, depth in deep_lines(block, max_depth, positions=positions).items()
    }
    if len(block) > cap:
        ends = np.concatenate([positions[1], [len(block)]])
        sizes = np.diff(ends, prepend=-1)  # each line with its newline
        for long in np.flatnonzero(sizes > cap + 1):
            forced[int(long)] = Failed(
                f"record of {int(sizes[long]) - 1:,} bytes is longer than --max-line-bytes "
                f"({cap:,}): not read",
                "input.too_large",
            )
    if at_end and block and not block.endswith(b"\n"):
        last = block[block.rfind(b"\n") + 1 :]
        index = block.count(b"\n")
        if index not in forced and last.strip() and _cut_short(last):
            forced[index] = Failed(
                "the file ends inside this record (no final newline, not a whole JSON "
                "value): cut short mid-write",
                "input.truncated",
            )
    return forced


def _cut_short(line: bytes) -> bool:
    """Whether ``line`` is not a whole JSON value (bytes that are not UTF-8 aside)."""
    try:
        json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        return True
    except RecursionError:
        return False
    return False
