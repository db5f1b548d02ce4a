"""How far a run is: bytes of the dump done, records read, and what a person sees of it.

The run reports a :class:`Tick` after each chunk (chunks finish in order, so every byte
before the last chunk's end is done). A byte position is exact for plain JSONL (its
byte ranges) and page files; a compressed or columnar file counts as done when the
chunk holding its last records does, so its bytes jump at its end.

What is shown: on a terminal, a progress bar (tqdm) of bytes with the records read,
the percentage and the ETA; elsewhere (a CI log), a :class:`Heartbeat` line every few
seconds, so a long run is never silent; nothing with ``--no-progress`` or ``--quiet``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from corpus_qa.findings.tally import ChunkStats
    from corpus_qa.ingest import Planned
    from corpus_qa.model import InputFile

#: Heartbeat lines' default interval on a non-terminal.
HEARTBEAT_SECONDS = 30.0


@dataclass(frozen=True)
class Tick:
    """The run so far: the merged tallies and the dump's bytes done of its total."""

    stats: ChunkStats
    bytes_done: int
    bytes_total: int

    @property
    def fraction(self) -> float | None:
        """Share of the dump's bytes done; ``None`` for an empty dump."""
        return min(1.0, self.bytes_done / self.bytes_total) if self.bytes_total else None


class Positions:
    """Each chunk's end as a byte position in the dump (its files end to end, in order).

    :meth:`track` passes the planned chunks through, noting where each ends;
    :meth:`done` gives the position reached once a chunk (and so every chunk before
    it) has finished.
    """

    def __init__(self, files: Sequence[InputFile], sizes: dict[str, int]) -> None:
        self.starts: dict[str, int] = {}
        self.sizes: dict[str, int] = {}
        offset = 0
        for file in files:
            size = sizes.get(str(file.path), 0)
            self.starts[str(file.path)] = offset
            self.sizes[str(file.path)] = size
            offset += size
        self.total = offset
        self._ends: dict[int, int] = {}
        self._reached = 0

    def _end(self, unit: Planned) -> int:
        from corpus_qa.ingest import LineRange, PageUnit

        key = str(unit.file.path)
        start = self.starts.get(key, 0)
        if isinstance(unit, LineRange):
            return start + unit.stop
        if isinstance(unit, PageUnit) and unit.record_key is None:
            return start + self.sizes.get(key, 0)
        # Records of a compressed or columnar file, or one page of a WARC or scraper
        # file: where in the file is not known, only that the file has begun.
        return start

    def track(self, chunks: Iterable[list[Planned]]) -> Iterator[list[Planned]]:
        position = 0
        for index, chunk in enumerate(chunks):
            position = max(position, *(self._end(unit) for unit in chunk))
            self._ends[index] = position
            yield chunk

    def done(self, index: int) -> int:
        """The position once chunk ``index`` (and every chunk before it) is done."""
        self._reached = max(self._reached, self._ends.pop(index, self._reached))
        return self._reached

    def finished(self) -> int:
        self._reached = self.total
        return self.total


class ProgressView(Protocol):
    """What the CLI shows of a run: told each :class:`Tick`, then closed."""

    def __call__(self, tick: Tick) -> None: ...

    def close(self, *, completed: bool) -> None: ...


def _size(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if count < 1024 or unit == "GiB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


def _clock(seconds: float) -> str:
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


class Heartbeat:
    """A line on ``stream`` every ``interval`` seconds while the run goes on, and one
    when it ends: records done, bytes done of the total, the rate and the ETA."""

    def __init__(
        self,
        stream: IO[str],
        interval: float = HEARTBEAT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self._last: Tick | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="corpus-qa-heartbeat", daemon=True)
        self._thread.start()

    def __call__(self, tick: Tick) -> None:
        with self._lock:
            self._last = tick

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            self._write(final=False)

    def line(self, tick: Tick | None, elapsed: float, *, final: bool = False) -> str:
        if tick is None:
            return f"corpus-qa: {_clock(elapsed)} elapsed, reading the first chunk"
        records = tick.stats.records_read
        rate = records / elapsed if elapsed > 0 else 0.0
        parts = [f"{records:,} records", f"{rate:,.0f} records/s"]
        fraction = tick.fraction
        if fraction is not None:
            parts.insert(
                1, f"{_size(tick.bytes_done)} of {_size(tick.bytes_total)} ({fraction:.0%})"
            )
        if final:
            parts.append(f"done in {_clock(elapsed)}")
        elif fraction:
            parts.append(f"ETA {_clock(elapsed * (1 - fraction) / fraction)}")
        else:
            parts.append("ETA unknown")
        return "corpus-qa: " + ", ".join(parts)

    def _write(self, *, final: bool) -> None:
        with self._lock:
            tick = self._last
        try:
            self.stream.write(self.line(tick, self.clock() - self.started, final=final) + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # the log went away: the run goes on without it
            self._stop.set()

    def close(self, *, completed: bool) -> None:
        """Stop the beat; a line saying how it ended when the run ``completed``."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join()
        if completed and self._last is not None:
            self._write(final=True)


class Bar:
    """tqdm's bar on a terminal: bytes done of the total, percentage, rate and ETA,
    with the records read beside it."""

    def __init__(self, stream: IO[str]) -> None:
        from tqdm import tqdm

        self._bar = tqdm(
            total=None,
            file=stream,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc="corpus-qa",
            dynamic_ncols=True,
            leave=True,
        )

    def __call__(self, tick: Tick) -> None:
        if self._bar.total is None and tick.bytes_total:
            self._bar.reset(total=tick.bytes_total)
        self._bar.set_postfix_str(f"{tick.stats.records_read:,} records", refresh=False)
        self._bar.update(tick.bytes_done - self._bar.n)

    def close(self, *, completed: bool) -> None:
        self._bar.close()


def progress_view(stream: IO[str], *, enabled: bool, interval: float) -> ProgressView | None:
    """The bar on a terminal, the heartbeat elsewhere, or nothing when not ``enabled``."""
    if not enabled:
        return None
    if stream.isatty():
        return Bar(stream)
    return Heartbeat(stream, interval)
