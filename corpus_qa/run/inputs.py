"""What a run read, as report.json describes it: each input's size, sha256 and counts."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus_qa.findings.tally import ChunkStats
from corpus_qa.ingest import Digests
from corpus_qa.model import InputFile


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def size_and_hash(
    path: Path, hash_file: bool, known: Digests | None = None
) -> tuple[int | None, str | None]:
    """Size and sha256; ``None`` for a file that vanished or cannot be read now. The
    planner's digest of the file (``known``) stands if its size and mtime still do."""
    try:
        info = path.stat()
        seen = (known or {}).get(str(path))
        if not hash_file:
            return info.st_size, None
        if seen is not None and seen[:2] == (info.st_size, info.st_mtime_ns):
            return info.st_size, seen[2]
        return info.st_size, sha256_file(path)
    except OSError:
        return None, None


def describe_inputs(
    files: Sequence[InputFile],
    stats: ChunkStats,
    *,
    hash_files: bool = True,
    digests: Digests | None = None,
) -> list[dict[str, Any]]:
    described = []
    for file in files:
        tally = stats.inputs.get(file.display)
        size, digest = size_and_hash(file.path, hash_files, digests)
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
            }
        )
    return described
