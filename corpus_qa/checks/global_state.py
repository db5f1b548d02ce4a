"""The global checks' states as the run collects them: compact in memory, the rest on disk.

Each chunk's state of a global check reaches this process (from a worker, a cluster
or :func:`~corpus_qa.run.chunk.process_chunk` here) and waits for the end of the dump.
Kept whole, the states grow with the dump: ``boilerplate.recurring`` alone keeps a
row per body paragraph with its evidence, more than the article's text. So a check may
declare two kinds of columns (:class:`~corpus_qa.checks.api.GlobalCheck` attributes,
both empty by default):

* ``spilled``: columns its finalize reads only for the rows it reports (file, line,
  evidence...). Each chunk's go to an Arrow IPC file of their own in a private
  temporary folder (under ``TMPDIR``), removed when the run ends, fails or is
  interrupted (or by a later run if it was killed: :func:`sweep_stale_folders`);
  finalize reads back just its hits' rows, from whichever files hold them
  (:class:`Spill`).
* ``encoded``: string columns it only compares for equality (a record id, an outlet).
  In memory they become ``int32`` codes, equal exactly when the strings are equal
  across the whole dump (:class:`Codes`); a missing value is ``-1``.

Where the chunk was checked, :func:`shrink` writes the spilled columns and replaces
each encoded column by its distinct values and an index per row (a :class:`Shrunk`):
a worker process (:mod:`corpus_qa.run.workers`) writes its chunks' files itself, so only
keys, those dictionaries and a file's path cross the pipe, not the evidence. States
that arrive whole (``--jobs 1``, or a Dask cluster whose workers may not share this
machine's disk) are shrunk here. Either way the dictionaries meet one run-wide code
book here, in chunk order.

What stays in memory is a few integers per row, so findings are exactly those of the
whole states (a repeat split across chunks, workers or partitions is still found) at a
fraction of the memory. A check's ``finalize`` (and ``wanted``/``confirm``) get the
spilled columns as a :class:`Rows`: from disk here, or from a state that still holds
them (:class:`InMemory`).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from corpus_qa.checks.api import Check, GlobalCheck, InMemory, Rows
from corpus_qa.checks.codes import Codes, dictionary

__all__ = ["GlobalStates", "InMemory", "Rows", "Shrunk", "Spill", "shrink", "shrink_states"]


@dataclass(frozen=True)
class SpillFile:
    """One chunk's spilled columns of one check: an Arrow IPC file, written once.

    Small and picklable: a worker that wrote the file sends this, not the columns.
    """

    path: str
    #: Rows of each record batch, in file order.
    batches: tuple[int, ...]
    schema: pa.Schema
    #: The frame's pandas dtypes, to give the columns back as they were.
    dtypes: dict[str, Any]


#: How a column of string categories is written: one index type, so every chunk's file
#: has one schema whatever its number of distinct values.
_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())


def _string_dictionary(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_dictionary(kind)
        and (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type))
    )


def write_spill(frame: pd.DataFrame, path: Path) -> SpillFile:
    """Write ``frame`` (some rows) to a new Arrow IPC file at ``path``.

    A column of string categories (a chunk's ids or paths, a code a row: no string a
    row) is written as a dictionary and read back as its categories' strings."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    dtypes: dict[str, Any] = {}
    for i, (name, dtype) in enumerate(frame.dtypes.items()):
        dtypes[str(name)] = dtype
        column = table.column(i)
        if isinstance(dtype, pd.CategoricalDtype) and _string_dictionary(column.type):
            table = table.set_column(i, str(name), column.cast(_DICTIONARY))
            dtypes[str(name)] = dtype.categories.dtype
    batches = [batch for batch in table.to_batches() if batch.num_rows]
    with ipc.new_file(str(path), table.schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
    return SpillFile(str(path), tuple(b.num_rows for b in batches), table.schema, dtypes)


class Spill:
    """The spilled columns of a check's state: chunk files in chunk order, read back
    by row position in the whole state.

    :meth:`take` maps the files that hold the wanted rows, one at a time, and copies
    out just those rows.
    """

    def __init__(self) -> None:
        self.files: list[SpillFile] = []
        self._schema: pa.Schema | None = None
        self._dtypes: dict[str, Any] = {}
        self.rows = 0

    def add(self, file: SpillFile) -> None:
        if self._schema is None:
            # A column that is all missing in the first chunk is typed by the later ones;
            # a dictionary is read back as its strings (each chunk's is its own).
            self._schema = pa.schema(
                [
                    pa.field(f.name, pa.large_string())
                    if pa.types.is_null(f.type) or _string_dictionary(f.type)
                    else f
                    for f in file.schema
                ]
            )
            self._dtypes = dict(file.dtypes)
        self.files.append(file)
        self.rows += sum(file.batches)

    def take(self, rows: np.ndarray) -> pd.DataFrame:
        """The rows at these positions (in chunk order), in the order given."""
        rows = np.asarray(rows, dtype=np.int64)
        if self._schema is None or not len(rows):
            return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in self._dtypes.items()})
        order = np.argsort(rows, kind="stable")
        wanted = rows[order]
        # Every file's batches, numbered across files in chunk order.
        sizes = np.asarray([n for file in self.files for n in file.batches], dtype=np.int64)
        owner = np.repeat(np.arange(len(self.files)), [len(f.batches) for f in self.files])
        first = np.concatenate([[0], np.cumsum([len(f.batches) for f in self.files])])
        ends = np.cumsum(sizes)
        batch_of = np.searchsorted(ends, wanted, side="right")
        hit, cuts = np.unique(batch_of, return_index=True)
        cuts = np.append(cuts, len(wanted))
        # What the check's own finalize freed (its counting over every row) goes back
        # first: the mapped pages below come on top of whatever the heap still holds.
        pa.default_memory_pool().release_unused()
        parts = []
        reader, opened = None, -1
        source: pa.MemoryMappedFile | None = None
        try:
            for k, b in enumerate(hit.tolist()):
                if owner[b] != opened:
                    if source is not None:
                        source.close()
                    opened = int(owner[b])
                    # Mapped, not read: the reader finds a batch's buffers without
                    # reading them and ``take`` touches only the pages of the wanted
                    # rows, where a read brought in every file whole (the evidence of
                    # every paragraph, for a few thousand). The rows taken are copies;
                    # the mapping goes with the last buffer that refers to it.
                    source = pa.memory_map(self.files[opened].path)
                    reader = ipc.open_file(source)
                assert reader is not None
                local = wanted[cuts[k] : cuts[k + 1]] - (ends[b] - sizes[b])
                batch = reader.get_batch(b - int(first[opened])).take(pa.array(local))
                parts.append(batch.cast(self._schema))
                # A taken dictionary column still points into the mapping: let it go
                # now, or two files stay mapped while the next one is read.
                del batch
        finally:
            if source is not None:
                source.close()
        table = pa.Table.from_batches(parts, schema=self._schema).combine_chunks()
        pa.default_memory_pool().release_unused()
        taken = table.to_pandas().astype(self._dtypes)
        back = np.empty(len(rows), dtype=np.int64)
        back[order] = np.arange(len(rows))
        result: pd.DataFrame = taken.iloc[back].reset_index(drop=True)[list(self._dtypes)]
        return result


