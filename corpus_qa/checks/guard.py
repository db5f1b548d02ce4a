"""Running a check's code so that whatever it raises becomes that check's failure.

A check from ``--checks-dir`` is user code: it may call ``sys.exit(0)`` or raise
``KeyboardInterrupt``. Left alone, either would end the process with no report (or
with exit 0: a pass for a dump nobody checked). Inside :func:`running`, every
exception but the run's own (an :class:`~corpus_qa.errors.Interrupted` signal, a
:class:`~corpus_qa.errors.CorpusQAError` the check raised on purpose) becomes a
:class:`~corpus_qa.errors.CheckFailed` naming the check and the stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from corpus_qa.errors import CheckFailed, CorpusQAError, Interrupted


@contextmanager
def running(check_id: str, stage: str) -> Iterator[None]:
    """Turn anything ``check_id`` raises in ``stage`` into :class:`CheckFailed`."""
    try:
        yield
    except (CorpusQAError, Interrupted):
        raise
    except (Exception, SystemExit, KeyboardInterrupt) as error:
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise CheckFailed(f"check {check_id} failed in {stage}: {detail}") from error
