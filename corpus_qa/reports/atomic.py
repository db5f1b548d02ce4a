"""Atomic writes: a report is either complete on disk or absent, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def umask() -> int:
    """The process umask, read without changing it (``os.umask`` can only swap it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    # No procfs: swap and restore (a thread creating a file meanwhile is the only race).
    current = os.umask(0o022)
    os.umask(current)
    return current


def file_mode() -> int:
    """The mode ``open()`` would give a new file: 0o666 less the umask (0644 by default)."""
    return 0o666 & ~umask()


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; a report is as readable as any file the user writes.
        os.fchmod(handle, file_mode())
        # A lone surrogate (an undecodable file name) becomes the JSON escape "\udcff".
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as file:
            file.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