@dataclass
class Shrunk:
    """A chunk's state of a check that spills, as it waits for the end of the dump.

    ``columns`` are the state's other columns in order: arrays, or for an encoded
    column its :func:`dictionary` (mapped to run-wide codes where the states meet);
    ``spill`` holds the spilled columns (``None``: the chunk had no rows). Built where
    the chunk was checked (a worker process) or where the states meet, by :func:`shrink`.
    """

    rows: int
    columns: dict[str, np.ndarray | pa.DictionaryArray]
    spill: SpillFile | None


def shrink(check: GlobalCheck, state: pd.DataFrame, path: Path) -> Shrunk:
    """Write the check's spilled columns of ``state`` to ``path``; keep the rest small."""
    spilled, encoded = check.spilled, check.encoded
    if not len(state):
        return Shrunk(0, {}, None)
    columns: dict[str, np.ndarray | pa.DictionaryArray] = {}
    for column in state.columns:
        if column in encoded:
            columns[column] = dictionary(state[column])
        elif column not in spilled:
            columns[column] = state[column].to_numpy()
    return Shrunk(len(state), columns, write_spill(state[list(spilled)], path))


def shrink_states(
    checks: Sequence[Check], states: dict[str, pd.DataFrame | Shrunk], folder: Path, index: int
) -> dict[str, pd.DataFrame | Shrunk]:
    """Chunk ``index``'s states, those of checks that spill shrunk (files in ``folder``).

    Run by a worker process: the spilled columns then go from the worker to a file,
    never through the pipe and the parent (most of a chunk's answer otherwise).
    """
    spills = {c.id: c for c in checks if isinstance(c, GlobalCheck) and c.spilled}
    shrunk: dict[str, pd.DataFrame | Shrunk] = {}
    for check_id, state in states.items():
        check = spills.get(check_id)
        if check is None or not isinstance(state, pd.DataFrame):
            shrunk[check_id] = state
        else:
            shrunk[check_id] = shrink(check, state, folder / f"{check_id}.chunk{index}.arrow")
    return shrunk


