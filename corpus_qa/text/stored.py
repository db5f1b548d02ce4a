"""Arrays derived from the lexicons, kept on disk between runs.

Some tables are a pure function of the lexicon data and of the code that derives them
(the site-text anchor table: every spelling of every entry, hashed and sorted), and
building them is a fixed cost of every run. :func:`cached` builds such a table once
and keeps it in a cache directory under a digest of everything it was built from:
the inputs the caller names and the source files of the code that builds it. A
changed lexicon or a changed builder is a new digest, so a stale table is never read.

The directory is ``$CORPUS_QA_CACHE_DIR`` (an empty value: no disk cache), else
``$XDG_CACHE_HOME/corpus-qa``, else ``~/.cache/corpus-qa``. Nothing is downloaded. A
directory that cannot be written (a read-only install, a home without one) or a file
that cannot be read back is no error: the table is built in memory, as without the
cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np

#: Bump when the file layout changes (the arrays' names and meaning are the caller's).
_FORMAT = "1"
#: Tables of one name kept at once: other versions (other checkouts, older lexicons)
#: beyond these, the least recently written, are removed when a table is stored.
_KEEP = 4


def directory() -> Path | None:
    """Where tables are kept, or None when the disk cache is off."""
    chosen = os.environ.get("CORPUS_QA_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corpus-qa"


def digest(inputs: Iterable[str], sources: Iterable[str | os.PathLike[str]]) -> str:
    """A digest of ``inputs`` (the builder's arguments, as text) and of the bytes of the
    ``sources`` (the files of the code that builds the table)."""
    hashed = hashlib.sha256(_FORMAT.encode())
    for text in inputs:
        data = text.encode("utf-8", "surrogatepass")
        hashed.update(len(data).to_bytes(8, "little") + data)
    for source in sources:
        data = Path(source).read_bytes()
        hashed.update(len(data).to_bytes(8, "little") + data)
    return hashed.hexdigest()[:32]


def cached(
    name: str, key: str, build: Callable[[], Mapping[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """The arrays ``build()`` returns, read from the cache directory when a table
    ``name`` of digest ``key`` was stored there, else built and stored."""
    where = directory()
    path = None if where is None else where / f"{name}-{key}.npz"
    if path is not None:
        found = _read(path)
        if found is not None:
            return found
    built = {k: np.asarray(v) for k, v in build().items()}
    if path is not None:
        _write(path, built)
    return built


def _read(path: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as stored:
            return {k: stored[k] for k in stored.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        # Missing, truncated or not ours: built again (and stored over it).
        return None


def _write(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".npz")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]
        # Whole or not at all: a concurrent run reads the old file or the new one.
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    _prune(path)


def _prune(path: Path) -> None:
    prefix = path.name.rsplit("-", 1)[0] + "-"
    with contextlib.suppress(OSError):
        others = [p for p in path.parent.glob(prefix + "*.npz") if p != path]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[_KEEP - 1 :]:
            old.unlink()
