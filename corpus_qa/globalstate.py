"""The global checks' states as the run collects them: compact in memory, the rest on disk.

Each chunk's state of a global check reaches this process (from a worker, a cluster
or :func:`~corpus_qa.engine.process_chunk` here) and waits for the end of the dump.
Kept whole, the states grow with the dump: ``boilerplate.recurring`` alone keeps a
row per body paragraph with its evidence, about 2.9 KB per article. So a check may
declare two kinds of columns (class attributes, both optional):

* ``spilled``: columns its finalize reads only for the rows it reports (file, line,
  evidence...). They go to an Arrow IPC file in a private temporary folder (under
  ``TMPDIR``), removed when the run ends, fails or is interrupted; finalize reads back
  just its hits' rows (:class:`Spill`).
* ``encoded``: string columns it only compares for equality (a record id, an outlet).
  In memory they become ``int32`` codes, equal exactly when the strings are equal
  across the whole dump (:class:`Codes`); a missing value is ``-1``.

What stays in memory is a few integers per row, so findings are exactly those of the
whole states (a repeat split across chunks, workers or partitions is still found) at a
fraction of the memory. Such a check's ``finalize`` (and ``wanted``/``confirm``) take
the spilled columns as a second argument, a :class:`Rows`; without it (a state built
whole, as in tests) they read them from the state itself (:class:`InMemory`).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from corpus_qa.checking import Check, GlobalCheck


class Rows(Protocol):
    """The spilled columns of a check's state, by row position in the whole state."""

    def take(self, rows: np.ndarray) -> pd.DataFrame: ...


class InMemory:
    """:class:`Rows` of a state that still holds its spilled columns."""

    def __init__(self, state: pd.DataFrame, columns: Sequence[str]) -> None:
        self._state = state.reset_index(drop=True)
        self._columns = list(columns)

    def take(self, rows: np.ndarray) -> pd.DataFrame:
        return (
            self._state[self._columns].iloc[np.asarray(rows, dtype=np.int64)].reset_index(drop=True)
        )


def spilled_rows(check: GlobalCheck, state: pd.DataFrame, rows: Rows | None) -> Rows:
    """``rows``, or the state's own columns when nothing was spilled."""
    return rows if rows is not None else InMemory(state, getattr(check, "spilled", ()))


class Spill:
    """Frames appended to one Arrow IPC file, read back by row position.

    Each append is one record batch; :meth:`take` reads only the batches that hold
    the wanted rows, one at a time, and keeps just those rows.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: ipc.RecordBatchFileWriter | None = None
        self._schema: pa.Schema | None = None
        self._dtypes: dict[str, Any] = {}
        self._columns: list[str] = []
        self._ends: list[int] = []
        self.rows = 0

    def append(self, frame: pd.DataFrame) -> None:
        if not len(frame):
            return
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._writer is None:
            # A column that is all missing in the first frame is typed by the later ones.
            fields = [
                pa.field(f.name, pa.large_string()) if pa.types.is_null(f.type) else f
                for f in table.schema
            ]
            self._schema = pa.schema(fields)
            self._dtypes = {str(c): t for c, t in frame.dtypes.items()}
            self._columns = list(frame.columns)
            self._writer = ipc.new_file(str(self.path), self._schema)
        assert self._schema is not None
        for batch in table.cast(self._schema).to_batches():
            self._writer.write_batch(batch)
            self.rows += batch.num_rows
            self._ends.append(self.rows)

    def finish(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def take(self, rows: np.ndarray) -> pd.DataFrame:
        """The rows at these positions (in append order), in the order given."""
        self.finish()
        rows = np.asarray(rows, dtype=np.int64)
        if self._schema is None or not len(rows):
            return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in self._dtypes.items()})
        order = np.argsort(rows, kind="stable")
        wanted = rows[order]
        ends = np.asarray(self._ends, dtype=np.int64)
        starts = np.concatenate([[0], ends[:-1]])
        batch_of = np.searchsorted(ends, wanted, side="right")
        parts = []
        # Read, not mapped: a mapped batch is touched whole by the reader, and every
        # batch holding a hit would stay resident until the end. Read, one batch at a
        # time is in memory.
        with pa.OSFile(str(self.path)) as source:
            reader = ipc.open_file(source)
            for b in np.unique(batch_of).tolist():
                local = wanted[batch_of == b] - starts[b]
                parts.append(reader.get_batch(b).take(pa.array(local)))
            table = pa.Table.from_batches(parts, schema=self._schema).combine_chunks()
        pa.default_memory_pool().release_unused()
        taken = table.to_pandas().astype(self._dtypes)
        back = np.empty(len(rows), dtype=np.int64)
        back[order] = np.arange(len(rows))
        result: pd.DataFrame = taken.iloc[back].reset_index(drop=True)[self._columns]
        return result

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


class Codes:
    """Strings to ``int32`` codes, the same code for the same string all run long."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}

    def encode(self, values: pd.Series) -> np.ndarray:
        array = pa.array(values, from_pandas=True)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        # Arrow finds the chunk's distinct values; only those meet the dictionary.
        encoded = pc.dictionary_encode(array)
        known = self._codes
        mapped = np.array(
            [known.setdefault(u, len(known)) for u in encoded.dictionary.to_pylist()] + [-1],
            dtype=np.int32,
        )
        # Missing values index the -1 at the end.
        local = pc.fill_null(encoded.indices, len(mapped) - 1).to_numpy()
        codes: np.ndarray = mapped[local]
        return codes


