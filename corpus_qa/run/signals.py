"""Stopping a run on a signal, but never from inside C code that calls back into Python.

The CLI stops a run by raising from its SIGINT/SIGTERM handler. Python runs that
handler at the next bytecode of the main thread, which may be a callback from a C
extension that does not expect it to raise: pandas' JSON encoder (``to_json``) then
crashes the process with SIGSEGV instead of unwinding. Code that calls such an
extension runs it under :func:`deferred`; a stop requested meanwhile happens when the
block ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

_depth = 0
_pending: list[Callable[[], None]] = []


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
    action()
