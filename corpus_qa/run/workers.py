"""Chunks in parallel worker processes, with a bounded window and loud failures.

The parent plans the chunks and hands each to an idle worker over that worker's own
pipe, so it always knows which chunk each worker holds: a worker that dies (out of
memory, SIGKILL) fails the run with one line naming that chunk's file and first line,
instead of hanging or blaming the whole pool. A chunk of a plain JSONL file is only a
byte range (:class:`corpus_qa.ingest.LineRange`): the worker reads and parses it, so
parsing runs on every core and the parent holds no records. At most one chunk per
worker is in flight plus the one the parent is planning, so memory is bounded by
``(jobs + 1) * chunk`` whatever the dump's size; after each chunk a worker hands the
memory Arrow kept for reuse back to the system, so it does not creep up chunk by chunk.
A worker writes its chunk's spilled global-check columns (evidence, file, line...) to
a file of the run's spill folder itself and answers with that file's path: they were
most of an answer's bytes, pickled, sent, unpickled and written again by the parent (:mod:`corpus_qa.checks.global_state`).

Workers are forked where the platform allows: they inherit the loaded checks
(including ``--checks-dir`` modules that are not importable by name) and skip
re-importing pandas. Results come back in completion order; the caller restores
chunk order with :func:`corpus_qa.run.chunk.write_order`.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from corpus_qa import signals
from corpus_qa.checks import guard
from corpus_qa.checks.global_state import shrink_states
from corpus_qa.errors import CheckFailed, CorpusQAError, WorkerError
from corpus_qa.ingest import LineRange, PageUnit, Planned
from corpus_qa.ingest.jsonl import parse_in_one_piece
from corpus_qa.run.chunk import ChunkContext, ChunkResult, process_chunk
from corpus_qa.run.memory import give_back_memory

#: The most ``--jobs`` accepts; a larger value is an argument error, not a cap.
MAX_JOBS = 1024


def cores() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_jobs(requested: int | None = None) -> int:
    """Worker processes for ``--jobs requested``: every core by default, never more.

    More workers than cores only add processes that wait for a core, each holding a
    chunk in memory. :func:`run_parallel` also starts no more than there are chunks.
    """
    available = cores()
    return available if requested is None else max(1, min(requested, available))


def describe_chunk(units: Sequence[Planned]) -> str:
    """``file:line`` of a chunk's first record, for messages about the chunk."""
    if not units:
        return "(empty chunk)"
    unit = units[0]
    if isinstance(unit, LineRange):
        return unit.where
    if isinstance(unit, PageUnit):
        return f"{unit.file.display}:1"
    lines = [int(unit.frame["line_start"].min())] if len(unit.frame) else []
    lines += [q.line for q in unit.quarantined if q.line is not None]
    return f"{unit.file.display}:{min(lines)}" if lines else unit.file.display


#: A timed stage a worker is in, shared with the parent: its deadline (monotonic
#: seconds, 0: none), the check's index in ``ctx.checks``, the stage's in _STAGES, the budget.
_WATCH_FIELDS = 4
_STAGES = ("run", "observe")


def _grace(budget: float) -> float:
    """When the parent kills a worker past ``budget``: the worker's own timer fails the
    check first, with a clean exit, unless the check never lets it."""
    return 2 * budget + 1


def _watcher(ctx: ChunkContext, watched: Any) -> guard.Watch:
    """What a worker tells its parent of the timed stage it is in (see _watch_over)."""
    index = {check.id: at for at, check in enumerate(ctx.checks)}

    def tell(stage: tuple[str, str, float] | None) -> None:
        if stage is None or stage[0] not in index or stage[1] not in _STAGES:
            watched[0] = 0.0
            return
        check_id, name, budget = stage
        watched[1], watched[2], watched[3] = index[check_id], _STAGES.index(name), budget
        watched[0] = time.monotonic() + _grace(budget)

    return tell


