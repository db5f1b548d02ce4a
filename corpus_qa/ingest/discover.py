"""Finding the files of a dump: a file, a folder (recursive) or a glob."""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from corpus_qa.errors import ConfigError, InputError
from corpus_qa.ingest.remote import is_url, remote_files, remote_input
from corpus_qa.model import InputFile, Quarantined

FORMATS = ("pages", "html", "warc", "jsonl", "json", "parquet", "csv")
_EXTENSIONS = {
    ".txt": "pages",
    ".md": "pages",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".csv": "csv",
}
_COMPRESSIONS = {
    ".gz": "gzip",
    ".zst": "zstd",
    ".zstd": "zstd",
    ".bz2": "bzip2",
    ".xz": "xz",
}
_GLOB_CHARS = frozenset("*?[")


@dataclass
class Discovery:
    """The files of a dump, in a stable order, and the files left out (with why)."""

    root: Path
    files: list[InputFile] = field(default_factory=list)
    skipped: list[Quarantined] = field(default_factory=list)


def detect(name: str) -> tuple[str | None, str | None]:
    """``(format, compression)`` from a file name; format ``None`` if not recognized."""
    suffixes = [s.lower() for s in Path(name).suffixes]
    compression = _COMPRESSIONS.get(suffixes[-1]) if suffixes else None
    if compression is not None:
        suffixes = suffixes[:-1]
    return (_EXTENSIONS.get(suffixes[-1]) if suffixes else None), compression


def _skip(display: str, reason: str, kind: str = "input.skipped") -> Quarantined:
    """A file left out: ``input.skipped`` (not dump data, e.g. a README) or
    ``input.unreadable`` (dump data that could not be read: the gate must know)."""
    return Quarantined(source_path=display, line=None, reason=reason, kind=kind)


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (a FIFO would block ``open`` forever)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return f"not a regular file ({name})"
    return "not a regular file (a device)"


def _walk(folder: Path, seen_dirs: set[str]) -> Iterator[Path]:
    """Files under ``folder``, following symlinks; each real directory is entered once."""
    real = os.path.realpath(folder)
    if real in seen_dirs:
        return  # a symlink loop, or a folder reached twice
    seen_dirs.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        if path.is_dir():
            # Version-control and tool folders are never part of a dump.
            if not entry.name.startswith("."):
                yield from _walk(path, seen_dirs)
        else:
            yield path


def name_text(name: str) -> str:
    """``name`` as valid UTF-8: bytes a file name holds that are not UTF-8 (decoded
    by the OS as lone surrogates, which no report or Arrow column can hold) become
    ``\\xNN``. The file itself is still opened by its real name."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no OS decoding makes: escape it as such
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _display(path: Path, root: Path) -> str:
    try:
        return name_text(path.relative_to(root).as_posix())
    except ValueError:
        return name_text(path.as_posix())


def _glob_root(pattern: str) -> Path:
    parts: list[str] = []
    for part in Path(pattern).parts:
        if _GLOB_CHARS & set(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def dump_root(dump: str) -> Path:
    """The folder a dump's file names are relative to (see :func:`discover`)."""
    path = Path(dump)
    if path.is_dir():
        return path
    if path.is_file() or not _GLOB_CHARS & set(dump):
        return path.parent
    return _glob_root(dump)


def _discover_remote(url: str, format: str | None) -> Discovery:
    """:func:`discover` for a URL: an object, a prefix (a folder) or a glob."""
    result = Discovery(root=Path(url))
    found = list(remote_files(url))
    for full, display, name in found:
        detected, compression = detect(name)
        kind = format or detected
        if kind is None:
            if len(found) == 1:
                raise InputError(
                    f"cannot tell the format of {name!r} from its extension; "
                    f"pass --format ({', '.join(FORMATS)})",
                    path=url,
                )
            result.skipped.append(_skip(name_text(display), "unknown file extension"))
            continue
        result.files.append(remote_input(full, name_text(display), kind, compression))
    result.files.sort(key=lambda f: f.display)
    result.skipped.sort(key=lambda q: q.source_path)
    if not result.files:
        raise InputError("no usable input file under this URL", path=url)
    return result


def discover(dump: str | os.PathLike[str], *, format: str | None = None) -> Discovery:
    """Find the input files of ``dump`` (a file, a folder or a glob pattern; or an
    object-storage URL of one: see :mod:`.remote`).

    Raises :class:`InputError` when the dump does not exist, holds no usable file,
    or is a single file whose type cannot be told (the message suggests ``--format``).
    """
    if format is not None and format not in FORMATS:
        raise ConfigError(f"unknown --format {format!r}; expected one of: {', '.join(FORMATS)}")
    text = os.fspath(dump)
    if is_url(text):
        return _discover_remote(text, format)
    path = Path(text)
    single = False
    if path.is_file():
        root, candidates, single = path.parent, [path], True
    elif path.is_dir():
        root, candidates = path, list(_walk(path, set()))
    elif _GLOB_CHARS & set(text):
        root = _glob_root(text)
        candidates = []
        seen_dirs: set[str] = set()
        for match in sorted(glob.glob(text, recursive=True)):
            found = Path(match)
            candidates.extend(_walk(found, seen_dirs) if found.is_dir() else [found])
        if not candidates:
            raise InputError("no file matches this pattern", path=text)
    elif path.exists():
        raise InputError(_not_regular(path) or "cannot be read", path=text)
    elif path.is_symlink():
        raise InputError("broken or looping symbolic link", path=text)
    else:
        raise InputError("no such file or folder", path=text)

    result = Discovery(root=root)
    seen: dict[str, str] = {}
    for candidate in candidates:
        display = name_text(candidate.name) if single else _display(candidate, root)
        if not candidate.exists():
            result.skipped.append(
                _skip(display, "broken or looping symbolic link", "input.unreadable")
            )
            continue
        real = os.path.realpath(candidate)
        if real in seen:
            # The same file reached twice (a symlink, an overlapping glob): read once.
            result.skipped.append(_skip(display, f"same file as {seen[real]} (read once)"))
            continue
        seen[real] = display
        detected, compression = detect(candidate.name)
        kind = format or detected
        if kind is None:
            if single:
                raise InputError(
                    f"cannot tell the format of {candidate.name!r} from its extension; "
                    f"pass --format ({', '.join(FORMATS)})",
                    path=text,
                )
            result.skipped.append(_skip(display, "unknown file extension"))
            continue
        problem = _not_regular(Path(real))
        if problem is None and not os.access(real, os.R_OK):
            problem = "cannot be read (permission denied)"
        if problem is not None:
            result.skipped.append(_skip(display, problem, "input.unreadable"))
            continue
        result.files.append(InputFile(Path(real), display, kind, compression))
    result.files.sort(key=lambda f: f.display)
    result.skipped.sort(key=lambda q: q.source_path)
    if not result.files:
        detail = f" ({len(result.skipped)} files skipped)" if result.skipped else ""
        raise InputError(
            f"no usable input file{detail}; expected {', '.join(sorted(_EXTENSIONS))} "
            "(optionally .gz/.zst/.bz2/.xz)",
            path=text,
        )
    return result