class _Collected:
    """One check's states: in-memory columns per chunk, spilled columns in one file."""

    def __init__(self, check: GlobalCheck, folder: Path | None, codes: dict[str, Codes]) -> None:
        self.spilled: tuple[str, ...] = tuple(getattr(check, "spilled", ()))
        self.encoded: tuple[str, ...] = tuple(getattr(check, "encoded", ()))
        self.spill = Spill(folder / f"{check.id}.arrow") if folder and self.spilled else None
        self.codes = codes
        self.parts: list[pd.DataFrame] = []

    def add(self, state: pd.DataFrame) -> None:
        if not len(state):
            return
        if self.spill is None:
            self.parts.append(state)
            return
        self.spill.append(state[list(self.spilled)])
        kept = {}
        for column in state.columns:
            if column in self.encoded:
                kept[column] = self.codes.setdefault(column, Codes()).encode(state[column])
            elif column not in self.spilled:
                kept[column] = state[column].to_numpy()
        self.parts.append(pd.DataFrame(kept))

    def state(self) -> pd.DataFrame:
        parts = self.parts
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


class GlobalStates:
    """Every chunk's state of the global checks, in chunk order (a context manager:
    leaving it removes the spill folder)."""

    def __init__(self, checks: Sequence[Check], *, spill: bool = True) -> None:
        globals_ = [c for c in checks if isinstance(c, GlobalCheck)]
        wants = spill and any(getattr(c, "spilled", ()) for c in globals_)
        self.folder = Path(tempfile.mkdtemp(prefix="corpus-qa-state-")) if wants else None
        # Record ids and outlets get one code book across checks: one copy of each string.
        codes: dict[str, Codes] = {}
        self._checks = {c.id: _Collected(c, self.folder, codes) for c in globals_}

    def add(self, states: dict[str, pd.DataFrame]) -> None:
        for check_id, state in states.items():
            collected = self._checks.get(check_id)
            if collected is not None:
                collected.add(state)

    def state(self, check_id: str) -> tuple[pd.DataFrame, Rows | None]:
        """The check's in-memory state and its spilled rows (``None``: none spilled)."""
        collected = self._checks.get(check_id)
        if collected is None:
            return pd.DataFrame(), None
        return collected.state(), collected.spill

    def close(self) -> None:
        for collected in self._checks.values():
            if collected.spill is not None:
                collected.spill.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> GlobalStates:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