def _worker(
    conn: mpc.Connection,
    ctx: ChunkContext,
    spill_dir: Path | None,
    inherited: Sequence[mpc.Connection] = (),
    watched: Any = None,
) -> None:
    """Loop: receive a chunk, send back its result (or the error); ``None`` stops.

    With ``spill_dir``, the global checks' spilled columns go to files there and the
    answer carries only their paths (see :mod:`corpus_qa.checks.global_state`). ``inherited``:
    the parent's pipe ends a forked worker holds copies of, closed first.
    """
    # While this process holds the parent's end of its own pipe, the pipe never closes:
    # if the parent dies (SIGKILL, OOM killer, a crash), recv would wait forever and a
    # send of a large answer block forever, instead of failing and ending the worker.
    for end in inherited:
        end.close()
    # The parent stops the run on SIGINT and SIGTERM and reports it. A forked worker
    # inherits its handler, which raised here too, in a chunk or in recv, where nothing
    # catches it: a traceback on stderr after Ctrl-C (which reaches the whole process
    # group). Workers ignore SIGINT and end when the parent stops them; SIGTERM ends
    # one at once, as it does any process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signals.reset()  # a stop the parent was asked for is the parent's to act on
    parse_in_one_piece()  # the other workers keep the other cores busy
    if watched is not None:
        guard.watch = _watcher(ctx, watched)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, units, sampled = task
        try:
            conn.send(("ok", _checked(index, units, ctx, spill_dir, sampled)))
        except BaseException as error:
            detail = f"{type(error).__name__}: {error}"
            keep = error if isinstance(error, CorpusQAError) else None
            conn.send(("error", index, detail, keep, traceback.format_exc()))
        del task, units
        # Allocators keep freed memory for reuse; a worker's peak would then be that
        # of its largest chunk plus what fragmentation adds chunk after chunk.
        give_back_memory()


def _checked(
    index: int,
    units: Sequence[Planned],
    ctx: ChunkContext,
    spill_dir: Path | None,
    sampled: frozenset[str] = frozenset(),
) -> ChunkResult:
    result = process_chunk(index, units, ctx, sampled)
    if spill_dir is not None:
        result.states = shrink_states(ctx.checks, result.states, spill_dir, index)
    return result


@dataclass
class _Slot:
    process: BaseProcess
    conn: mpc.Connection
    index: int | None = None
    where: str = ""
    #: The worker's timed stage (see _watcher); ``None``: not watched.
    watched: Any = None


def _context() -> Any:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def run_parallel(
    chunks: Iterable[Sequence[Planned]],
    ctx: ChunkContext,
    jobs: int,
    spill_dir: Path | None = None,
    sampled: Callable[[], frozenset[str]] | None = None,
    meanwhile: Callable[[], None] = lambda: None,
) -> Iterator[ChunkResult]:
    """Process ``chunks`` in ``jobs`` worker processes; yield results as they finish.

    ``spill_dir``: the run's spill folder (:class:`corpus_qa.checks.global_state.GlobalStates`),
    where workers write their chunks' spilled columns; the caller removes it, after
    closing this generator (which stops the workers: none writes there afterwards).
    ``sampled``: called as each chunk is handed out, the checks whose samples the
    results merged so far have filled (see :func:`corpus_qa.run.chunk.process_chunk`).
    ``meanwhile``: called once the workers hold their first chunks, before any answer
    is read: what this process does then costs the run no core left waiting.

    A worker that answers gets its next chunk before its result is handed on, and the
    chunk after that is planned before the caller merges: so a worker never waits for
    the merge or the planning, only for its result to be read.
    """
    mpctx = _context()
    slots: list[_Slot] = []
    forked = mpctx.get_start_method() == "fork"

    def start() -> _Slot:
        # A signal's stop raised while forking could leave a worker outside ``slots``
        # (never stopped), or be lost in a fork hook: it waits until the worker is in.
        with signals.deferred():
            parent, child = mpctx.Pipe(duplex=True)
            # Spawned workers inherit no descriptors (and connections would be pickled).
            inherited = [parent, *(slot.conn for slot in slots)] if forked else []
            watched = mpctx.RawArray("d", _WATCH_FIELDS)
            process = mpctx.Process(
                target=_worker, args=(child, ctx, spill_dir, inherited, watched), daemon=True
            )
            process.start()
            child.close()
            slot = _Slot(process, parent, watched=watched)
            slots.append(slot)
        return slot

    try:
        planned = _Ahead(chunks)
        # A worker starts when a chunk is there for it and every worker is busy: a dump
        # of fewer chunks than ``jobs`` never starts more workers than it has chunks.
        grow = _Grow(start, jobs)
        _dispatch(slots, planned, sampled, grow)
        meanwhile()
        while True:
            _dispatch(slots, planned, sampled, grow)
            busy = [slot for slot in slots if slot.index is not None]
            if not busy:
                return
            for slot in _answering(busy, ctx):
                where, raw = slot.where, _read(slot)
                # The worker gets its next chunk before its answer is even unpickled.
                _dispatch(slots, planned, sampled, grow)
                result = _result(where, raw)
                del raw  # one answer's bytes at a time, freed before the merge
                yield result
    finally:
        _shutdown(slots)


@dataclass
class _Grow:
    """Starts workers on demand, up to ``limit``."""

    start: Callable[[], _Slot]
    limit: int
    started: int = 0

    def __call__(self) -> _Slot | None:
        if self.started >= self.limit:
            return None
        self.started += 1
        return self.start()


