"""Dumps in object storage: ``s3://``, ``gs://`` and ``https://`` URLs and globs, via fsspec.

A remote file is an :class:`~corpus_qa.model.InputFile` whose ``url`` is set; every
reader opens it through :func:`open_source` and :func:`read_span`, so the same code
reads a local and a remote dump, and the findings are the same byte for byte. Bytes
are streamed (the planner holds one block, never the file) and a JSONL range is
fetched by whoever checks it, with an HTTP range request: a worker process, or a
Dask worker on another machine.

Credentials come from the usual environment (for S3: ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``, ``AWS_PROFILE``, instance roles);
``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL`` points at an S3-compatible server
(MinIO, Ceph, a local test server).

A failure is an ``OSError`` naming what went wrong, never a client library's own
exception: the readers already turn an ``OSError`` into ``input.unreadable`` (nothing
read) or a cut-short file (what was read stands, the rest is counted as lost).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from corpus_qa.errors import ConfigError, InputError
from corpus_qa.model import InputFile

#: URL schemes read through fsspec, and the package each needs.
_PACKAGES = {"s3": "s3", "s3a": "s3", "gs": "gcs", "gcs": "gcs", "http": "", "https": ""}
_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://")
_GLOB_CHARS = frozenset("*?[")
#: Environment variables that decide whose credentials a filesystem uses.
_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_S3",
    "AWS_MAX_ATTEMPTS",
    "GOOGLE_APPLICATION_CREDENTIALS",
)
_FILESYSTEMS: dict[tuple[Any, ...], Any] = {}
#: Bytes fetched per request when a remote file is streamed.
_BLOCK = 8 << 20


def is_url(text: str) -> bool:
    """Whether ``text`` names a dump in object storage (or on the web), not a local path."""
    found = _URL.match(text)
    return found is not None and found.group(1).lower() in _PACKAGES


def _scheme(url: str) -> str:
    found = _URL.match(url)
    return found.group(1).lower() if found else ""


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem for ``url`` and the path within it (cached per process)."""
    scheme = _scheme(url)
    try:
        import fsspec
    except ImportError as error:  # pragma: no cover - fsspec comes with dask and s3fs
        raise ConfigError(f"{scheme}:// dumps need fsspec: pip install 'corpus-qa[s3]'") from error
    options: dict[str, Any] = {}
    if _PACKAGES.get(scheme) == "s3":
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
        if endpoint:
            options["endpoint_url"] = endpoint
    # Credentials are part of the key: a filesystem keeps the ones it was made with.
    env = tuple(os.environ.get(name, "") for name in _CREDENTIAL_VARIABLES)
    key = (scheme, os.getpid(), env, tuple(sorted(options.items())))
    try:
        fs = _FILESYSTEMS.get(key)
        if fs is None:
            # Not fsspec's instance cache, which is keyed by the options alone.
            fs, _ = fsspec.url_to_fs(url, skip_instance_cache=True, **options)
            _FILESYSTEMS[key] = fs
        return fs, fs._strip_protocol(url)
    except ImportError as error:
        extra = _PACKAGES.get(scheme) or "s3"
        raise ConfigError(
            f"{scheme}:// dumps need the {extra} extra: pip install 'corpus-qa[{extra}]' ({error})"
        ) from error


def _os_error(error: BaseException, what: str) -> OSError:
    """``error`` as an ``OSError`` whose message says ``what`` failed and why."""
    if isinstance(error, OSError) and not isinstance(error, ConnectionError):
        message = error.strerror or str(error) or type(error).__name__
        if isinstance(error, PermissionError):
            message = f"access denied ({message})"
        elif isinstance(error, FileNotFoundError):
            message = f"not found ({message})"
        return OSError(error.errno, f"{what}: {message}")
    return OSError(f"{what}: {type(error).__name__}: {error}")


def _mtime_ns(info: dict[str, Any]) -> int:
    """A remote object's modification time in ns (0 when the store gives none)."""
    for key in ("LastModified", "mtime", "updated", "last_modified"):
        value = info.get(key)
        if isinstance(value, datetime):
            return int(value.timestamp() * 1_000_000_000)
        if isinstance(value, str):
            try:
                return int(datetime.fromisoformat(value).timestamp() * 1_000_000_000)
            except ValueError:
                continue
    return 0


def remote_state(file: InputFile) -> tuple[int, int] | None:
    """``(size, mtime_ns)`` of a remote file as the store reports it now; ``None`` if
    it cannot be asked (gone, denied, unreachable)."""
    assert file.url is not None
    try:
        fs, path = filesystem(file.url)
        fs.invalidate_cache(path)
        info = fs.info(path)
    except (ConfigError, InputError):
        raise
    except Exception:
        return None
    return int(info.get("size") or 0), _mtime_ns(info)


