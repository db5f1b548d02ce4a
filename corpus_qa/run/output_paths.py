"""Where a run may write: never over its input, never inside the dump.

Reports written into a dump folder would be read as input by the next run (a
``findings.jsonl`` among the records), and ``--clean-out`` pointed at an input file
would destroy the data being checked. These are argument errors (exit 2), caught
before anything is written.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from corpus_qa.errors import ConfigError
from corpus_qa.model import InputFile

_GLOB_CHARS = frozenset("*?[")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _nearest_existing(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return candidate
    return Path(path.anchor or ".")


def _unwritable(option: str, given: Path, path: Path, folder: bool) -> str | None:
    """Why ``option`` cannot be written at ``path`` (absolute), or ``None``.

    Found before the run, not when the first report is written after it: a file
    where a parent folder belongs, or a folder this process cannot create files in
    (a probe file, removed at once: permission bits say nothing for root or for a
    read-only mount).
    """
    existing = _nearest_existing(path)
    if existing != path and not existing.is_dir():
        return f"{option} {given}: {existing} is a file, not a folder"
    probe_in = existing if existing != path or folder else existing.parent
    if existing == path and not folder and not os.access(path, os.W_OK):
        return f"{option} {given} cannot be written (permission denied or read-only)"
    try:
        handle, name = tempfile.mkstemp(prefix=".corpus-qa-probe-", dir=probe_in)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return f"{option} {given}: cannot write in {probe_in} ({reason.lower()})"
    os.close(handle)
    os.unlink(name)
    return None


def check_output_paths(
    dump: str,
    inputs: Sequence[InputFile],
    folders: Mapping[str, Path],
    files: Mapping[str, Path],
) -> None:
    """Raise :class:`ConfigError` when an output would collide with the dump.

    ``folders`` and ``files`` map an option name (``--out``) to the path it names.
    """
    real_inputs = {Path(os.path.realpath(f.path)): f.display for f in inputs}
    dump_path = Path(dump)
    dump_folder = Path(os.path.realpath(dump_path)) if dump_path.is_dir() else None
    pattern = os.path.abspath(dump) if _GLOB_CHARS & set(dump) else None
    seen: dict[Path, str] = {}
    for option, given in [*folders.items(), *files.items()]:
        path = Path(os.path.realpath(given))
        if path in seen:
            raise ConfigError(f"{option} {given} is the same path as {seen[path]}")
        seen[path] = option
        if path in real_inputs:
            raise ConfigError(f"{option} {given} is an input file of the dump: choose another path")
        if dump_folder is not None and _inside(path, dump_folder):
            raise ConfigError(
                f"{option} {given} is inside the dump folder {dump}: outputs there would be "
                "read as input next time; choose a path outside the dump"
            )
        if pattern is not None and fnmatch.fnmatch(os.path.abspath(given), pattern):
            raise ConfigError(f"{option} {given} matches the dump pattern {dump!r}")
        if option in folders:
            if path.exists() and not path.is_dir():
                raise ConfigError(f"{option} {given} exists and is not a folder")
            held = next((d for p, d in real_inputs.items() if _inside(p, path)), None)
            if held is not None:
                raise ConfigError(
                    f"{option} {given} holds the input file {held}: write outputs outside the dump"
                )
        elif path.is_dir():
            raise ConfigError(f"{option} {given} is a folder; expected a file name")
        problem = _unwritable(option, Path(given), Path(os.path.abspath(given)), option in folders)
        if problem is not None:
            raise ConfigError(problem)
    # Report files inside --out must not be another output either.
    out = folders.get("--out")
    if out is not None:
        for name in ("report.json", "findings.jsonl"):
            target = Path(os.path.realpath(out / name))
            if target in seen:
                raise ConfigError(f"{seen[target]} {target} would overwrite the run's {name}")
