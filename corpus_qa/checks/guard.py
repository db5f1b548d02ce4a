"""Running a check's code so that whatever it raises becomes that check's failure.

A check from ``--checks-dir`` is user code: it may call ``sys.exit(0)``, raise
``KeyboardInterrupt`` or never return. Left alone, the first two would end the process
with no report (or with exit 0: a pass for a dump nobody checked), the last would hang
the gate. Inside :func:`running`, every exception but the run's own (an
:class:`~corpus_qa.errors.Interrupted` signal, a :class:`~corpus_qa.errors.CorpusQAError`
the check raised on purpose) becomes a :class:`~corpus_qa.errors.CheckFailed` naming
the check and the stage; so does running past the check's time budget (the policy's
``time_budget``), enforced by a timer signal in the main thread.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from corpus_qa import signals
from corpus_qa.errors import CheckFailed, CorpusQAError, Interrupted

#: After the budget, the timer fires again this often: a check that swallows the
#: first exception (``except BaseException``) gets another.
_REPEAT_SECONDS = 0.5


#: Told ``(check_id, stage, budget)`` as a timed stage starts and ``None`` as it ends:
#: a worker process tells its parent, which kills a worker stuck past the budget (in C
#: code that never returns to Python, or in a check that swallows the timer's error).
Watch = Callable[[tuple[str, str, float] | None], None]
watch: Watch | None = None


class BudgetExceeded(BaseException):
    """A check ran past its time budget (a ``BaseException``: ``except Exception`` in a
    check does not swallow it)."""


def _raise_budget() -> None:
    raise BudgetExceeded


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    # Never raise inside C code that calls back into Python: see corpus_qa.signals.
    signals.stop(_raise_budget)


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def _timer(budget: float | None) -> Iterator[None]:
    """Raise :class:`BudgetExceeded` in this block once ``budget`` seconds have passed.

    Only the main thread can receive a signal; elsewhere (a thread pool) the block is
    not timed, nor is it when a program embedding corpus-qa has its own alarm set.
    """
    if budget is None or not _can_time() or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, budget, _REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        # A budget stop left requested would end whatever this process runs next.
        signals.forget(_raise_budget)


@contextmanager
def _watched(check_id: str, stage: str, budget: float | None) -> Iterator[None]:
    if budget is None or watch is None:
        yield
        return
    watch((check_id, stage, budget))
    try:
        yield
    finally:
        watch(None)


def over_budget(check_id: str, stage: str, budget: float) -> CheckFailed:
    """The failure of a check that ran past its budget (raised here or by the parent)."""
    return CheckFailed(
        f"check {check_id} failed in {stage}: it ran past its time budget of {budget:g} s "
        f"(policy key time_budget)"
    )


@contextmanager
def running(check_id: str, stage: str, budget: float | None = None) -> Iterator[None]:
    """Turn anything ``check_id`` raises in ``stage``, or its running past ``budget``
    seconds, into :class:`CheckFailed`."""
    try:
        with _watched(check_id, stage, budget), _timer(budget):
            yield
    except BudgetExceeded:
        assert budget is not None
        raise over_budget(check_id, stage, budget) from None
    except (CorpusQAError, Interrupted):
        raise
    except (Exception, SystemExit, KeyboardInterrupt) as error:
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise CheckFailed(f"check {check_id} failed in {stage}: {detail}") from error
