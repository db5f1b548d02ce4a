"""Start-up without the cyclic garbage collector, for a process that forks workers.

Importing pandas, pyarrow and Pandera and setting up the checks creates a few hundred
thousand objects that live all run long; the collector traverses them again and again
as they pile up (full collections among them) before the first chunk, while the cores
wait for this process to fork its workers. Python's documentation gives the pattern
for a process that forks: collection off early, the heap frozen (``gc.freeze``)
before the fork, collection back on. The cyclic garbage start-up leaves (a few
thousand objects) stays, frozen with the rest. Standard library only: the program
calls :func:`defer_collection` before its heavy imports.
"""

from __future__ import annotations

import gc

__all__ = ["defer_collection", "resume_collection"]

#: Whether :func:`defer_collection` turned the collector off (and it is still off).
_deferred = False


def defer_collection() -> None:
    """Turn the cyclic collector off until :func:`resume_collection` (a collector that
    was off already is left to whoever turned it off)."""
    global _deferred
    if gc.isenabled():
        gc.disable()
        _deferred = True


def resume_collection() -> None:
    """Turn the collector back on if :func:`defer_collection` turned it off."""
    global _deferred
    if _deferred:
        _deferred = False
        gc.enable()
