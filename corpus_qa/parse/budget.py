"""A per-page CPU budget for the page parser.

The parser is meant to be linear in a page's size; the budget is the backstop for
a shape nobody foresaw. It grows with the page (:func:`page_budget`), and the
parser spends it at its per-line steps (:func:`tick`): a page that overdraws it
raises :class:`PageTooComplex`, and the run quarantines that page
(``input.too_complex``) and reads the rest. Work is measured in CPU time of this
process, so a busy machine does not make a page "too complex"; it is checked every
:data:`_EVERY` ticks, so a tick costs a counter increment.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: CPU seconds every page may take, however small.
FLOOR_SECONDS = 2.0
#: CPU seconds allowed per million characters, beyond the floor: far above what
#: real pages take, so only a pathological shape reaches it.
SECONDS_PER_MILLION_CHARS = 100.0
_EVERY = 256


class PageTooComplex(Exception):
    """The page overdrew its parse budget."""

    def __init__(self, seconds: float, chars: int) -> None:
        super().__init__(
            f"page too complex to parse: over its budget of {seconds:.3g} CPU seconds "
            f"for {chars:,} characters; not parsed"
        )
        self.seconds = seconds
        self.chars = chars


def page_budget(chars: int) -> float:
    """CPU seconds a page of ``chars`` characters may take to parse."""
    return FLOOR_SECONDS + SECONDS_PER_MILLION_CHARS * chars / 1_000_000


class _Budget:
    def __init__(self, seconds: float, chars: int) -> None:
        self.seconds, self.chars = seconds, chars
        self.deadline = time.process_time() + seconds
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % _EVERY == 0 and time.process_time() > self.deadline:
            raise PageTooComplex(self.seconds, self.chars)


_CURRENT: ContextVar[_Budget | None] = ContextVar("page_budget", default=None)


@contextmanager
def budget(chars: int, seconds: float | None = None) -> Iterator[None]:
    """Parse within ``seconds`` of CPU (default: :func:`page_budget` of ``chars``)."""
    token = _CURRENT.set(_Budget(page_budget(chars) if seconds is None else seconds, chars))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def tick() -> None:
    """One step of parse work; raises :class:`PageTooComplex` past the budget."""
    current = _CURRENT.get()
    if current is not None:
        current.tick()
