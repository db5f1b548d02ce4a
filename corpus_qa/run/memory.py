"""Handing freed memory back to the system, which allocators otherwise keep for reuse.

Arrow's pool and glibc's heap keep what a chunk's tables (or a global check's state)
freed: kept, a process's resident memory is the sum of its past peaks' leftovers, not
what it holds. glibc also raises its threshold for mapping a large block on its own
after such a block is freed, so later large arrays come from the heap and stay there.
:func:`bounded_allocators` pins that threshold and puts Arrow's buffers on the same
allocator, so every large buffer, numpy's or Arrow's, is unmapped when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any

import pyarrow as pa

__all__ = ["bounded_allocators", "fixed_mmap_threshold", "give_back_memory"]

#: mallopt's parameter number for the mmap threshold (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3
#: Blocks of at least this many bytes are mapped on their own, and unmapped when freed.
MMAP_THRESHOLD = 1 << 20


def _libc() -> Any:
    # glibc's usual name first: find_library runs ldconfig in a subprocess.
    for name in ("libc.so.6", None):
        try:
            libc = ctypes.CDLL(name or ctypes.util.find_library("c") or "libc.so.6")
            libc.malloc_trim, libc.mallopt  # noqa: B018  (not glibc: neither exists)
        except (OSError, AttributeError):
            continue
        return libc
    return None


_LIBC = _libc()


def give_back_memory() -> None:
    """Return freed memory to the system: Arrow's pool and glibc's heap keep it for reuse.

    A chunk's tables, or a worker's result unpickled in the parent, are tens of MB
    freed at once; kept, they add up to a process's peak chunk after chunk.
    """
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def fixed_mmap_threshold() -> None:
    """Map blocks past :data:`MMAP_THRESHOLD` on their own for the rest of the process.

    glibc starts at 128 KiB and raises the threshold to the size of each mapped block
    freed (up to 32 MiB): after the first chunk, a chunk's arrays come from the heap,
    whose top only :func:`give_back_memory` trims and whose holes stay resident.
    Setting the threshold turns that adjustment off.
    """
    if _LIBC is not None:
        _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def bounded_allocators() -> None:
    """For a check run: large blocks mapped on their own, Arrow's buffers among them.

    Arrow's default pool (mimalloc) keeps the pages of freed buffers for reuse until
    :func:`give_back_memory`, so a chunk's transient tables pile up to the chunk's
    peak; on glibc's ``malloc`` with :func:`fixed_mmap_threshold` a freed table's
    pages go back at once. ``ARROW_DEFAULT_MEMORY_POOL``, when set, is left to rule.
    """
    if _LIBC is None:  # not glibc: neither setting applies
        return
    fixed_mmap_threshold()
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())