class _RemoteRaw(io.RawIOBase):
    """A remote file as a raw stream whose failures are ``OSError`` s saying where."""

    def __init__(self, file: InputFile, start: int = 0) -> None:
        assert file.url is not None
        self._url = file.url
        self.position = start
        try:
            fs, path = filesystem(file.url)
            self._handle = fs.open(path, "rb", block_size=_BLOCK, cache_type="readahead")
            self.size = int(self._handle.size)
            if start:
                self._handle.seek(start)
        except (ConfigError, InputError):
            raise
        except Exception as error:
            raise _os_error(error, f"cannot open {file.url}") from error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._handle.read(len(buffer))
        except Exception as error:
            raise _os_error(
                error, f"the connection failed after {self.position:,} bytes of {self._url}"
            ) from error
        size = len(data)
        buffer[:size] = data
        self.position += size
        return size

    def close(self) -> None:
        if not self.closed:
            # Nothing was written: a failed close loses nothing.
            with contextlib.suppress(Exception):
                self._handle.close()
        super().close()


def open_source(file: InputFile, buffering: int = 1 << 16) -> BinaryIO:
    """``file`` opened for binary reading: a local file, or a remote one streamed.
    With ``buffering=0`` the raw stream (``readinto``) is returned."""
    if file.url is None:
        return open(file.path, "rb", buffering=buffering)
    raw = _RemoteRaw(file)
    if buffering == 0:
        return raw  # type: ignore[return-value]
    return io.BufferedReader(raw, buffer_size=max(buffering, io.DEFAULT_BUFFER_SIZE))


def seekable(file: InputFile) -> Any:
    """A remote file as a seekable file object (Parquet reads its footer first)."""
    assert file.url is not None
    try:
        fs, path = filesystem(file.url)
        return fs.open(path, "rb", block_size=_BLOCK)
    except (ConfigError, InputError):
        raise
    except Exception as error:
        raise _os_error(error, f"cannot open {file.url}") from error


def source_size(file: InputFile, handle: BinaryIO) -> int:
    """The size of an opened ``file`` (``handle`` from :func:`open_source`)."""
    raw = getattr(handle, "raw", handle)
    if isinstance(raw, _RemoteRaw):
        return raw.size
    return os.fstat(handle.fileno()).st_size


def read_span(file: InputFile, start: int, stop: int) -> bytes:
    """Bytes ``[start, stop)`` of ``file`` (fewer if it is shorter now): one range
    request for a remote file, read by the process that asks."""
    if file.url is None:
        with open(file.path, "rb") as handle:
            handle.seek(start)
            return handle.read(stop - start)
    try:
        fs, path = filesystem(file.url)
        data: bytes = fs.cat_file(path, start=start, end=stop)
    except (ConfigError, InputError):
        raise
    except Exception as error:
        raise _os_error(error, f"cannot read bytes {start:,}-{stop:,} of {file.url}") from error
    return data


def _display(path: str, root: str) -> str:
    root = root.rstrip("/")
    if root and path.startswith(root + "/"):
        return path[len(root) + 1 :]
    return path.rsplit("/", 1)[-1]


def _glob_root(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if _GLOB_CHARS & set(part):
            break
        parts.append(part)
    return "/".join(parts)


def _kind(fs: Any, path: str) -> str:
    """``file`` or ``directory`` (a prefix). Asking about an object needs read access
    to it; a reader allowed to list a prefix but not to read an object of its name
    still lists the prefix."""
    try:
        return str(fs.info(path).get("type", "file"))
    except PermissionError:
        if fs.find(path.rstrip("/") + "/", maxdepth=1):
            return "directory"
        raise


def remote_files(url: str) -> Iterator[tuple[str, str, str]]:
    """``(url, display, name)`` of each object under ``url`` (an object, a prefix or
    a glob), sorted. Raises :class:`InputError` when the store says no (no such
    bucket or object, access denied, unreachable): nothing of the dump can be read."""
    fs, path = filesystem(url)
    scheme = _scheme(url)
    single = False
    try:
        if _GLOB_CHARS & set(path):
            root = _glob_root(path)
            paths: list[str] = []
            for match in sorted(fs.glob(path)):
                paths.extend(sorted(fs.find(match)) if fs.isdir(match) else [match])
            if not paths:
                raise InputError("no object matches this pattern", path=url)
        else:
            kind = _kind(fs, path)
            if kind == "directory":
                root, paths = path.rstrip("/"), sorted(fs.find(path))
            else:
                root, paths, single = path.rsplit("/", 1)[0], [path], True
    except InputError:
        raise
    except ConfigError:
        raise
    except FileNotFoundError as error:
        raise InputError(f"no such bucket or object ({error})", path=url) from error
    except PermissionError as error:
        raise InputError(f"access denied ({error})", path=url) from error
    except Exception as error:
        raise InputError(f"cannot be listed: {type(error).__name__}: {error}", path=url) from error
    for found in paths:
        name = found.rsplit("/", 1)[-1]
        if not single and any(part.startswith(".") for part in found[len(root) :].split("/")):
            continue  # tool folders and hidden objects are never part of a dump
        full = found if "://" in found else fs.unstrip_protocol(found)
        if not full.lower().startswith(f"{scheme}://"):
            full = f"{scheme}://{found}"
        yield full, name if single else _display(found, root), name


def remote_input(url: str, display: str, fmt: str, compression: str | None) -> InputFile:
    """The :class:`InputFile` of a remote object."""
    return InputFile(Path(display), display, fmt, compression, url=url)
