"""The dump's sha256, computed in a background thread while the run starts up.

report.json gives each input's sha256, which costs CPU time on a large dump. A run
starts by importing pandas and Pandera, on one core while the other idles, and both
reading a file and hashing a large buffer release the GIL: a thread started before
those imports hashes the dump on the idle core, and the planner, which
reads the file anyway to cut it into ranges, no longer hashes it while the workers
need both cores. Standard library only: this module is imported before pandas.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

#: (size, mtime_ns, sha256 hex) by (device, inode): the file as it was hashed.
Hashed = dict[tuple[int, int], tuple[int, int, str]]

_BLOCK = 8 << 20


class Prehash:
    """sha256 of ``paths``, hashed in a daemon thread from construction on."""

    def __init__(self, paths: list[Path]) -> None:
        self._paths = paths
        self._hashed: Hashed = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="corpus-qa-prehash", daemon=True)
        self._thread.start()

    @classmethod
    def of_dump(cls, dump: str | Path) -> Prehash | None:
        """A prehash of ``dump`` if it is one regular file (a folder's inputs are only
        known after discovery; the planner hashes those as it reads them)."""
        path = Path(dump)
        try:
            return cls([path]) if path.is_file() else None
        except OSError:
            return None

    def _run(self) -> None:
        for path in self._paths:
            try:
                self._hash(path)
            except OSError:
                continue  # the run reports the file as it finds it

    def _hash(self, path: Path) -> None:
        digest = hashlib.sha256()
        buffer = bytearray(_BLOCK)
        with open(path, "rb", buffering=0) as handle:
            before = os.fstat(handle.fileno())
            read = 0
            while size := handle.readinto(buffer):
                if self._stop.is_set():
                    return
                with memoryview(buffer) as view:
                    digest.update(view[:size])
                read += size
            after = os.fstat(handle.fileno())
        # Only a file that stood still while it was read: the digest is of one version.
        if read == after.st_size and (before.st_size, before.st_mtime_ns) == (
            after.st_size,
            after.st_mtime_ns,
        ):
            key = (after.st_dev, after.st_ino)
            self._hashed[key] = (after.st_size, after.st_mtime_ns, digest.hexdigest())

    def covers(self, path: Path) -> bool:
        """Whether ``path`` is one of the files this hashes (whether or not it could)."""
        try:
            return any(os.path.samefile(path, mine) for mine in self._paths)
        except OSError:
            return False

    def digests(self, paths: list[Path]) -> dict[str, tuple[int, int, str]]:
        """Wait for the thread; each of ``paths`` it hashed, by ``str(path)`` (the key
        :func:`corpus_qa.run.inputs.size_and_hash` looks up, checking size and mtime)."""
        self._thread.join()
        found = {}
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            hashed = self._hashed.get((info.st_dev, info.st_ino))
            if hashed is not None:
                found[str(path)] = hashed
        return found

    def stop(self) -> None:
        """Stop hashing (a run that ends early does not wait for the rest)."""
        self._stop.set()