class _Collected:
    """One check's states: in-memory columns per chunk, spilled columns in files.

    A shrunk chunk's columns are kept as separate arrays, not a frame: a frame of
    several columns of one dtype would copy them into one block, and the whole state
    could not be built column by column while the chunks' arrays are freed.
    """

    def __init__(
        self,
        check: GlobalCheck,
        folder: Path | None,
        codes: dict[str, Codes],
        release: Callable[[], None] | None = None,
    ) -> None:
        self.check = check
        self.release = release
        self.folder = folder
        self.spill = Spill() if folder is not None and check.spilled else None
        self.codes = codes
        self.parts: list[pd.DataFrame] = []
        #: Per column, the shrunk chunks' arrays in chunk order.
        self.columns: dict[str, list[np.ndarray]] = {}
        self.chunks = 0

    def add(self, state: pd.DataFrame | Shrunk) -> None:
        if isinstance(state, pd.DataFrame):
            if not len(state):
                return
            if self.spill is None or self.folder is None:
                self.parts.append(state)
                return
            path = self.folder / f"{self.check.id}.{self.chunks}.arrow"
            state = shrink(self.check, state, path)
        if not state.rows:
            return
        assert self.spill is not None and state.spill is not None
        self.spill.add(state.spill)
        self.chunks += 1
        for column, values in state.columns.items():
            kept = (
                self.codes.setdefault(column, Codes()).map(values)
                if isinstance(values, pa.DictionaryArray)
                else values
            )
            self.columns.setdefault(column, []).append(kept)

    def take(self) -> pd.DataFrame:
        """The whole state, handed over: this no longer holds it.

        Each column is joined and its chunks' arrays freed as they are copied
        (:func:`_join`), so the state is in memory about once, not twice, while its
        check finalizes.
        """
        if self.columns:
            whole: dict[str, np.ndarray] = {}
            for column in list(self.columns):
                whole[column] = _join(self.columns.pop(column), self.release)
            # copy=False: the joined arrays are the frame's, not copied into blocks.
            return pd.DataFrame(whole, copy=False)
        parts, self.parts = self.parts, []
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


#: While a column is joined, freed chunk arrays are handed back every this many bytes.
_RELEASE_BYTES = 16 << 20


def _join(pieces: list[np.ndarray], release: Callable[[], None] | None) -> np.ndarray:
    """One column from its chunks' arrays (emptying ``pieces``), each freed once copied.

    A chunk's array is smaller than glibc's mmap threshold, so it lives in the heap,
    which keeps freed blocks until trimmed: ``release`` (the run's
    :func:`~corpus_qa.run.memory.give_back_memory`) hands them back as the column
    fills, instead of the whole column staying in memory twice.
    """
    if len(pieces) == 1:
        return pieces.pop()
    joined = np.empty(sum(len(p) for p in pieces), dtype=np.result_type(*pieces))
    pieces.reverse()
    at = freed = 0
    while pieces:
        piece = pieces.pop()
        joined[at : at + len(piece)] = piece
        at += len(piece)
        freed += piece.nbytes
        del piece
        if release is not None and freed >= _RELEASE_BYTES:
            release()
            freed = 0
    if release is not None:
        release()
    return joined


_PREFIX = "corpus-qa-state-"


def _host() -> str:
    return socket.gethostname() or "localhost"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sweep_stale_folders(root: Path | None = None) -> list[Path]:
    """Remove spill folders of runs on this host whose process is gone.

    A run removes its folder when it ends, fails or is interrupted; one killed outright
    (SIGKILL, the OOM killer, a power cut) cannot. Folders are named after the host and
    the run's process id, so a run sweeps only what it can prove dead: never a folder
    of another machine sharing ``TMPDIR``, nor of a live process.
    """
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(_PREFIX + "*"):
        # mkdtemp's random suffix has no "-"; the host name may.
        parts = folder.name[len(_PREFIX) :].rsplit("-", 2)
        if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit():
            continue
        if not _alive(int(parts[1])):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


class GlobalStates:
    """Every chunk's state of the global checks, in chunk order (a context manager:
    leaving it removes the spill folder, with the files workers wrote there)."""

    def __init__(
        self,
        checks: Sequence[Check],
        *,
        spill: bool = True,
        release: Callable[[], None] | None = None,
    ) -> None:
        """``release`` hands freed memory back to the system (see :func:`_join`)."""
        globals_ = [c for c in checks if isinstance(c, GlobalCheck)]
        wants = spill and any(c.spilled for c in globals_)
        #: Where spilled columns go; worker processes write their chunks' files here too.
        self.folder = None
        if wants:
            sweep_stale_folders()
            self.folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{_host()}-{os.getpid()}-"))
        # Record ids and outlets get one code book across checks: one copy of each string.
        codes: dict[str, Codes] = {}
        self._checks = {c.id: _Collected(c, self.folder, codes, release) for c in globals_}

    def add(self, states: dict[str, pd.DataFrame | Shrunk]) -> None:
        """One chunk's states (chunks in order), whole or already shrunk by a worker."""
        for check_id, state in states.items():
            collected = self._checks.get(check_id)
            if collected is not None:
                collected.add(state)

    def state(self, check_id: str) -> tuple[pd.DataFrame, Rows]:
        """The check's in-memory state and its spilled columns by state row.

        Once per check: the state is handed over (its chunks' parts freed as it is
        joined), so it is freed when the caller is done with it.
        """
        collected = self._checks.get(check_id)
        if collected is None:
            return pd.DataFrame(), InMemory(pd.DataFrame(), ())
        state = collected.take()
        if collected.spill is not None:
            return state, collected.spill
        return state, InMemory(state, collected.check.spilled)

    def close(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> GlobalStates:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