def _dispatch(
    slots: list[_Slot],
    planned: _Ahead,
    sampled: Callable[[], frozenset[str]] | None,
    grow: Callable[[], _Slot | None],
) -> None:
    """Hand each idle worker a chunk (starting workers while chunks wait and ``grow``
    allows), then plan the next one while they work."""
    for idle in list(slots):
        if idle.index is None and (task := planned.take()) is not None:
            _hand(idle, task, sampled)
    while planned.ready() and (started := grow()) is not None:
        task = planned.take()
        assert task is not None
        _hand(started, task, sampled)
    planned.plan()


def _hand(
    slot: _Slot,
    task: tuple[int, list[Planned]],
    sampled: Callable[[], frozenset[str]] | None,
) -> None:
    index, units = task
    slot.index, slot.where = index, describe_chunk(units)
    _send(slot, (index, units, sampled() if sampled is not None else frozenset()))


class _Ahead:
    """The chunks, numbered, with the next one planned ahead (the one the bound on
    memory counts besides those in flight)."""

    def __init__(self, chunks: Iterable[Sequence[Planned]]) -> None:
        self._chunks = enumerate(chunks)
        self._next: tuple[int, list[Planned]] | None = None
        self._done = False

    def plan(self) -> None:
        if self._next is None and not self._done:
            task = next(self._chunks, None)
            if task is None:
                self._done = True
            else:
                self._next = (task[0], list(task[1]))

    def ready(self) -> bool:
        """Whether another chunk is there (planning it if need be)."""
        self.plan()
        return self._next is not None

    def take(self) -> tuple[int, list[Planned]] | None:
        self.plan()
        task, self._next = self._next, None
        return task


def _send(slot: _Slot, task: object) -> None:
    try:
        slot.conn.send(task)
    except (BrokenPipeError, ConnectionResetError, EOFError) as error:
        raise _died(slot) from error


def _died(slot: _Slot) -> WorkerError:
    slot.process.join(timeout=1)
    code = slot.process.exitcode
    how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return WorkerError(
        f"worker process {slot.process.pid} died ({how}) while checking the chunk "
        f"starting at {slot.where}; rerun with --jobs 1 to check it in-process"
    )


#: How often the parent looks at its workers' deadlines while it waits.
_WATCH_SECONDS = 0.5


def _answering(busy: list[_Slot], ctx: ChunkContext) -> list[_Slot]:
    """Wait for at least one busy worker to answer or die; those with an answer."""
    waited = [slot.conn for slot in busy] + [slot.process.sentinel for slot in busy]
    ready = mpc.wait(waited, timeout=_WATCH_SECONDS)
    while not ready:
        signals.raise_requested()
        for slot in busy:
            _watch_over(slot, ctx)
        ready = mpc.wait(waited, timeout=_WATCH_SECONDS)
    for slot in busy:
        # Dead, and nothing left in its pipe: the chunk it held will never come back.
        if slot.process.sentinel in ready and slot.conn not in ready and not slot.conn.poll():
            raise _died(slot)
    return [slot for slot in busy if slot.conn in ready]


def _watch_over(slot: _Slot, ctx: ChunkContext) -> None:
    """Kill a worker past its check's deadline; that check fails the run."""
    watched = slot.watched
    if watched is None or not watched[0] or time.monotonic() < watched[0]:
        return
    check_id = ctx.checks[int(watched[1])].id
    stage, budget = _STAGES[int(watched[2])], float(watched[3])
    slot.process.kill()
    slot.process.join(timeout=5)
    failed: CheckFailed = guard.over_budget(check_id, stage, budget)
    raise failed


def _read(slot: _Slot) -> bytes:
    """A worker's answer as sent; the worker is idle from then on."""
    try:
        raw = slot.conn.recv_bytes()
    except (EOFError, ConnectionResetError, OSError) as error:
        raise _died(slot) from error
    slot.index = None
    return raw


def _result(where: str, raw: bytes) -> ChunkResult:
    """A worker's answer: its chunk's result, or its error raised here."""
    message = ForkingPickler.loads(raw)
    if message[0] == "ok":
        result: ChunkResult = message[1]
        return result
    _, _, detail, failure, _trace = message
    if isinstance(failure, CorpusQAError):
        raise failure
    raise WorkerError(f"checking the chunk starting at {where} failed: {detail}")


def _shutdown(slots: list[_Slot]) -> None:
    """Stop every worker: idle ones are told to, busy ones (a signal or an error stopped
    the run: their chunks will never be read) are killed at once."""
    for slot in slots:
        if slot.index is not None:
            slot.process.kill()
            continue
        with contextlib.suppress(OSError, ValueError):
            slot.conn.send(None)
    deadline = time.monotonic() + 2
    for slot in slots:
        slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
        if slot.process.is_alive():
            slot.process.kill()
            slot.process.join(timeout=2)
        slot.conn.close()
