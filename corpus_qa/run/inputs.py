"""What a run read, as report.json describes it: each input's size, sha256 and counts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus_qa.findings.tally import ChunkStats
from corpus_qa.ingest import Digests
from corpus_qa.ingest.remote import open_source, remote_state
from corpus_qa.model import InputFile, Quarantined

#: A file's (size, mtime in ns) as stat reports it; ``None``: it could not be stat'ed.
FileState = tuple[int, int] | None


def file_states(files: Sequence[InputFile]) -> dict[str, FileState]:
    """Each file's size and mtime now, by path."""
    states: dict[str, FileState] = {}
    for file in files:
        if file.url is not None:
            states[file.key] = remote_state(file)
            continue
        try:
            info = file.path.stat()
            states[file.key] = (info.st_size, info.st_mtime_ns)
        except OSError:
            states[file.key] = None
    return states


def changed_files(files: Sequence[InputFile], before: dict[str, FileState]) -> list[Quarantined]:
    """An ``input.changed`` entry per file whose size or mtime differs from ``before``:
    what was checked may be neither the old file nor the new one."""
    after = file_states(files)
    entries = []
    for file in files:
        old, new = before.get(file.key), after.get(file.key)
        if old == new or (new is None and file.url is not None):
            # A remote file that cannot be asked now (the connection is gone) is not
            # known to have changed: its reads said what was lost.
            continue
        if new is None:
            what = "vanished"
        elif old is None or old[0] == new[0]:
            what = "was modified"
        else:
            what = f"changed size from {old[0]:,} to {new[0]:,} bytes"
        reason = f"the file {what} while it was being checked; what was read is unknown"
        entries.append(Quarantined(file.display, None, reason, kind="input.changed"))
    return entries


def sha256_file(path: Path | InputFile) -> str:
    digest = hashlib.sha256()
    file = path if isinstance(path, InputFile) else InputFile(path, path.name, "")
    with open_source(file) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def size_and_hash(
    path: Path | InputFile, hash_file: bool, known: Digests | None = None
) -> tuple[int | None, str | None]:
    """Size and sha256; ``None`` for a file that vanished or cannot be read now. The
    planner's digest of the file (``known``) stands if its size and mtime still do."""
    file = path if isinstance(path, InputFile) else InputFile(path, path.name, "")
    try:
        state = file_states([file])[file.key]
        if state is None:
            return None, None
        seen = (known or {}).get(file.key)
        if not hash_file:
            return state[0], None
        if seen is not None and seen[:2] == state:
            return state[0], seen[2]
        return state[0], sha256_file(file)
    except OSError:
        return None, None


def describe_inputs(
    files: Sequence[InputFile],
    stats: ChunkStats,
    *,
    hash_files: bool = True,
    digests: Digests | None = None,
    incomplete: set[str] | frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """Per input its size, sha256 and record counts; ``records_lost`` is ``"unknown"``
    for a file cut short, unreadable or changed (its records could not be counted)."""
    described = []
    for file in files:
        tally = stats.inputs.get(file.display)
        size, digest = size_and_hash(file, hash_files, digests)
        described.append(
            {
                "path": file.display,
                "format": file.format,
                "compression": file.compression,
                "bytes": size,
                "sha256": digest,
                "records_read": tally.read if tally else 0,
                "records_checked": tally.checked if tally else 0,
                "records_quarantined": tally.quarantined if tally else 0,
                "records_lost": "unknown" if file.display in incomplete else 0,
            }
        )
    return described


def dump_fingerprint(inputs: list[dict[str, Any]]) -> str:
    """One hash of the dump's contents: its files' names and sha256, in order."""
    digest = hashlib.sha256()
    for item in inputs:
        # File names may hold undecodable bytes (lone surrogates): hash them, never crash.
        digest.update(f"{item['path']}\0{item['sha256']}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
