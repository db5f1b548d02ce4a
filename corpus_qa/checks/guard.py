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
import sys
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

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


def _can_time() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _stray_alarm(signum: int, frame: FrameType | None) -> None:
    """SIGALRM's handler once a timed block has ended, instead of the default (which
    would end the process on a tick the stopped timer sent late) or "ignore" (which
    Python reports as a lost signal): nothing to do."""


def _drain_alarms() -> None:
    """Take every SIGALRM the stopped timer sent that no thread has taken yet. Taken
    after the process's own handler is back (often the default, which ends the
    process), one would be fatal; taken here it is nothing."""
    if hasattr(signal, "sigtimedwait"):
        while signal.sigtimedwait([signal.SIGALRM], 0) is not None:
            pass


def over_budget(check_id: str, stage: str, budget: float) -> CheckFailed:
    """The failure of a check that ran past its budget (raised here or by the parent)."""
    return CheckFailed(
        f"check {check_id} failed in {stage}: it ran past its time budget of {budget:g} s "
        f"(policy key time_budget)"
    )


class Running:
    """The block of :func:`running`: watched, timed, its errors turned into the check's.

    The timer raises :class:`BudgetExceeded` once the budget has passed and again every
    :data:`_REPEAT_SECONDS`. Only the main thread can receive a signal; elsewhere (a
    thread pool) the block is not timed, nor is it when a program embedding corpus-qa
    has its own alarm set.

    Python runs a signal's handler some bytecodes after the signal, so a repeat can land
    while the block is being entered or left. Raised there, it would skip stopping the
    timer, which would then raise in whatever the process ran next. So the handler
    raises only while the block is armed, and only in code the block's frame called:
    never in that frame itself (where ``__exit__`` is called, and where Python may
    report a tick taken as ``__exit__`` starts), nor inside this class's own methods. A
    tick it lets pass costs the check at most one repeat more; the block's body is the
    call of the check's code, so the next repeat lands in it.
    """

    def __init__(self, check_id: str, stage: str, budget: float | None) -> None:
        self.check_id = check_id
        self.stage = stage
        self.budget = budget
        self.armed = False
        self.watched = False
        self.previous: Any = None
        #: The frame holding the ``with`` block (the code it calls is what is timed).
        self.frame: FrameType | None = None

    def __enter__(self) -> None:
        budget = self.budget
        if budget is None:
            return
        self.frame = sys._getframe(1)
        if watch is not None:
            watch((self.check_id, self.stage, budget))
            self.watched = True
        if _can_time() and signal.getitimer(signal.ITIMER_REAL)[0] == 0:
            self.previous = signal.signal(signal.SIGALRM, self._on_alarm)
            self.armed = True
            signal.setitimer(signal.ITIMER_REAL, budget, _REPEAT_SECONDS)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.armed:
            self.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            _drain_alarms()
            # A tick another thread took just before the timer stopped reaches Python
            # later, and Python reports it as lost if no function handles SIGALRM then.
            previous = self.previous
            signal.signal(signal.SIGALRM, previous if callable(previous) else _stray_alarm)
            # A budget stop left requested would end whatever this process runs next.
            signals.forget(_raise_budget)
        self.frame = None  # the frame holds this object: no cycle left behind
        if self.watched and watch is not None:
            watch(None)
        if error is None or isinstance(error, (CorpusQAError, Interrupted)):
            return
        if isinstance(error, BudgetExceeded):
            assert self.budget is not None
            raise over_budget(self.check_id, self.stage, self.budget) from None
        if isinstance(error, (Exception, SystemExit, KeyboardInterrupt)):
            detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise CheckFailed(f"check {self.check_id} failed in {self.stage}: {detail}") from error

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed or not self._called_by_block(frame):
            return
        # Never raise inside C code that calls back into Python: see corpus_qa.signals.
        signals.stop(_raise_budget)

    def _called_by_block(self, frame: FrameType | None) -> bool:
        """Whether ``frame`` runs code the block's frame called, outside this class."""
        block = self.frame
        if frame is None or block is None or frame is block or frame.f_code in _HANDLING:
            # A tick taken while a handler runs is dropped: the next repeat comes.
            return False
        while frame is not None:
            if frame.f_code in _UNINTERRUPTED:
                return False
            if frame is block:
                return True
            frame = frame.f_back
        return False


_UNINTERRUPTED = frozenset({Running.__enter__.__code__, Running.__exit__.__code__})
_HANDLING = frozenset({Running._on_alarm.__code__, Running._called_by_block.__code__})


def running(check_id: str, stage: str, budget: float | None = None) -> Running:
    """Turn anything ``check_id`` raises in ``stage``, or its running past ``budget``
    seconds, into :class:`CheckFailed`."""
    return Running(check_id, stage, budget)
