"""A batch of records read from one file, and helpers to assemble one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from corpus_qa.ingest.fields import RAW_LIMIT, draft_frame
from corpus_qa.model import InputFile, Quarantined

#: A piece of a batch: the frame of readable records and the quarantined ones.
Part = tuple[pd.DataFrame, list[Quarantined]]


@dataclass
class RecordBatch:
    """Up to ``chunk_size`` records of one file: the readable ones as a draft frame."""

    file: InputFile
    frame: pd.DataFrame
    quarantined: list[Quarantined] = field(default_factory=list)
    records_read: int = 0
    #: File-level notices that are not records (e.g. the file was recoded): reported
    #: as findings, never counted as quarantined records.
    issues: list[Quarantined] = field(default_factory=list)


def make_batch(file: InputFile, parts: Sequence[Part]) -> RecordBatch:
    """One batch from parts in file order; ``records_read`` counts rows and quarantines."""
    frames = [frame for frame, _ in parts if len(frame)]
    if not frames:
        frame = empty_frame(file.display)
    else:
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    quarantined = [q for _, entries in parts for q in entries]
    return RecordBatch(file, frame, quarantined, len(frame) + len(quarantined))


def empty_frame(display: str) -> pd.DataFrame:
    """A draft frame with no rows (and the right columns and dtypes)."""
    nothing = pa.array([], pa.large_string())
    names = ("record_id", "body", "title", "byline", "published_raw", "url", "outlet")
    return draft_frame(display, np.empty(0, np.int64), dict.fromkeys(names, nothing), [])


def stopped(
    file: InputFile,
    reason: str,
    line: int | None,
    offset: int | None,
    raw: str | None,
    kind: str = "input.truncated",
) -> RecordBatch:
    """A batch of one entry: the file could not be read past this point."""
    reason = f"{reason}; records after this point are lost"
    kept = raw[:RAW_LIMIT] if raw else None
    entry = Quarantined(file.display, line, reason, offset, kept, kind, unknown_loss=True)
    return RecordBatch(file, empty_frame(file.display), [entry], 1)


def unreadable(file: InputFile, error: OSError, line: int | None = None) -> RecordBatch:
    """A batch of one entry: the file (from ``line`` on) could not be read at all."""
    reason = f"cannot read the file: {error.strerror or error}"
    entry = Quarantined(file.display, line, reason, kind="input.unreadable")
    return RecordBatch(file, empty_frame(file.display), [entry], 1)


def too_large(
    file: InputFile, line: int | None, offset: int | None, size: int, cap: int
) -> RecordBatch:
    """A batch of one entry: a record of ``size`` bytes, over the ``cap``, not read."""
    reason = (
        f"record of {size:,} bytes is longer than --max-line-bytes ({cap:,}): skipped "
        "unread; reading goes on after it"
    )
    entry = Quarantined(file.display, line, reason, offset, None, "input.too_large")
    return RecordBatch(file, empty_frame(file.display), [entry], 1)
