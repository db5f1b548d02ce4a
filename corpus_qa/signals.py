"""Stopping a run on a signal, but never from inside C code that calls back into Python.

The CLI stops a run by raising from its SIGINT/SIGTERM handler. Python runs that
handler at the next bytecode of the main thread, which may be a callback from a C
extension that does not expect it to raise: pandas' JSON encoder (``to_json``) then
crashes the process with SIGSEGV instead of unwinding. Code that calls such an
extension runs it under :func:`deferred`; a stop requested meanwhile happens when the
block ends.

Python also runs a handler inside code whose exceptions it ignores: an ``os.fork``
hook (logging's lock release), a ``__del__``, a weakref callback. The stop raised there
is printed as "Exception ignored" and lost, and the run went on to its end. So a stop
stays requested: the run's loops call :func:`raise_requested` and stop there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_depth = 0
_pending: list[Callable[[], None]] = []
#: The stop a signal asked for, kept in case the exception it raised was swallowed.
_requested: list[Callable[[], None]] = []


@contextmanager
def deferred() -> Iterator[None]:
    """Hold back a stop requested by a signal until the (outermost) block ends."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if not _depth and _pending:
            stop = _pending[0]
            _pending.clear()
            stop()


def stop(action: Callable[[], None]) -> None:
    """Run ``action`` (which raises) now, or when the current :func:`deferred` ends."""
    if _depth:
        _pending.append(action)
        return
    _requested[:] = [action]
    action()


def raise_requested() -> None:
    """Stop now if a signal asked to (again: its first exception may have been lost)."""
    if _requested and not _depth:
        _requested[0]()


def forget(action: Callable[[], None]) -> None:
    """Drop ``action`` if it is still requested: its cause is over (a timed block ended,
    its exception already caught), so a later :func:`raise_requested` must not re-raise it."""
    if _requested and _requested[0] is action:
        _requested.clear()
    while action in _pending:
        _pending.remove(action)


def reset() -> None:
    """Forget requested stops: a new run (or a forked worker) starts with none."""
    _pending.clear()
    _requested.clear()
