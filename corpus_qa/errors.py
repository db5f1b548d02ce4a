"""Exceptions whose messages tell the user what went wrong and where.

Every error the CLI can show derives from :class:`CorpusQAError`; the CLI prints
``str(error)`` on one line and exits with ``error.exit_code``: never a traceback.
"""

from __future__ import annotations


class CorpusQAError(Exception):
    """Base class: something the user can fix (input, arguments, configuration)."""

    exit_code = 2


class InputError(CorpusQAError):
    """The dump (or a file in it) cannot be used. Names the file and, if known, the line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = path or ""
        if path is not None and line is not None:
            where = f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


class ConfigError(CorpusQAError):
    """A policy, schema, field map or command-line option is wrong."""


class CheckError(CorpusQAError):
    """A check (usually a user's own, from --checks-dir) is broken."""


class CheckFailed(CorpusQAError):
    """A check raised (or called ``sys.exit``) while loading or running: a bug in it.

    Exit code 3: the dump was not fully checked, so the gate must not pass.
    """

    exit_code = 3


class WorkerError(CorpusQAError):
    """A worker process (or a cluster worker) died or failed while checking a chunk.

    Exit code 3, like any internal failure: the input may be fine, the run is not.
    """

    exit_code = 3


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: stop, report what was counted, fail the gate.

    A ``BaseException`` so that no ``except Exception`` on the way swallows it.
    """

    def __init__(self, signum: int, name: str) -> None:
        super().__init__(name)
        self.signum = signum
        self.name = name
