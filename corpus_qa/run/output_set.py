"""A run's outputs in ``--out``, written as one set: never a mix of two runs.

A run writes report.json, findings.jsonl, report.html, junit.xml and summary.md. Written
in place one by one, a run that failed halfway (disk full, a bad policy found late, a
signal) left the previous run's HTML beside the new findings, and two runs sharing
``--out`` interleaved theirs. So:

* one run at a time holds ``--out``: an exclusive lock on ``OUT/.corpus-qa.lock``
  (the second run is refused at once, exit 2, rather than waiting);
* the run writes its files into a fresh staging folder inside ``--out`` (same
  filesystem, so moving them in is a rename);
* :meth:`OutputSet.commit` moves them in: the old report.json first leaves (from then
  on the folder holds no verdict, which no reader takes for a pass), then every other
  file of the new set, and the new report.json last; outputs of the previous run that
  this one does not write (report.html after ``--no-html``) are removed;
* a run that fails before :meth:`~OutputSet.commit` leaves the previous set untouched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from corpus_qa.errors import ConfigError
from corpus_qa.reports.atomic import file_mode

#: Every file a run may write into ``--out``; report.json is moved in last.
SET_FILES = ("findings.jsonl", "report.html", "junit.xml", "summary.md", "report.json")
_LOCK = ".corpus-qa.lock"
_STAGING = ".corpus-qa-staging-"


class OutputSet:
    """The lock on ``out`` and the staging folder of this run's outputs."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging: Path | None = None
        self._lock: int | None = None

    @property
    def opened(self) -> bool:
        return self.staging is not None

    def open(self) -> None:
        """Take the lock and make the staging folder (once the run has checked that
        ``out`` is a place it may write: nothing is created before)."""
        if self.staging is not None:
            return
        out = self.out
        try:
            out.mkdir(parents=True, exist_ok=True)
            lock = os.open(out / _LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise ConfigError(f"--out {out}: cannot write there: {error.strerror}") from error
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            os.close(lock)
            raise ConfigError(
                f"--out {out}: another corpus-qa run is writing there; "
                "wait for it to finish or choose another --out"
            ) from error
        self._lock = lock
        _sweep_staging(out)
        self.staging = Path(tempfile.mkdtemp(prefix=_STAGING, dir=out))

    def staged(self, name: str) -> Path:
        """Where this run writes ``name`` until :meth:`commit`."""
        if self.staging is None:
            raise RuntimeError("OutputSet.open() first")
        return self.staging / name

    def final(self, path: Path) -> Path:
        """The path a staged file will have once committed (others are unchanged)."""
        return self.out / path.name if path.parent == self.staging else path

    def commit(self) -> None:
        """Move the staged files into ``out`` as one set (see the module doc)."""
        if self.staging is None:
            raise RuntimeError("OutputSet.open() first")
        written = {p.name for p in self.staging.iterdir()}
        (self.out / "report.json").unlink(missing_ok=True)
        # Whatever wrote a staged file, the committed set has the umask's permissions.
        mode = file_mode()
        for name in SET_FILES:
            if name in written:
                os.chmod(self.staging / name, mode)
                os.replace(self.staging / name, self.out / name)
            else:
                (self.out / name).unlink(missing_ok=True)

    def close(self) -> None:
        """Drop what was not committed and release ``out``."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _sweep_staging(out: Path) -> None:
    """Remove staging folders a killed run left (the lock proves their run is gone)."""
    for stale in out.glob(f"{_STAGING}*"):
        shutil.rmtree(stale, ignore_errors=True)
